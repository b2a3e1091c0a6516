using System.Text;
using Weft.Binary;
using Weft.Script;
using Weft.Tests.Conformance;
using Weft.Text;
using Weft.Validation;
using Xunit.Abstractions;

namespace Weft.Tests.Validation;

/// <summary>
/// The validator against every module of the spec suite, in text or binary: each assert_invalid module fails with
/// the expected message prefix, and every module the scripts define (or expect to link or trap) validates.
/// </summary>
public sealed class SuiteValidationTests(ITestOutputHelper output)
{
    [SpecSuiteFact]
    public void EveryModuleValidatesOrFailsWithItsMessage()
    {
        var failures = new StringBuilder();
        int valid = 0, invalid = 0, failed = 0;
        foreach (string script in SpecSuite.AllScripts())
        {
            var parsed = WastParser.Parse(File.ReadAllBytes(Path.Combine(SpecSuite.Root!, script)), script);
            foreach (var command in parsed.Commands)
            {
                var (module, expected) = command switch
                {
                    ModuleCommand c => (c.Module, null),
                    AssertModuleCommand { Assertion: ModuleAssertion.Invalid } c => (c.Module, c.Message),
                    AssertModuleCommand { Assertion: ModuleAssertion.Unlinkable } c => (c.Module, null),
                    AssertTrapCommand { Module: { } m } => (m, (string?)null),
                    _ => (null, null),
                };
                if (module is null) continue;
                string where = $"{script}:{command.Line}";
                Syntax.Module syntax;
                try
                {
                    syntax = module.Kind switch
                    {
                        ScriptModuleKind.Text => module.Parsed ?? throw module.ParseError!,
                        ScriptModuleKind.Binary => ModuleReader.Read(module.Bytes!),
                        _ => WatParser.ParseModule(module.Bytes!),
                    };
                }
                catch (MalformedModuleException e)
                {
                    failed++;
                    failures.AppendLine($"{where}: malformed: {e.Message}");
                    continue;
                }
                var error = Record.Exception(() => Validator.Validate(syntax));
                if (expected is null)
                {
                    valid++;
                    if (error is not null)
                    {
                        failed++;
                        failures.AppendLine($"{where}: expected a valid module, got {error.GetType().Name}: {error.Message}");
                    }
                }
                else
                {
                    invalid++;
                    if (error is not InvalidModuleException e || !e.Reason.StartsWith(expected, StringComparison.Ordinal))
                    {
                        failed++;
                        failures.AppendLine($"{where}: expected invalid \"{expected}\", got {error?.Message ?? "a valid module"}");
                    }
                }
            }
        }
        output.WriteLine($"{valid} valid modules, {invalid} assert_invalid modules, {failed} failures");
        Assert.True(invalid > 2000, $"only {invalid} assert_invalid modules found");
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
