using System.Runtime.InteropServices;

namespace Weft.Benchmarks.Harness;

/// <summary>
/// The buffer kernel's SIMD count over host memories (docs/HOST-MEMORY.md): the same <c>count_simd</c> as over the
/// module's own linear memory, in a module that imports its memory, run over a native buffer mapped with
/// <see cref="Memory.FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/> and over the kernel's GC
/// <c>(array (mut i8))</c> mapped with <see cref="Memory.Map(GcArray)"/>, once, and anew for every pass.
/// </summary>
internal static unsafe class MappedBufferKernel
{
    private const int Passes = 10;

    private const int Rounds = 5;

    private const string Text = """
        (module
          (import "host" "buffer" (memory 0 (pagesize 1)))
          (func (export "count_simd") (param $a i32) (param $needle i32) (param $n i32) (result i32)
            (local $i i32) (local $count i32) (local $splat v128)
            (local.set $splat (i8x16.splat (local.get $needle)))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count)
                  (i32.popcnt (i8x16.bitmask
                    (i8x16.eq (v128.load (i32.add (local.get $a) (local.get $i))) (local.get $splat))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $next)))
            (local.get $count)))
        """;

    /// <summary>
    /// The ways over <paramref name="array"/> (whose bytes a native copy gets too), each of which must count
    /// <paramref name="expected"/>, timed in turns with <paramref name="ordinary"/> (the kernel over ordinary linear memory).
    /// </summary>
    public static List<KernelResult> Run(Store store, GcArray array, Func<int> ordinary, int needle, int expected, Action<string> log)
    {
        int size = array.Length;
        var module = WasmModule.FromText(Text);
        Func<int, int, int, int> Count(Memory memory) =>
            new Linker().Define("host", "buffer", memory).Instantiate(store, module).GetFunction<int, int, int, int>("count_simd")!;

        byte* native = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        try
        {
            array.AsReadOnlySpan<byte>().CopyTo(new Span<byte>(native, size));
            var nativeCount = Count(Memory.FromHost(store, (nint)native, (ulong)size, owner: null));

            var mappedOnce = Memory.CreateMappable(store);
            var onceCount = Count(mappedOnce);
            using var mapping = mappedOnce.Map(array);

            var perPass = Memory.CreateMappable(store);
            var perPassCount = Count(perPass);
            int MapAndCount()
            {
                using (perPass.Map(array)) return perPassCount(0, needle, size);
            }

            int[] all = [nativeCount(0, needle, size), onceCount(0, needle, size), MapAndCount()];
            if (all.Any(c => c != expected)) throw new InvalidOperationException($"mapped buffer kernel: {expected} vs [{string.Join(", ", all)}]");

            // What a map + unmap of the array costs alone (pin, store entry, swap; and back).
            var spare = Memory.CreateMappable(store);
            double roundTripNs = MicroBenchmarks.PerOp(() => { for (int i = 0; i < 10_000; i++) spare.Map(array).Dispose(); return 0; }, 10_000, 10);
            log($"  map + unmap of a GC array alone: {roundTripNs:F0} ns");

            // Interleaved with the ordinary linear-memory way, round after round, best of all: on a loaded machine a
            // way measured alone after another can be 30% off from load changes alone.
            Func<int>[] ways = [ordinary, () => nativeCount(0, needle, size), () => onceCount(0, needle, size), MapAndCount];
            var best = Enumerable.Repeat(double.MaxValue, ways.Length).ToArray();
            for (int round = 0; round < Rounds; round++)
            {
                for (int w = 0; w < ways.Length; w++) best[w] = Math.Min(best[w], Us(ways[w]));
            }
            log($"  interleaved: ordinary linear memory {best[0]:F1} µs, native host buffer {best[1]:F1} µs, array mapped once {best[2]:F1} µs, array mapped per pass {best[3]:F1} µs");
            return
            [
                new("SIMD wasm over linear memory again, measured interleaved with the three mapped ways below", best[0], double.NaN),
                new("SIMD wasm over a native host buffer mapped as a memory (Memory.FromHost, pagesize 1)", best[1], double.NaN),
                new("SIMD wasm over the GC (array i8) mapped as a memory (Memory.Map(GcArray), mapped once)", best[2], double.NaN),
                new("SIMD wasm over the GC (array i8) mapped anew for every pass (Map, call, Dispose)", best[3], double.NaN),
            ];
        }
        finally
        {
            NativeMemory.AlignedFree(native);
        }
    }

    private static double Us<T>(Func<T> pass) => MicroBenchmarks.PerOp(pass, 1, Passes) / 1000;
}
