using Weft.Script;
using static Weft.Tests.Script.ScriptModules;

namespace Weft.Tests.Script;

/// <summary>The runner without execution: module commands and module assertions, prefix matching, skip accounting.</summary>
public class ScriptRunnerTests
{
    private static IReadOnlyList<WastCommandResult> Run(params ScriptCommand[] commands) =>
        ScriptRunner.Run(new WastScript("t.wast", commands), FakeLoader.Instance, NoExecution.Instance);

    private static WastCommandResult RunOne(ScriptCommand command) => Assert.Single(Run(command));

    private static AssertModuleCommand Malformed(ScriptModule module, string message) => new(5, ModuleAssertion.Malformed, module, message);

    private static AssertModuleCommand Invalid(ScriptModule module, string message) => new(5, ModuleAssertion.Invalid, module, message);

    [Fact]
    public void ValidModulePasses()
    {
        Assert.Equal(WastCommandStatus.Passed, RunOne(new ModuleCommand(1, BinaryModule("ok"))).Status);
        Assert.Equal(WastCommandStatus.Passed, RunOne(new ModuleCommand(1, TextModule())).Status);
        Assert.Equal(WastCommandStatus.Passed, RunOne(new ModuleCommand(1, QuoteModule("ok"))).Status);
    }

    [Theory]
    [InlineData("malformed:unexpected end", "malformed \"unexpected end\"")]
    [InlineData("invalid:type mismatch", "invalid \"type mismatch\"")]
    public void ModuleThatIsNotValidFailsWithFileLineExpectedAndActual(string word, string actual)
    {
        var result = RunOne(new ModuleCommand(12, BinaryModule(word)));

        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal(12, result.Line);
        Assert.Equal("a valid module", result.Expected);
        Assert.StartsWith(actual, result.Actual);
        Assert.StartsWith($"t.wast:12: module failed: expected a valid module, got {actual}", result.ToString());
    }

    [Fact]
    public void TextModuleWithParseErrorFailsAsModule()
    {
        var result = RunOne(new ModuleCommand(3, TextModuleWithError("unexpected token")));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.StartsWith("malformed \"unexpected token\"", result.Actual);
    }

    [Theory]
    [InlineData("unexpected end")]
    [InlineData("unexpected")] // the expected message is a prefix of the actual one, as in the reference runner
    [InlineData("")]
    public void AssertMalformedPassesOnDecodeErrorWhoseReasonStartsWithMessage(string message) =>
        Assert.Equal(WastCommandStatus.Passed, RunOne(Malformed(BinaryModule("malformed:unexpected end"), message)).Status);

    [Fact]
    public void AssertMalformedFailsOnOtherMessageShowingBoth()
    {
        var result = RunOne(Malformed(BinaryModule("malformed:section size mismatch"), "unexpected end"));

        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal("malformed \"unexpected end\"", result.Expected);
        Assert.StartsWith("malformed \"section size mismatch\"", result.Actual);
    }

    [Fact]
    public void PrefixMatchingIsOneWay()
    {
        // The actual reason must start with the expected text, not the other way round.
        var result = RunOne(Malformed(BinaryModule("malformed:unexpected end"), "unexpected end of section"));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
    }

    [Fact]
    public void AssertMalformedCountsTextParseErrorsAndQuoteParseErrors()
    {
        Assert.Equal(WastCommandStatus.Passed, RunOne(Malformed(TextModuleWithError("unknown operator"), "unknown operator")).Status);

        var loader = new FakeLoader();
        var results = ScriptRunner.Run(new WastScript("t.wast", [Malformed(QuoteModule("malformed:unknown operator"), "unknown operator")]),
            loader, NoExecution.Instance);
        Assert.Equal(WastCommandStatus.Passed, Assert.Single(results).Status);
        Assert.Equal(1, loader.TextParses); // quote modules are parsed when the command runs
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("invalid:type mismatch")] // assert_malformed does not validate
    public void AssertMalformedFailsOnWellFormedModule(string word)
    {
        var result = RunOne(Malformed(BinaryModule(word), "unexpected end"));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal("a well-formed module", result.Actual);
    }

    [Fact]
    public void AssertInvalidPassesOnValidationErrorWithPrefix() =>
        Assert.Equal(WastCommandStatus.Passed, RunOne(Invalid(BinaryModule("invalid:type mismatch"), "type mis")).Status);

    [Fact]
    public void AssertInvalidFailsOnValidModuleAndOnOtherMessage()
    {
        var valid = RunOne(Invalid(BinaryModule("ok"), "type mismatch"));
        Assert.Equal(WastCommandStatus.Failed, valid.Status);
        Assert.Equal("a valid module", valid.Actual);

        var other = RunOne(Invalid(BinaryModule("invalid:unknown local"), "type mismatch"));
        Assert.Equal(WastCommandStatus.Failed, other.Status);
        Assert.StartsWith("invalid \"unknown local\"", other.Actual);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AssertInvalidFailsWhenModuleIsMalformedEvenWithTheSameMessage(bool text)
    {
        // The reference runner lets a decode/parse error escape assert_invalid: the script fails.
        var module = text ? TextModuleWithError("type mismatch") : BinaryModule("malformed:type mismatch");
        var result = RunOne(Invalid(module, "type mismatch"));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.StartsWith("malformed", result.Actual);
    }

    [Fact]
    public void AssertMalformedCustomIsJudgedLikeAssertMalformed()
    {
        var passed = RunOne(new AssertModuleCommand(1, ModuleAssertion.MalformedCustom,
            QuoteModule("malformed:@custom annotation: missing section name"), "@custom annotation: missing section name"));
        Assert.Equal(WastCommandStatus.Passed, passed.Status);

        var wellFormed = RunOne(new AssertModuleCommand(1, ModuleAssertion.MalformedCustom, TextModule(), "@custom annotation: missing section name"));
        Assert.Equal(WastCommandStatus.Failed, wellFormed.Status);
        Assert.Equal("a well-formed module", wellFormed.Actual);
    }

    [Fact]
    public void AssertInvalidCustomChecksCustomSectionsAfterValidation()
    {
        const string Reason = "@metadata.code.branch_hint annotation: invalid target";
        var passed = RunOne(new AssertModuleCommand(1, ModuleAssertion.InvalidCustom, BinaryModule("invalid-custom:" + Reason), Reason));
        Assert.Equal(WastCommandStatus.Passed, passed.Status);

        // A plain validation error counts as well, as in the reference (which validates the module first).
        var invalid = RunOne(new AssertModuleCommand(1, ModuleAssertion.InvalidCustom, BinaryModule("invalid:type mismatch"), "type mismatch"));
        Assert.Equal(WastCommandStatus.Passed, invalid.Status);

        var valid = RunOne(new AssertModuleCommand(1, ModuleAssertion.InvalidCustom, BinaryModule("ok"), Reason));
        Assert.Equal(WastCommandStatus.Failed, valid.Status);
        Assert.Equal("a valid module", valid.Actual);
    }

    [Fact]
    public void AssertInvalidDoesNotCheckCustomSections()
    {
        var result = RunOne(Invalid(BinaryModule("invalid-custom:@metadata.code.branch_hint annotation: invalid target"), "@metadata"));
        Assert.Equal(WastCommandStatus.Failed, result.Status);
        Assert.Equal("a valid module", result.Actual);
    }

    [Fact]
    public void WithoutExecutionEverythingThatNeedsItIsSkippedNeverPassed()
    {
        var invoke = new InvokeAction(3, null, "f", []);
        var results = Run(
            new ModuleCommand(1, BinaryModule("ok", "$M")),
            new RegisterCommand(2, "m", "$M"),
            new ActionCommand(3, invoke),
            new ActionCommand(4, new GetAction(4, "$M", "g")),
            new AssertReturnCommand(5, invoke, []),
            new AssertTrapCommand(6, invoke, null, "unreachable"),
            new AssertTrapCommand(7, null, BinaryModule("ok"), "unreachable"),
            new AssertExhaustionCommand(8, invoke, "call stack exhausted"),
            new AssertExceptionCommand(9, invoke),
            new AssertModuleCommand(10, ModuleAssertion.Unlinkable, BinaryModule("ok"), "unknown import"),
            new ModuleCommand(11, DefinitionModule("ok", "$D")),
            new ModuleInstanceCommand(12, "$I", "$D"));

        Assert.Equal([1, 11], results.Where(r => r.Status == WastCommandStatus.Passed).Select(r => r.Line));
        var skipped = results.Where(r => r.Status == WastCommandStatus.Skipped).ToList();
        Assert.Equal(10, skipped.Count);
        Assert.All(skipped, r => Assert.Equal(NoExecution.Reason, r.Reason));
        Assert.Equal(
            ["module", "register", "invoke", "get", "assert_return", "assert_trap", "assert_trap", "assert_exhaustion",
             "assert_exception", "assert_unlinkable", "module definition", "module instance"],
            results.Select(r => r.Command));
    }

    [Fact]
    public void ModuleOfAnInstantiationAssertionMustStillBeValid()
    {
        var trap = RunOne(new AssertTrapCommand(1, null, BinaryModule("invalid:type mismatch"), "unreachable"));
        Assert.Equal(WastCommandStatus.Failed, trap.Status);
        Assert.Equal("trap \"unreachable\"", trap.Expected);

        var unlinkable = RunOne(new AssertModuleCommand(1, ModuleAssertion.Unlinkable, BinaryModule("malformed:unexpected end"), "unknown import"));
        Assert.Equal(WastCommandStatus.Failed, unlinkable.Status);
    }

    [Fact]
    public void CommandsOnAFailedModuleAreSkippedNamingIt()
    {
        var results = Run(
            new ModuleCommand(1, BinaryModule("invalid:type mismatch", "$M")),
            new ActionCommand(2, new InvokeAction(2, "$M", "f", [])),
            new ActionCommand(3, new InvokeAction(3, null, "f", [])));

        Assert.Equal(WastCommandStatus.Failed, results[0].Status);
        Assert.All(results.Skip(1), r =>
        {
            Assert.Equal(WastCommandStatus.Skipped, r.Status);
            Assert.Equal("module at line 1 failed", r.Reason);
        });
    }

    [Fact]
    public void UnknownModuleNamesFail()
    {
        var results = Run(
            new ActionCommand(1, new InvokeAction(1, null, "f", [])),
            new ModuleCommand(2, BinaryModule("ok", "$M")),
            new ActionCommand(3, new InvokeAction(3, "$N", "f", [])),
            new ModuleInstanceCommand(4, "$I", "$nope"));

        Assert.Equal([WastCommandStatus.Failed, WastCommandStatus.Passed, WastCommandStatus.Failed, WastCommandStatus.Failed],
            results.Select(r => r.Status));
        Assert.Equal("no module instance defined", results[0].Reason);
        Assert.Equal("unknown module instance $N", results[2].Reason);
        Assert.Equal("unknown module $nope", results[3].Reason);
    }

    [Fact]
    public void AnUnexpectedExceptionFailsOnlyItsCommand()
    {
        var results = Run(
            new ModuleCommand(1, BinaryModule("crash")),
            new AssertModuleCommand(2, ModuleAssertion.Malformed, BinaryModule("crash"), "x"),
            new ModuleCommand(3, BinaryModule("ok")));

        Assert.Equal([WastCommandStatus.Failed, WastCommandStatus.Failed, WastCommandStatus.Passed], results.Select(r => r.Status));
        Assert.Equal("NotImplementedException: not merged yet", results[0].Actual);
        Assert.Equal("unexpected NotImplementedException: not merged yet", results[1].Reason);
    }

    [Fact]
    public void EveryCommandGetsExactlyOneResult()
    {
        var commands = new ScriptCommand[]
        {
            new ModuleCommand(1, BinaryModule("malformed:x")),
            new AssertModuleCommand(2, ModuleAssertion.Invalid, BinaryModule("ok"), "x"),
            new AssertReturnCommand(3, new InvokeAction(3, null, "f", []), []),
            new RegisterCommand(4, "m", null),
        };
        Assert.Equal([1, 2, 3, 4], Run(commands).Select(r => r.Line));
    }
}
