namespace Weft.Tests.Cli;

/// <summary>Runs the <c>weft</c> command line in this process and captures what it prints.</summary>
internal static class InProcessCli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = global::Weft.Cli.Program.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
