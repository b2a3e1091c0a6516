using System.Text;
using Weft.Binary;
using Xunit.Abstractions;

namespace Weft.Tests.Binary;

/// <summary>
/// Decodes and round-trips every <c>*.wasm</c> under the folder named by <c>WEFT_WASM_CORPUS</c> (for instance the
/// suite's text modules compiled by another toolchain). Skipped when the variable is not set.
/// </summary>
public sealed class WasmCorpusTests(ITestOutputHelper output)
{
    private const string Variable = "WEFT_WASM_CORPUS";

    [CorpusFact]
    public void EveryCorpusModuleDecodesAndRoundTrips()
    {
        string folder = Environment.GetEnvironmentVariable(Variable)!;
        var failures = new StringBuilder();
        int count = 0, failed = 0;
        foreach (string path in Directory.EnumerateFiles(folder, "*.wasm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            count++;
            byte[] bytes = File.ReadAllBytes(path);
            try
            {
                byte[] once = ModuleWriter.Write(ModuleReader.Read(bytes));
                byte[] twice = ModuleWriter.Write(ModuleReader.Read(once));
                if (!once.AsSpan().SequenceEqual(twice)) throw new InvalidOperationException("Write(Read(Write(m))) != Write(m)");
            }
            catch (Exception e) when (e is MalformedModuleException or InvalidOperationException)
            {
                failed++;
                if (failed <= 50) failures.AppendLine($"{Path.GetRelativePath(folder, path)}: {e.Message}");
            }
        }
        output.WriteLine($"{count} modules, {failed} failed");
        Assert.True(failed == 0, $"{failed} of {count} failed:\n{failures}");
    }

    private sealed class CorpusFactAttribute : FactAttribute
    {
        public CorpusFactAttribute()
        {
            string? folder = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder)) Skip = $"set {Variable} to a folder of .wasm files to run";
        }
    }
}
