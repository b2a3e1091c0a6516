using System.CommandLine;
using Weft.JavaScript;

namespace Weft.Cli;

/// <summary>
/// <c>weft js FILE.mjs|FILE.js [ARGS...]</c>: run a script or ES module as <c>node FILE ARGS...</c> would, on Jint
/// with the WebAssembly JS API over Weft and a node-like host environment (docs/JAVASCRIPT.md). Every token after
/// FILE belongs to the script (process.argv), as with node. The exit code is the one node would give.
/// </summary>
internal static class JsCommand
{
    /// <summary>Stack for the script thread: Jint's interpreter and wasm both recurse deeply in real programs.</summary>
    private const int StackSize = 256 << 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The script (.js, CommonJS unless it uses import/export) or ES module (.mjs)." }.AcceptExistingOnly();
        var args = new Argument<string[]>("args") { Description = "Arguments for the script (process.argv[2...]).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("js", "Run a JavaScript file with the WebAssembly JS API, as node FILE ARGS... would.") { file, args };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(file).FullName, parsed.GetValue(args) ?? [],
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Whether the command line is <c>js FILE ...</c> (not help): then every token after FILE is the script's.</summary>
    public static bool Handles(string[] args) => args.Length >= 2 && args[0] == "js" && args[1] is not ("-h" or "--help" or "-?");

    public static int Run(string path, IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"weft: error: Cannot find module '{Path.GetFullPath(path)}'");
            return ExitCode.Failed;
        }
        int code = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var runtime = new JavaScriptRuntime(arguments, output: output, error: error);
                code = runtime.RunMain(path);
            }
#pragma warning disable CA1031 // reported below, on the calling thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        }, StackSize);
        thread.Start();
        thread.Join();
        output.Flush();
        if (failure is not null)
        {
            if (Environment.GetEnvironmentVariable("WEFT_DEBUG") is { Length: > 0 }) error.WriteLine(failure);
            throw failure;
        }
        return code;
    }
}
