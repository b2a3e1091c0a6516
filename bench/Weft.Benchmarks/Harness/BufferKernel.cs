namespace Weft.Benchmarks.Harness;

/// <summary>One way of running the buffer kernel: µs per 1 MiB pass on each engine (NaN where not run).</summary>
internal sealed record KernelResult(string Way, double WeftUs, double WasmtimeUs);

/// <summary>
/// One kernel, the <c>count</c> kernel of <see cref="SimdKernels"/> (how many bytes of 1 MiB equal a needle), run three
/// ways: SIMD wasm over linear memory; scalar wasm over a GC <c>(array i8)</c>; and the host's C# over that same array
/// through <see cref="GcArray.AsSpan{T}"/> with <c>Vector128</c> (no copy). Scalar wasm over linear memory and a
/// scalar C# loop over the span are the references; Wasmtime runs the linear-memory versions of the same module.
/// Every way must give the same count.
/// </summary>
internal static class BufferKernel
{
    private const int Passes = 30;

    private const string ArrayModule = """
        (module
          (type $bytes (array (mut i8)))
          (func (export "new_bytes") (param $n i32) (result (ref $bytes)) (array.new_default $bytes (local.get $n)))
          ;; how many elements of the array equal the needle, one byte at a time
          (func (export "count_array") (param $a (ref $bytes)) (param $needle i32) (result i32)
            (local $i i32) (local $n i32) (local $count i32)
            (local.set $n (array.len (local.get $a)))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count)
                  (i32.eq (array.get_u $bytes (local.get $a) (local.get $i)) (local.get $needle))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $count)))
        """;

    // The same count over the same kind of array with the weft:array-simd builtins (docs/BUILTINS-ARRAY-SIMD.md):
    // the linear-memory SIMD kernel with v128.load replaced by the load_i8 builtin (compiled inline), then a scalar tail.
    private const string ArraySimdModule = """
        (module
          (type $bytes (array (mut i8)))
          (import "weft:array-simd" "load_i8" (func $load (param (ref null $bytes) i32) (result v128)))
          (func (export "new_bytes") (param $n i32) (result (ref $bytes)) (array.new_default $bytes (local.get $n)))
          (func (export "count_array_simd") (param $a (ref $bytes)) (param $needle i32) (result i32)
            (local $i i32) (local $n i32) (local $end i32) (local $count i32) (local $splat v128)
            (local.set $n (array.len (local.get $a)))
            (local.set $end (i32.and (local.get $n) (i32.const -16)))
            (local.set $splat (i8x16.splat (local.get $needle)))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $count (i32.add (local.get $count)
                  (i32.popcnt (i8x16.bitmask (i8x16.eq (call $load (local.get $a) (local.get $i)) (local.get $splat))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $next)))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count) (i32.eq (array.get_u $bytes (local.get $a) (local.get $i)) (local.get $needle))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tail)))
            (local.get $count)))
        """;

    public static List<KernelResult> Run(Action<string> log)
    {
        const int size = SimdKernels.Size;
        const int needle = SimdKernels.Needle;

        var memoryModule = WasmModule.FromText(SimdKernels.Text);
        using var store = new Store();
        var weft = new Linker().Instantiate(store, memoryModule);
        SimdKernels.Fill(weft.GetMemory("memory")!.Span);
        var weftSimd = weft.GetFunction<int, int, int, int>("count_simd")!;
        var weftScalar = weft.GetFunction<int, int, int, int>("count_scalar")!;

        var arrays = new Linker().Instantiate(store, WasmModule.FromText(ArrayModule));
        var array = (GcArray)arrays.GetFunction("new_bytes")!.Invoke(size)[0].AsReference()!;
        weft.GetMemory("memory")!.Span[..size].CopyTo(array.AsSpan<byte>());
        var countArray = arrays.GetFunction("count_array")!;
        var simdOptions = new WasmModuleOptions { Builtins = new HashSet<string> { WasmModuleOptions.ArraySimd } };
        var simdArrays = WasmModule.FromText(Engine.Default, ArraySimdModule, simdOptions).Instantiate(store, []);
        var simdArray = (GcArray)simdArrays.GetFunction("new_bytes")!.Invoke(size)[0].AsReference()!;
        weft.GetMemory("memory")!.Span[..size].CopyTo(simdArray.AsSpan<byte>());
        var countArraySimd = simdArrays.GetFunction<object?, int, int>("count_array_simd")!;
        var arrayArguments = new WasmValue[] { WasmValue.FromReference(array), needle };

        using var engine = new Wasmtime.Engine(new Wasmtime.Config().WithSIMD(true));
        using var wtModule = Wasmtime.Module.FromBytes(engine, "kernels", memoryModule.ToBinary());
        using var wtStore = new Wasmtime.Store(engine);
        var wt = new Wasmtime.Linker(engine).Instantiate(wtStore, wtModule);
        SimdKernels.Fill(wt.GetMemory("memory")!.GetSpan(0, 2 * size));
        var wtSimd = wt.GetFunction<int, int, int, int>("count_simd")!;
        var wtScalar = wt.GetFunction<int, int, int, int>("count_scalar")!;

        int expected = SimdKernels.CountScalar(array.AsReadOnlySpan<byte>(), needle);
        int[] all =
        [
            weftSimd(0, needle, size), weftScalar(0, needle, size), countArray.Invoke(arrayArguments)[0].AsInt32(), countArraySimd(simdArray, needle),
            SimdKernels.CountVector128(array.AsReadOnlySpan<byte>(), needle), wtSimd(0, needle, size), wtScalar(0, needle, size),
        ];
        if (all.Any(c => c != expected)) throw new InvalidOperationException($"buffer kernel: the ways disagree: {expected} vs [{string.Join(", ", all)}]");

        var results = new List<KernelResult>
        {
            new("SIMD wasm over linear memory (v128.load, i8x16.eq, i8x16.bitmask, i32.popcnt)",
                Us(() => weftSimd(0, needle, size)), Us(() => wtSimd(0, needle, size))),
            new("scalar wasm over a GC (array i8) (array.get_u)", Us(() => countArray.Invoke(arrayArguments)), double.NaN),
            new("SIMD builtins over a GC (array i8) (weft:array-simd load_i8, inline)", Us(() => countArraySimd(simdArray, needle)), double.NaN),
            new("host C# over the same array: GcArray.AsSpan<byte>() with Vector128", Us(() => SimdKernels.CountVector128(array.AsReadOnlySpan<byte>(), needle)), double.NaN),
            new("reference: scalar wasm over linear memory (i32.load8_u)", Us(() => weftScalar(0, needle, size)), Us(() => wtScalar(0, needle, size))),
            new("reference: host C# scalar loop over the array's span", Us(() => SimdKernels.CountScalar(array.AsReadOnlySpan<byte>(), needle)), double.NaN),
        };
        results.AddRange(MappedBufferKernel.Run(store, array, () => weftSimd(0, needle, size), needle, expected, log)); // host memories (docs/HOST-MEMORY.md)
        foreach (var r in results) log($"  {r.Way}: Weft {r.WeftUs:F1} µs, Wasmtime {r.WasmtimeUs:F1} µs");
        return results;
    }

    private static double Us<T>(Func<T> pass) => MicroBenchmarks.PerOp(pass, 1, Passes) / 1000;
}
