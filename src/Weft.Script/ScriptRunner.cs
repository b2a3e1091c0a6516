namespace Weft.Script;

/// <summary>
/// Runs one <see cref="WastScript"/> command by command and records a <see cref="WastCommandResult"/> for each,
/// with the assertion semantics of the reference interpreter (interpreter/script/run.ml): modules are decoded or
/// parsed and validated here; whatever needs execution goes to an <see cref="IScriptExecutor"/>, and is counted as
/// skipped when the executor cannot do it.
/// </summary>
/// <remarks>
/// Unlike the reference runner, which stops at the first error, this runner goes on after a failure so that one
/// report lists them all. A command that refers to a module that failed is skipped (the failure is already counted
/// once, at the module). Any exception from Weft's own code, expected or not, fails only the command that raised it.
/// </remarks>
internal sealed partial class ScriptRunner
{
    private readonly WastScript _script;
    private readonly IModuleLoader _loader;
    private readonly IScriptSession _session;
    private readonly IScriptExecutor _executor;
    private readonly List<WastCommandResult> _results = [];

    // Module definitions and instances by script name ($M); the latest of each is what an unnamed reference means.
    private readonly Dictionary<string, Definition> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InstanceSlot> _instances = new(StringComparer.Ordinal);
    private Definition? _latestDefinition;
    private InstanceSlot? _latestInstance;

    private ScriptRunner(WastScript script, IModuleLoader loader, IScriptSession session, IScriptExecutor executor)
    {
        _script = script;
        _loader = loader;
        _session = session;
        _executor = executor;
    }

    /// <summary>Runs every command of a script and returns one result per command, in order.</summary>
    public static IReadOnlyList<WastCommandResult> Run(WastScript script, IModuleLoader loader, IScriptExecutor executor)
    {
        using var session = executor.StartSession(script.Path);
        var runner = new ScriptRunner(script, loader, session, executor);
        try
        {
            foreach (var command in script.Commands) runner.RunCommand(command);
        }
        finally
        {
            runner.JoinAbandonedThreads();
        }
        return runner._results;
    }

    private void RunCommand(ScriptCommand command)
    {
        try
        {
            switch (command)
            {
                case ModuleCommand c: RunModule(c); break;
                case ModuleInstanceCommand c: RunModuleInstance(c); break;
                case RegisterCommand c: RunRegister(c); break;
                case ActionCommand c: RunAction(c); break;
                case AssertReturnCommand c: RunAssertReturn(c); break;
                case AssertTrapCommand c: RunAssertTrap(c); break;
                case AssertExhaustionCommand c: RunAssertExhaustion(c); break;
                case AssertExceptionCommand c: RunAssertException(c); break;
                case AssertModuleCommand c: RunAssertModule(c); break;
                case ThreadCommand c: RunThread(c); break;
                case WaitCommand c: RunWait(c); break;
                default: Fail(command, reason: $"unknown script command {command.GetType().Name}"); break;
            }
        }
        catch (Exception e)
        {
            // A bug in Weft (or an unexpected Weft exception): fail this command, keep running the script.
            Fail(command, reason: $"unexpected {Describe(e)}");
        }
    }

    private void Pass(ScriptCommand command) =>
        _results.Add(new WastCommandResult(_script.Path, command.Line, NameOf(command), WastCommandStatus.Passed));

    private void Fail(ScriptCommand command, string? expected = null, string? actual = null, string? reason = null) =>
        _results.Add(new WastCommandResult(_script.Path, command.Line, NameOf(command), WastCommandStatus.Failed, expected, actual, reason));

    private void Skip(ScriptCommand command, string reason) =>
        _results.Add(new WastCommandResult(_script.Path, command.Line, NameOf(command), WastCommandStatus.Skipped, reason: reason));

    /// <summary>Passes when <paramref name="actual"/> starts with <paramref name="expected"/>, as the reference runner matches messages.</summary>
    private void ExpectMessage(ScriptCommand command, string what, string expected, string actual, string? detail = null)
    {
        if (actual.StartsWith(expected, StringComparison.Ordinal)) Pass(command);
        else Fail(command, $"{what} \"{expected}\"", $"{what} \"{actual}\"" + (detail is null ? "" : $" ({detail})"));
    }

    /// <summary>One-line description of an exception for a report: its kind and message.</summary>
    private static string Describe(Exception e) => e switch
    {
        MalformedModuleException m => $"malformed \"{m.Reason}\"" + Detail(m),
        InvalidModuleException i => $"invalid \"{i.Reason}\"" + Detail(i),
        LinkException l => $"unlinkable \"{l.Reason}\"" + Detail(l),
        TrapException t => $"trap \"{t.Reason}\"" + Detail(t),
        _ => $"{e.GetType().Name}: {OneLine(e.Message)}",
    };

    private static string Detail(WeftException e) => e.Message == e.Reason ? "" : $" ({OneLine(e.Message)})";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string NameOf(ScriptCommand command) => command switch
    {
        ModuleCommand { Module.IsDefinition: true } => "module definition",
        ModuleCommand => "module",
        ModuleInstanceCommand => "module instance",
        RegisterCommand => "register",
        ActionCommand { Action: GetAction } => "get",
        ActionCommand => "invoke",
        AssertReturnCommand => "assert_return",
        AssertTrapCommand => "assert_trap",
        AssertExhaustionCommand => "assert_exhaustion",
        AssertExceptionCommand => "assert_exception",
        ThreadCommand => "thread",
        WaitCommand => "wait",
        AssertModuleCommand c => c.Assertion switch
        {
            ModuleAssertion.Malformed => "assert_malformed",
            ModuleAssertion.Invalid => "assert_invalid",
            ModuleAssertion.Unlinkable => "assert_unlinkable",
            ModuleAssertion.MalformedCustom => "assert_malformed_custom",
            _ => "assert_invalid_custom",
        },
        _ => command.GetType().Name,
    };

    /// <summary>A named module definition: loaded, or failed at a line (then commands using it are skipped).</summary>
    private sealed record Definition(LoadedModule? Module, int Line);

    /// <summary>A module instance as the script sees it: a live instance, or why there is none.</summary>
    private sealed record InstanceSlot(object? Instance, string? Unavailable);
}
