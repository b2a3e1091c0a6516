using Weft.Tests.Conformance;
using System.Text;
using Weft.Script;
using Weft.Text;
using Xunit.Abstractions;

namespace Weft.Tests.Text;

/// <summary>
/// Drives the text parser with the spec suite: every text module outside assert_malformed must parse, and every
/// assert_malformed on a quoted module must fail with a reason starting with the expected text.
/// </summary>
public class WatParserSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scripts() => TextSuite.ScriptData();

    /// <summary>The outcome of checking one script.</summary>
    internal sealed record Outcome(int ModulesParsed, int MalformedPassed, List<string> Failures);

    internal static Outcome Check(string script)
    {
        var parsed = WastParser.Parse(File.ReadAllBytes(TextSuite.FullPath(script)), script);
        int modules = 0, malformed = 0;
        var failures = new List<string>();
        foreach (var command in parsed.Commands)
        {
            switch (command)
            {
                case ModuleCommand m:
                    CheckParses(m.Module);
                    break;
                case AssertTrapCommand { Module: { } m }:
                    CheckParses(m);
                    break;
                case AssertModuleCommand { Assertion: ModuleAssertion.Malformed, Module: var m } a:
                    CheckMalformed(m, a.Message, a.Line);
                    break;
                case AssertModuleCommand { Assertion: ModuleAssertion.Invalid or ModuleAssertion.Unlinkable, Module: var m }:
                    CheckParses(m);
                    break;
                case AssertModuleCommand { Assertion: ModuleAssertion.MalformedCustom, Module: var m } a:
                    CheckMalformed(m, a.Message, a.Line);
                    break;
            }
        }
        return new Outcome(modules, malformed, failures);

        void CheckParses(ScriptModule module)
        {
            try
            {
                switch (module.Kind)
                {
                    case ScriptModuleKind.Text when module.ParseError is { } error:
                        failures.Add($"{script}:{module.Line}: {error.Message}");
                        return;
                    case ScriptModuleKind.Quote:
                        WatParser.ParseModule(module.Bytes!);
                        break;
                    case ScriptModuleKind.Binary:
                        return;
                }
                modules++;
            }
            catch (MalformedModuleException e)
            {
                failures.Add($"{script}:{module.Line}: {e.Message}");
            }
        }

        void CheckMalformed(ScriptModule module, string expected, int line)
        {
            if (module.Kind != ScriptModuleKind.Quote) return;
            try
            {
                WatParser.ParseModule(module.Bytes!);
                failures.Add($"{script}:{line}: parsed, but expected \"{expected}\"");
            }
            catch (MalformedModuleException e) when (e.Reason.StartsWith(expected, StringComparison.Ordinal))
            {
                malformed++;
            }
            catch (MalformedModuleException e)
            {
                failures.Add($"{script}:{line}: expected \"{expected}\", got \"{e.Reason}\" ({e.Message})");
            }
        }
    }

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void TextModulesParseAndMalformedOnesFailAsExpected(string script)
    {
        var outcome = Check(script);
        Assert.True(outcome.Failures.Count == 0, string.Join("\n", outcome.Failures));
    }

    [SpecSuiteFact]
    public void ReportsCounts()
    {
        int modules = 0, malformed = 0;
        var failures = new List<string>();
        foreach (var script in TextSuite.Scripts())
        {
            var outcome = Check(script);
            modules += outcome.ModulesParsed;
            malformed += outcome.MalformedPassed;
            failures.AddRange(outcome.Failures);
        }
        output.WriteLine($"text modules parsed: {modules}; assert_malformed quote cases passing: {malformed}; failures: {failures.Count}");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures));
    }
}
