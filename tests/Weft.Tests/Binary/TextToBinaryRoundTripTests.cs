using Weft.Binary;
using Weft.Script;
using Weft.Tests.Conformance;
using Weft.Tests.Text;
using Xunit.Abstractions;

namespace Weft.Tests.Binary;

/// <summary>
/// Every text module of the suite, encoded, decoded and encoded again, gives identical bytes: the reader and writer
/// agree exactly on everything the text parser produces.
/// </summary>
public sealed class TextToBinaryRoundTripTests(ITestOutputHelper output)
{
    [SpecSuiteFact]
    public void EverySuiteTextModuleRoundTripsThroughTheBinaryFormat()
    {
        int count = 0;
        var failures = new List<string>();
        foreach (var script in TextSuite.Scripts())
        {
            var parsed = WastParser.Parse(File.ReadAllBytes(TextSuite.FullPath(script)), script);
            foreach (var command in parsed.Commands)
            {
                var module = command switch
                {
                    ModuleCommand c => c.Module,
                    AssertModuleCommand { Assertion: not ModuleAssertion.Malformed } c => c.Module,
                    AssertTrapCommand c => c.Module,
                    _ => null,
                };
                if (module?.Parsed is not { } syntax) continue;
                count++;
                byte[] first = ModuleWriter.Write(syntax);
                try
                {
                    byte[] second = ModuleWriter.Write(ModuleReader.Read(first));
                    if (!first.AsSpan().SequenceEqual(second)) failures.Add($"{script}:{module.Line}: bytes differ after read and write");
                }
                catch (MalformedModuleException e)
                {
                    failures.Add($"{script}:{module.Line}: the encoding does not decode: {e.Message}");
                }
            }
        }
        output.WriteLine($"{count} text modules round-tripped");
        Assert.True(count > 1000, $"only {count} text modules found");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
    }
}
