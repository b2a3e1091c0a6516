using Weft.Binary;
using Weft.Tests.Binary;
using Weft.Tests.Robustness;

namespace Weft.Benchmarks;

/// <summary>The modules the decode benchmarks read, by name, built once per process.</summary>
internal static class DecodeInputs
{
    /// <summary>A generated module of about 10 MB: many functions with realistic bodies.</summary>
    public const string Synthetic10MB = "synthetic-10MB";

    /// <summary>Every binary module of the spec suite that decodes, read one after another.</summary>
    public const string Valid10MB = "valid-10MB";

    public const string SuiteAll = "suite-all";

    /// <summary>The largest binary module of the spec suite.</summary>
    public const string SuiteLargest = "suite-largest";

    /// <summary>Every module under <c>$WEFT_WASM_CORPUS</c> that decodes, read one after another.</summary>
    public const string Corpus = "corpus";

    private static readonly Lazy<Dictionary<string, byte[][]>> s_inputs = new(Build);

    /// <summary>The modules of an input.</summary>
    public static byte[][] Get(string name) => s_inputs.Value[name];

    /// <summary>The total size in bytes of an input's modules.</summary>
    public static long SizeOf(string name) => Get(name).Sum(m => (long)m.Length);

    private static Dictionary<string, byte[][]> Build()
    {
        var inputs = new Dictionary<string, byte[][]>
        {
            [Synthetic10MB] = [ModuleWriter.Write(SyntheticModules.Generate(seed: 1, functions: 18_000, instructionsPerFunction: 250))],
            [Valid10MB] = [ValidModuleGenerator.Generate(10_000_000)],
        };
        var suite = new List<byte[]>();
        foreach (var module in SpecSuite.BinaryModules)
        {
            try
            {
                Weft.Validation.Validator.Validate(ModuleReader.Read(module.Bytes));
                suite.Add(module.Bytes);
            }
            catch (WeftException)
            {
            }
        }
        if (suite.Count > 0)
        {
            inputs[SuiteAll] = suite.ToArray();
            inputs[SuiteLargest] = [suite.MaxBy(m => m.Length)!];
        }
        string? folder = Environment.GetEnvironmentVariable("WEFT_WASM_CORPUS");
        if (!string.IsNullOrEmpty(folder) && Directory.Exists(folder))
        {
            var corpus = new List<byte[]>();
            foreach (string path in Directory.EnumerateFiles(folder, "*.wasm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                byte[] bytes = File.ReadAllBytes(path);
                try
                {
                    ModuleReader.Read(bytes);
                    corpus.Add(bytes);
                }
                catch (MalformedModuleException)
                {
                }
            }
            inputs[Corpus] = corpus.ToArray();
        }
        return inputs;
    }
}
