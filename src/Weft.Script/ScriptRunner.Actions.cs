namespace Weft.Script;

// Commands that need execution: register, invoke/get and the assertions on them. The runner resolves the instance
// names and judges the outcome; the session does the work.
internal sealed partial class ScriptRunner
{
    private void RunRegister(RegisterCommand command)
    {
        if (Resolve(command, command.ModuleName) is not { } instance) return;
        var outcome = _session.Register(command.As, instance);
        switch (outcome.Kind)
        {
            case ExecutionKind.Returned: Pass(command); break;
            case ExecutionKind.NotSupported: Skip(command, outcome.Message); break;
            default: Fail(command, "registration", Describe(outcome)); break;
        }
    }

    /// <summary>A bare action: passes when it returns (whatever it returns).</summary>
    private void RunAction(ActionCommand command)
    {
        if (Perform(command, command.Action) is not { } outcome) return;
        if (outcome.Kind == ExecutionKind.Returned) Pass(command);
        else Fail(command, "a result", Describe(outcome));
    }

    private void RunAssertReturn(AssertReturnCommand command)
    {
        if (Perform(command, command.Action) is not { } outcome) return;
        if (outcome.Kind == ExecutionKind.Returned && ResultMatcher.Matches(outcome.Values, command.Expected))
        {
            Pass(command);
            return;
        }
        Fail(command, ScriptFormat.Patterns(command.Expected),
            outcome.Kind == ExecutionKind.Returned ? ScriptFormat.Values(outcome.Values, command.Expected) : Describe(outcome));
    }

    /// <summary>On an action: it traps with the message. On a module: it is valid but traps while instantiating.</summary>
    private void RunAssertTrap(AssertTrapCommand command)
    {
        string expected = $"trap \"{command.Message}\"";
        ExecutionOutcome? outcome;
        if (command.Action is { } action)
        {
            outcome = Perform(command, action);
        }
        else
        {
            if (LoadForAssertion(command, expected) is not { } loaded) return;
            outcome = _session.Instantiate(loaded);
            if (outcome.Kind == ExecutionKind.NotSupported)
            {
                Skip(command, outcome.Message);
                return;
            }
        }

        if (outcome is null) return;
        // The reference counts an uncaught exception during instantiation like a trap (AssertUninstantiable).
        if (outcome.Kind == ExecutionKind.Trap || (command.Action is null && outcome.Kind == ExecutionKind.Exception))
        {
            ExpectMessage(command, "trap", command.Message, outcome.Message);
        }
        else
        {
            Fail(command, expected, Describe(outcome));
        }
    }

    private void RunAssertExhaustion(AssertExhaustionCommand command)
    {
        if (Perform(command, command.Action) is not { } outcome) return;
        if (outcome.Kind == ExecutionKind.Exhaustion) ExpectMessage(command, "exhaustion", command.Message, outcome.Message);
        else Fail(command, $"exhaustion \"{command.Message}\"", Describe(outcome));
    }

    private void RunAssertException(AssertExceptionCommand command)
    {
        if (Perform(command, command.Action) is not { } outcome) return;
        if (outcome.Kind == ExecutionKind.Exception) Pass(command);
        else Fail(command, "an uncaught exception", Describe(outcome));
    }

    /// <summary>
    /// Runs an action on its instance. Returns null when the result is already recorded: the instance is unknown
    /// (failed), has none (skipped), or the executor cannot run the action (skipped).
    /// </summary>
    private ExecutionOutcome? Perform(ScriptCommand command, ScriptAction action)
    {
        if (Resolve(command, action.ModuleName) is not { } instance) return null;
        var outcome = action switch
        {
            InvokeAction invoke => _session.Invoke(instance, invoke.Name, invoke.Args),
            _ => _session.Get(instance, action.Name),
        };
        if (outcome.Kind != ExecutionKind.NotSupported) return outcome;
        Skip(command, outcome.Message);
        return null;
    }

    /// <summary>The live instance a command refers to, or null after recording why there is none.</summary>
    private object? Resolve(ScriptCommand command, string? name)
    {
        if (!TryLookupInstance(name, out var slot, out string? error))
        {
            Fail(command, reason: error);
            return null;
        }
        if (slot.Instance is null) Skip(command, slot.Unavailable ?? NoExecution.Reason);
        return slot.Instance;
    }

    private static string Describe(ExecutionOutcome outcome) => outcome.Kind switch
    {
        ExecutionKind.Returned => outcome.Values.Count == 0 ? "a return with no results" : ScriptFormat.Values(outcome.Values),
        ExecutionKind.Instantiated => "a successful instantiation",
        ExecutionKind.Trap => $"trap \"{outcome.Message}\"",
        ExecutionKind.Exhaustion => $"exhaustion \"{outcome.Message}\"",
        ExecutionKind.Exception => $"uncaught exception \"{outcome.Message}\"",
        ExecutionKind.LinkError => $"unlinkable \"{outcome.Message}\"",
        ExecutionKind.ScriptError => $"script error \"{outcome.Message}\"",
        _ => outcome.Message,
    };
}
