using System.Diagnostics;
using System.Globalization;

namespace Weft.Benchmarks.Kernels;

/// <summary>
/// Runs the .wat kernels of bench/kernels on Weft and on Wasmtime (the NuGet package) in one process, interleaved,
/// several times each, and prints min and median times and the Weft/Wasmtime ratio. Both engines get the same bytes.
/// Usage: <c>dotnet run -c Release --project bench/Weft.Benchmarks -- --kernels [runs]</c>.
/// </summary>
internal static class KernelComparison
{
    private sealed record Kernel(string File, int Argument, string Description);

    private static readonly Kernel[] s_kernels =
    [
        new("fib.wat", 32, "recursive fib(32)"),
        new("sum.wat", 8, "16 MiB byte+word sums, 8 rounds"),
        new("dispatch.wat", 20_000_000, "20M call_indirect dispatches"),
        new("matmul.wat", 200, "f64 matmul 200x200"),
    ];

    public static void Run(int runs)
    {
        string folder = FindKernels();
        Console.WriteLine($"| kernel | Weft min | Weft median | Wasmtime min | Wasmtime median | Weft/Wasmtime (median) |");
        Console.WriteLine($"|---|---|---|---|---|---|");
        var ratios = new List<double>();
        foreach (var kernel in s_kernels)
        {
            var module = WasmModule.FromFile(Path.Combine(folder, kernel.File));
            byte[] bytes = module.ToBinary();
            var weft = new Linker().Instantiate(new Store(), module).GetFunction("run")!;
            using var engine = new Wasmtime.Engine();
            using var wasmtimeModule = Wasmtime.Module.FromBytes(engine, kernel.File, bytes);
            using var store = new Wasmtime.Store(engine);
            using var linker = new Wasmtime.Linker(engine);
            var wasmtime = linker.Instantiate(store, wasmtimeModule).GetFunction<int, long>("run")!;

            long expected = wasmtime(kernel.Argument);
            long actual = weft.Invoke(kernel.Argument)[0].AsInt64();
            if (expected != actual) throw new InvalidOperationException($"{kernel.File}: Weft returned {actual}, Wasmtime {expected}");

            var weftTimes = new List<double>();
            var wasmtimeTimes = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                weftTimes.Add(Time(() => weft.Invoke(kernel.Argument)));
                wasmtimeTimes.Add(Time(() => wasmtime(kernel.Argument)));
            }
            double ratio = Median(weftTimes) / Median(wasmtimeTimes);
            ratios.Add(ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {kernel.Description} | {weftTimes.Min():F1} ms | {Median(weftTimes):F1} ms | {wasmtimeTimes.Min():F1} ms | {Median(wasmtimeTimes):F1} ms | {ratio:F2} |"));
        }
        double geomean = Math.Exp(ratios.Average(Math.Log));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| geomean | | | | | {geomean:F2} |"));
        HostCalls.Run(folder);
    }

    internal static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string FindKernels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "kernels");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("bench/kernels not found above " + AppContext.BaseDirectory);
    }
}
