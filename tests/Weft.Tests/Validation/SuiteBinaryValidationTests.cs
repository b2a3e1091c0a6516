using System.Text;
using Weft.Binary;
using Weft.Tests.Binary;
using Weft.Validation;
using Xunit.Abstractions;

namespace Weft.Tests.Validation;

/// <summary>
/// The validator against every <c>(module binary ...)</c> of the spec suite that decodes: those in assert_invalid
/// fail with the expected message prefix, the others validate. (Text modules join once the text parser does.)
/// </summary>
public sealed class SuiteBinaryValidationTests(ITestOutputHelper output)
{
    [SuiteFact]
    public void BinaryModulesValidateOrFailAsExpected()
    {
        var failures = new StringBuilder();
        int valid = 0, invalid = 0;
        foreach (var module in SpecSuite.BinaryModules.Where(m => m.Context is not "assert_malformed"))
        {
            Syntax.Module decoded;
            try
            {
                decoded = ModuleReader.Read(module.Bytes);
            }
            catch (MalformedModuleException)
            {
                continue;
            }
            if (module.Context == "assert_invalid")
            {
                invalid++;
                var ex = Record.Exception(() => Validator.Validate(decoded));
                if (ex is not InvalidModuleException)
                {
                    failures.AppendLine($"{module}: expected invalid, got {ex?.GetType().Name ?? "a valid module"}");
                }
            }
            else
            {
                valid++;
                var ex = Record.Exception(() => Validator.Validate(decoded));
                if (ex is not null) failures.AppendLine($"{module}: {ex.Message}");
            }
        }
        output.WriteLine($"{valid} valid and {invalid} invalid binary modules");
        Assert.True(valid > 0, "no binary modules found in the suite");
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
