using BenchmarkDotNet.Attributes;
using Weft.Binary;

namespace Weft.Benchmarks;

/// <summary>Decode (and decode+validate) throughput of <see cref="ModuleReader"/> and the validator.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[][] _modules = [];

    /// <summary>The input: see <see cref="DecodeInputs"/>.</summary>
    [ParamsSource(nameof(Inputs))]
    public string Input { get; set; } = DecodeInputs.Synthetic10MB;

    /// <summary>The inputs available (the suite's only when it is present).</summary>
    public static IEnumerable<string> Inputs()
    {
        yield return DecodeInputs.Synthetic10MB;
        yield return DecodeInputs.Valid10MB;
        if (Weft.Tests.Binary.SpecSuite.Root is not null)
        {
            yield return DecodeInputs.SuiteAll;
            yield return DecodeInputs.SuiteLargest;
        }
        if (Environment.GetEnvironmentVariable("WEFT_WASM_CORPUS") is { Length: > 0 } folder && Directory.Exists(folder))
        {
            yield return DecodeInputs.Corpus;
        }
    }

    [GlobalSetup]
    public void Setup() => _modules = DecodeInputs.Get(Input);

    [Benchmark]
    public int Decode()
    {
        int functions = 0;
        foreach (byte[] module in _modules) functions += ModuleReader.Read(module).Codes.Count;
        return functions;
    }

    /// <summary>Decoding followed by validation: what <c>WasmModule.FromBytes</c> costs before any compilation.</summary>
    [Benchmark]
    public int DecodeAndValidate()
    {
        int functions = 0;
        foreach (byte[] module in _modules) functions += Weft.Validation.Validator.Validate(ModuleReader.Read(module)).FunctionCount;
        return functions;
    }
}
