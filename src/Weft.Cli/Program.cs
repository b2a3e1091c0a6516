namespace Weft.Cli;

/// <summary>Entry point of the <c>weft</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("weft: no commands yet");
        return args.Length == 0 ? 2 : 2;
    }
}
