using Weft.Script;
using static Weft.Tests.Script.ScriptModules;

namespace Weft.Tests.Script;

/// <summary>The runner with an executor that can execute (a scripted fake): how outcomes are judged and routed.</summary>
public class ScriptRunnerExecutionTests
{
    private static readonly InvokeAction Invoke = new(2, null, "f", []);

    private static IReadOnlyList<WastCommandResult> Run(FakeExecutor executor, params ScriptCommand[] commands) =>
        ScriptRunner.Run(new WastScript("t.wast", commands), FakeLoader.Instance, executor);

    private static WastCommandResult RunAfterModule(FakeExecutor executor, ScriptCommand command)
    {
        var results = Run(executor, new ModuleCommand(1, BinaryModule("ok")), command);
        Assert.Equal(WastCommandStatus.Passed, results[0].Status);
        return results[1];
    }

    private static ResultPattern I32(int value) => new(ResultKind.Value) { Value = new ScriptValue(ScriptValueKind.I32, (uint)value) };

    [Fact]
    public void AssertReturnComparesValues()
    {
        var executor = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Returned(ActualValue.I32(-1), ActualValue.I32(2)) };

        Assert.Equal(WastCommandStatus.Passed, RunAfterModule(executor, new AssertReturnCommand(2, Invoke, [I32(-1), I32(2)])).Status);

        var wrong = RunAfterModule(executor, new AssertReturnCommand(2, Invoke, [I32(-1), I32(3)]));
        Assert.Equal(WastCommandStatus.Failed, wrong.Status);
        Assert.Equal("[(i32.const -1) (i32.const 3)]", wrong.Expected);
        Assert.Equal("[(i32.const -1) (i32.const 2)]", wrong.Actual);

        var count = RunAfterModule(executor, new AssertReturnCommand(2, Invoke, [I32(-1)]));
        Assert.Equal(WastCommandStatus.Failed, count.Status);
    }

    [Fact]
    public void AssertReturnFailsOnTrapShowingIt()
    {
        var executor = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Trap("unreachable executed") };
        var result = RunAfterModule(executor, new AssertReturnCommand(2, Invoke, []));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal("trap \"unreachable executed\"", result.Actual);
    }

    [Fact]
    public void AssertTrapMatchesMessagePrefix()
    {
        var executor = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Trap("integer divide by zero") };
        Assert.Equal(WastCommandStatus.Passed, RunAfterModule(executor, new AssertTrapCommand(2, Invoke, null, "integer divide")).Status);
        Assert.Equal(WastCommandStatus.Failed, RunAfterModule(executor, new AssertTrapCommand(2, Invoke, null, "integer overflow")).Status);

        var returns = new FakeExecutor();
        var result = RunAfterModule(returns, new AssertTrapCommand(2, Invoke, null, "unreachable"));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal("a return with no results", result.Actual);
    }

    [Fact]
    public void AssertTrapOnModuleChecksInstantiation()
    {
        var trapping = new FakeExecutor { OnInstantiate = _ => ExecutionOutcome.Trap("out of bounds memory access") };
        Assert.Equal(WastCommandStatus.Passed,
            Run(trapping, new AssertTrapCommand(1, null, BinaryModule("ok"), "out of bounds")).Single().Status);

        var throwing = new FakeExecutor { OnInstantiate = _ => ExecutionOutcome.Exception("uncaught exception") };
        Assert.Equal(WastCommandStatus.Passed, Run(throwing, new AssertTrapCommand(1, null, BinaryModule("ok"), "")).Single().Status);

        Assert.Equal(WastCommandStatus.Failed,
            Run(new FakeExecutor(), new AssertTrapCommand(1, null, BinaryModule("ok"), "out of bounds")).Single().Status);
    }

    [Fact]
    public void AssertExhaustionAndAssertException()
    {
        var exhausting = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Exhaustion("call stack exhausted") };
        Assert.Equal(WastCommandStatus.Passed, RunAfterModule(exhausting, new AssertExhaustionCommand(2, Invoke, "call stack")).Status);
        Assert.Equal(WastCommandStatus.Failed, RunAfterModule(exhausting, new AssertExceptionCommand(2, Invoke)).Status);

        var throwing = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Exception("tag 0") };
        Assert.Equal(WastCommandStatus.Passed, RunAfterModule(throwing, new AssertExceptionCommand(2, Invoke)).Status);
        Assert.Equal(WastCommandStatus.Failed, RunAfterModule(throwing, new AssertExhaustionCommand(2, Invoke, "call stack")).Status);
        // A trap is not an exception.
        var trapping = new FakeExecutor { OnInvoke = (_, _, _) => ExecutionOutcome.Trap("unreachable") };
        Assert.Equal(WastCommandStatus.Failed, RunAfterModule(trapping, new AssertExceptionCommand(2, Invoke)).Status);
    }

    [Fact]
    public void AssertUnlinkableMatchesLinkErrorPrefix()
    {
        var executor = new FakeExecutor { OnInstantiate = _ => ExecutionOutcome.LinkError("unknown import \"spectest\".\"unknown\"") };
        var pass = new AssertModuleCommand(1, ModuleAssertion.Unlinkable, BinaryModule("ok"), "unknown import");
        var wrong = new AssertModuleCommand(2, ModuleAssertion.Unlinkable, BinaryModule("ok"), "incompatible import type");
        var results = Run(executor, pass, wrong);
        Assert.Equal([WastCommandStatus.Passed, WastCommandStatus.Failed], results.Select(r => r.Status));

        Assert.Equal(WastCommandStatus.Failed, Run(new FakeExecutor(), pass).Single().Status);
    }

    [Fact]
    public void NamesRouteActionsToTheirInstances()
    {
        var executor = new FakeExecutor();
        var results = Run(executor,
            new ModuleCommand(1, BinaryModule("ok", "$A", line: 1)),
            new ModuleCommand(2, BinaryModule("ok", "$B", line: 2)),
            new ActionCommand(3, new InvokeAction(3, "$A", "f", [])),
            new ActionCommand(4, new InvokeAction(4, null, "g", [])),
            new RegisterCommand(5, "a", "$A"),
            new ActionCommand(6, new GetAction(6, "$B", "glob")),
            new ModuleCommand(7, DefinitionModule("ok", "$D", line: 7)),
            new ModuleInstanceCommand(8, "$I", "$D"),
            new ActionCommand(9, new InvokeAction(9, "$I", "h", [])),
            new ActionCommand(10, new InvokeAction(10, null, "k", [])));

        Assert.All(results, r => Assert.Equal(WastCommandStatus.Passed, r.Status));
        Assert.Equal(
            ["invoke instance@1 f", "invoke instance@2 g", "register a instance@1", "get instance@2 glob", "invoke instance@7 h",
             "invoke instance@7 k"],
            executor.Log);
        Assert.True(executor.Disposed);
    }

    [Fact]
    public void FailedInstantiationFailsTheModuleAndSkipsItsUsers()
    {
        var executor = new FakeExecutor { OnInstantiate = _ => ExecutionOutcome.LinkError("unknown import") };
        var results = Run(executor, new ModuleCommand(1, BinaryModule("ok")), new ActionCommand(2, Invoke));

        Assert.Equal(WastCommandStatus.Failed, results[0].Status);
        Assert.Equal("unlinkable \"unknown import\"", results[0].Actual);
        Assert.Equal(WastCommandStatus.Skipped, results[1].Status);
        Assert.Empty(executor.Log);
    }

    [Fact]
    public void ScriptErrorsAndExecutorCrashesFailTheCommandOnly()
    {
        var executor = new FakeExecutor
        {
            OnInvoke = (_, name, _) => name == "crash"
                ? throw new InvalidCastException("bad cast")
                : ExecutionOutcome.ScriptError("undefined export"),
        };
        var results = Run(executor,
            new ModuleCommand(1, BinaryModule("ok")),
            new ActionCommand(2, new InvokeAction(2, null, "crash", [])),
            new ActionCommand(3, new InvokeAction(3, null, "missing", [])),
            new ModuleCommand(4, BinaryModule("ok")));

        Assert.Equal([WastCommandStatus.Passed, WastCommandStatus.Failed, WastCommandStatus.Failed, WastCommandStatus.Passed],
            results.Select(r => r.Status));
        Assert.Equal("unexpected InvalidCastException: bad cast", results[1].Reason);
        Assert.Equal("script error \"undefined export\"", results[2].Actual);
    }
}
