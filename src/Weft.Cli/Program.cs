using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Weft.Cli;

/// <summary>Entry point of the <c>weft</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code (see <see cref="ExitCode"/>).</summary>
    public static int Main(string[] args)
    {
        // The console's writers are made (and its encoding set to UTF-8) on first write: see ConsoleWriter.
        return Run(args, new ConsoleWriter(error: false), new ConsoleWriter(error: true));
    }

    /// <summary>Runs the command line with the given output streams; what the tests call.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, fastPath: true);

    /// <summary>
    /// Runs the command line; <paramref name="fastPath"/> false sends <c>weft run FILE [ARGS...]</c> through
    /// System.CommandLine as well (the tests compare the two paths).
    /// </summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error, bool fastPath)
    {
        try
        {
            if (fastPath && RunCommand.TryRunWithoutOptions(args, output, error, out int exit)) return exit;
            if (JsCommand.Handles(args)) return JsCommand.Run(args[1], args[2..], output, error);
            return ParseAndInvoke(args, output, error);
        }
        catch (UsageException e)
        {
            error.WriteLine($"weft: error: {OneLine(e.Message)}");
            return ExitCode.Usage;
        }
        catch (TrapException e)
        {
            error.WriteLine($"weft: error: wasm trap: {OneLine(e.Message)}");
            WriteBacktrace(error, e.Frames);
            return ExitCode.Failed;
        }
        catch (WasmException e)
        {
            error.WriteLine($"weft: error: {OneLine(e.Message)}");
            WriteBacktrace(error, e.Frames);
            return ExitCode.Failed;
        }
        catch (Exception e)
        {
            // Anything that escapes a command: one line, never a stack trace.
            error.WriteLine(e is WeftException or IOException or UnauthorizedAccessException or ExternalToolException
                ? $"weft: error: {OneLine(e.Message)}"
                : $"weft: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCode.Failed;
        }
    }

    // A method of its own, so that the fast path's method does not reference System.CommandLine's types: their
    // ReadyToRun fix-ups would load the assembly on every start.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ParseAndInvoke(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        var parsed = root.Parse(RunCommand.SeparateProgramArguments(args));
        // Help and --version may stand beside other errors (e.g. a missing argument): they win, as users expect.
        if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            error.WriteLine($"weft: {string.Join(" ", parsed.Errors.Select(e => e.Message))} " +
                $"Usage: {Usage(parsed.CommandResult.Command)}. See 'weft {CommandPath(parsed.CommandResult.Command)}--help'.");
            return ExitCode.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// The wasm frames of a trap or uncaught exception after its one error line, as wasmtime prints them
    /// (<c>wasm backtrace:</c>, then <c>N: 0x1f - module!function</c>, innermost first); at most 100 frames, since an
    /// exhausted call stack has tens of thousands.
    /// </summary>
    private static void WriteBacktrace(TextWriter error, IReadOnlyList<WasmFrame> frames)
    {
        if (frames.Count == 0) return;
        error.WriteLine("wasm backtrace:");
        error.Write(WasmFrame.Format(frames, maxFrames: 100));
    }

    /// <summary>The <c>weft</c> command tree. A new command is one file with a <c>Create()</c> method and one line here.</summary>
    internal static Command BuildRoot()
    {
        // A plain command rather than RootCommand, whose name and --version come from the entry assembly: that is
        // "Weft.Cli" when run with dotnet and the test host under tests. Help and version are added by hand instead.
        var root = new Command("weft", "Weft: a WebAssembly engine for .NET. Runs, inspects, validates, converts and tests WebAssembly modules.")
        {
            new HelpOption(),
            new VersionOption { Action = new PrintVersion() },
            RunCommand.Create(),
            CompileCommand.Create(),
            InspectCommand.Create(),
            ValidateCommand.Create(),
            Wat2WasmCommand.Create(),
            Wasm2WatCommand.Create(),
            WastCommand.Create(),
            JsCommand.Create(),
        };
        return root;
    }

    /// <summary>The product version, without the source revision suffix.</summary>
    internal static string Version
    {
        get
        {
            var assembly = typeof(Program).Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            int plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? version : version[..plus];
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>A usage line such as <c>weft validate &lt;file&gt; [options]</c>.</summary>
    private static string Usage(Command command)
    {
        var parts = new List<string> { ("weft " + CommandPath(command)).TrimEnd() };
        if (command.Subcommands.Count > 0) parts.Add("<command>");
        foreach (var argument in command.Arguments)
        {
            parts.Add(argument.Arity.MaximumNumberOfValues > 1 ? $"<{argument.Name}>..." : $"<{argument.Name}>");
        }
        parts.Add("[options]");
        return string.Join(" ", parts);
    }

    /// <summary>The command's words after <c>weft</c>, each followed by a space ("" for the root).</summary>
    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && c.Parents.Any(); s = s.Parents.FirstOrDefault()) names.Insert(0, c.Name);
        return string.Concat(names.Select(n => n + " "));
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"weft {Version}");
            return ExitCode.Ok;
        }
    }
}
