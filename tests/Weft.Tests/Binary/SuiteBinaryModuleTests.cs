using System.Text;
using Weft.Binary;
using Xunit.Abstractions;

namespace Weft.Tests.Binary;

/// <summary>The decoder against every <c>(module binary ...)</c> of the spec test suite.</summary>
public sealed class SuiteBinaryModuleTests(ITestOutputHelper output)
{
    [SuiteFact]
    public void EveryBinaryModuleOutsideAssertMalformedDecodes()
    {
        var failures = new StringBuilder();
        int count = 0;
        foreach (var module in SpecSuite.BinaryModules.Where(m => m.ExpectedMalformed is null && m.Context != "assert_malformed"))
        {
            count++;
            try
            {
                ModuleReader.Read(module.Bytes);
            }
            catch (MalformedModuleException e)
            {
                failures.AppendLine($"{module}: {e.Message}");
            }
        }
        output.WriteLine($"{count} binary modules outside assert_malformed");
        Assert.True(count > 0, "no binary modules found in the suite");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [SuiteFact]
    public void EveryAssertMalformedBinaryModuleFailsWithItsMessage()
    {
        var failures = new StringBuilder();
        int count = 0;
        foreach (var module in SpecSuite.BinaryModules.Where(m => m.Context == "assert_malformed"))
        {
            count++;
            try
            {
                // The 3.0 suite's rules: its binary.wast expects limits flag 0x08 (custom-page-sizes' bit) malformed.
                ModuleReader.ReadWithoutCustomPageSizes(module.Bytes);
                failures.AppendLine($"{module}: decoded, expected \"{module.ExpectedMalformed}\"");
            }
            catch (MalformedModuleException e) when (e.Reason.StartsWith(module.ExpectedMalformed ?? "", StringComparison.Ordinal))
            {
            }
            catch (MalformedModuleException e)
            {
                failures.AppendLine($"{module}: \"{e.Reason}\", expected \"{module.ExpectedMalformed}\"");
            }
        }
        output.WriteLine($"{count} assert_malformed binary modules");
        Assert.True(count > 0, "no assert_malformed binary modules found in the suite");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [SuiteFact]
    public void WriterRoundTripsEverySuiteModuleTheReaderAccepts()
    {
        var failures = new StringBuilder();
        int count = 0;
        foreach (var module in SpecSuite.BinaryModules)
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
            count++;
            byte[] once = ModuleWriter.Write(decoded);
            byte[] twice;
            try
            {
                twice = ModuleWriter.Write(ModuleReader.Read(once));
            }
            catch (MalformedModuleException e)
            {
                failures.AppendLine($"{module}: the written module does not decode: {e.Message}");
                continue;
            }
            if (!once.AsSpan().SequenceEqual(twice)) failures.AppendLine($"{module}: Write(Read(Write(m))) differs from Write(m)");
        }
        output.WriteLine($"{count} modules round-tripped");
        Assert.True(failures.Length == 0, failures.ToString());
    }
}
