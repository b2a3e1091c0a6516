using System.Diagnostics;

namespace Weft.Benchmarks;

/// <summary>
/// Best-of-N stopwatch timings of <see cref="SimdBenchmarks"/> (`-- --quick-simd`): on a busy machine the best run
/// shows what the code can do when it gets a core, where BenchmarkDotNet's mean also measures the neighbours.
/// </summary>
internal static class SimdQuickTiming
{
    public static void Run()
    {
        foreach (var kernel in new[] { "sad", "count" })
        {
            using var benchmarks = new SimdBenchmarks { Kernel = kernel };
            benchmarks.Setup();
            Time(kernel, "CSharpScalar", benchmarks.CSharpScalar);
            Time(kernel, "CSharpVector128", benchmarks.CSharpVector128);
            Time(kernel, "WeftScalar", benchmarks.WeftScalar);
            Time(kernel, "WeftSimd", benchmarks.WeftSimd);
            Time(kernel, "WasmtimeScalar", benchmarks.WasmtimeScalar);
            Time(kernel, "WasmtimeSimd", benchmarks.WasmtimeSimd);
        }
    }

    private static void Time(string kernel, string method, Func<int> run)
    {
        for (int i = 0; i < 50; i++) run();
        var best = TimeSpan.MaxValue;
        for (int round = 0; round < 30; round++)
        {
            var clock = Stopwatch.StartNew();
            run();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        double mbPerSecond = SimdKernels.Size / best.TotalSeconds / 1e6;
        Console.WriteLine($"{kernel,-6} {method,-16} {best.TotalMicroseconds,9:F1} us  {mbPerSecond,8:F0} MB/s (best of 30)");
    }
}
