using BenchmarkDotNet.Attributes;
using Wasmtime;

namespace Weft.Benchmarks;

/// <summary>
/// The <see cref="SimdKernels"/> over 1 MiB, as scalar and as SIMD wasm, on Weft and on Wasmtime (Cranelift) in the same
/// run, next to the same loops in C#. Every implementation is checked against the others before measuring.
/// </summary>
public class SimdBenchmarks : IDisposable
{
    private readonly byte[] _native = new byte[2 * SimdKernels.Size];
    private Function _weftScalar = null!;
    private Function _weftSimd = null!;
    private WasmValue[] _weftArguments = [];
    private Func<int, int, int, int> _wasmtimeScalar = null!;
    private Func<int, int, int, int> _wasmtimeSimd = null!;
    private int _second;
    private Wasmtime.Engine? _engine;
    private Wasmtime.Store? _wasmtimeStore;

    /// <summary>The kernel: <c>sad</c> or <c>count</c>.</summary>
    [Params("sad", "count")]
    public string Kernel { get; set; } = "sad";

    [GlobalSetup]
    public void Setup()
    {
        SimdKernels.Fill(_native);
        _second = Kernel == "sad" ? SimdKernels.Size : SimdKernels.Needle;

        var weftModule = WasmModule.FromText(SimdKernels.Text);
        var weft = new Weft.Linker().Instantiate(new Weft.Store(), weftModule);
        SimdKernels.Fill(weft.GetMemory("memory")!.Span);
        _weftScalar = weft.GetFunction($"{Kernel}_scalar")!;
        _weftSimd = weft.GetFunction($"{Kernel}_simd")!;
        _weftArguments = [WasmValue.FromInt32(0), WasmValue.FromInt32(_second), WasmValue.FromInt32(SimdKernels.Size)];

        _engine = new Wasmtime.Engine(new Config().WithSIMD(true).WithRelaxedSIMD(true, false).WithOptimizationLevel(OptimizationLevel.Speed));
        using var wasmtimeModule = Wasmtime.Module.FromBytes(_engine, "kernels", weftModule.ToBinary());
        _wasmtimeStore = new Wasmtime.Store(_engine);
        var wasmtime = new Wasmtime.Linker(_engine).Instantiate(_wasmtimeStore, wasmtimeModule);
        SimdKernels.Fill(wasmtime.GetMemory("memory")!.GetSpan(0, 2 * SimdKernels.Size));
        _wasmtimeScalar = wasmtime.GetFunction<int, int, int, int>($"{Kernel}_scalar")!;
        _wasmtimeSimd = wasmtime.GetFunction<int, int, int, int>($"{Kernel}_simd")!;

        int expected = CSharpScalar();
        int[] results = [CSharpVector128(), WeftScalar(), WeftSimd(), WasmtimeScalar(), WasmtimeSimd()];
        if (results.Any(r => r != expected))
        {
            throw new InvalidOperationException($"{Kernel}: the implementations disagree: {expected} vs [{string.Join(", ", results)}]");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _wasmtimeStore?.Dispose();
        _engine?.Dispose();
        _wasmtimeStore = null;
        _engine = null;
        GC.SuppressFinalize(this);
    }

    private ReadOnlySpan<byte> A => _native.AsSpan(0, SimdKernels.Size);

    private ReadOnlySpan<byte> B => _native.AsSpan(SimdKernels.Size, SimdKernels.Size);

    [Benchmark(Baseline = true)]
    public int CSharpScalar() => Kernel == "sad" ? SimdKernels.SadScalar(A, B) : SimdKernels.CountScalar(A, SimdKernels.Needle);

    [Benchmark]
    public int CSharpVector128() => Kernel == "sad" ? SimdKernels.SadVector128(A, B) : SimdKernels.CountVector128(A, SimdKernels.Needle);

    [Benchmark]
    public int WeftScalar() => _weftScalar.Invoke(_weftArguments)[0].AsInt32();

    [Benchmark]
    public int WeftSimd() => _weftSimd.Invoke(_weftArguments)[0].AsInt32();

    [Benchmark]
    public int WasmtimeScalar() => _wasmtimeScalar(0, _second, SimdKernels.Size);

    [Benchmark]
    public int WasmtimeSimd() => _wasmtimeSimd(0, _second, SimdKernels.Size);
}
