using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Weft.Benchmarks;

internal static class Program
{
    // A short in-process job: the machine is small and shared, and running in process keeps BenchmarkDotNet from
    // generating and building a separate project under this repository's strict build settings.
    private static int Main(string[] args)
    {
        // The harness and its child processes first, so that a child loads nothing it does not use.
        if (args is ["--child", ..]) return Harness.WholeProcess.ChildMain(args);
        if (args is ["--harness", ..]) return Harness.Harness.Run(args);
        if (args is ["--compile-loop" or "--validate-loop", ..]) return Harness.CompileBenchmarks.CompileLoop(args);
        if (args is ["--decode-side-by-side", ..]) return DecodeSideBySide.Run(args);
        if (args is ["--kernels", ..])
        {
            Kernels.KernelComparison.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return 0;
        }
        if (args is ["--micro", ..])
        {
            Harness.MicroBenchmarks.Run(Console.WriteLine);
            return 0;
        }
        if (args is ["--buffer-kernel", ..])
        {
            Harness.BufferKernel.Run(Console.WriteLine);
            return 0;
        }
        if (args is ["--instantiate", ..])
        {
            InstantiationBenchmarks.Run();
            return 0;
        }
        if (args is ["--aot", ..])
        {
            AotBenchmarks.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return 0;
        }
        if (args is ["--gc-startup", ..]) return Gc.StartupTiming.Run(args);
        if (args is ["--gc", ..]) return Gc.GcBenchmarks.Run(args);
        if (args is ["--micro-calls", ..])
        {
            // Only the host->wasm call rows of the harness's micro benchmarks (bench/RESULTS.md), with the C# figures.
            int Arg(int i, int otherwise) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : otherwise;
            // A fifth argument "bigstack" runs the rounds on a thread with the harness's 256 MiB stack (BigStack), as
            // the harness runs its micro benchmarks.
            if (args.Length > 4 && args[4] == "bigstack")
            {
                Harness.BigStack.Run(() => { Harness.MicroBenchmarks.RunCalls(Arg(1, 5), Arg(2, 10_000_000), Arg(3, 7)); return 0; });
            }
            else
            {
                Harness.MicroBenchmarks.RunCalls(Arg(1, 5), Arg(2, 10_000_000), Arg(3, 7));
            }
            return 0;
        }
        if (args is ["--quick", ..])
        {
            QuickTiming.Run();
            return 0;
        }
        if (args is ["--buffer-kernel", ..])
        {
            // Only the buffer kernel of the harness (bench/RESULTS.md), a short run.
            Harness.BufferKernel.Run(Console.WriteLine);
            return 0;
        }
        if (args is ["--quick-simd", ..])
        {
            SimdQuickTiming.Run();
            return 0;
        }
        RunBenchmarkDotNet(args);
        return 0;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RunBenchmarkDotNet(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddColumn(new ThroughputColumn())
            .AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
