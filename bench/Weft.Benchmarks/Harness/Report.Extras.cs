using System.Text;

namespace Weft.Benchmarks.Harness;

// The sections of RESULTS.md besides the programs: compile times, micro benchmarks, the buffer kernel, the method.
internal sealed partial class Report
{
    private void WriteCompile(StringBuilder md, Extras x)
    {
        md.AppendLine("## Compile+instantiate");
        md.AppendLine();
        md.AppendLine(s_inv, $"From the bytes to an instance (no imports), {options.Runs} runs each after one untimed run, milliseconds. Weft emits IL for the whole module here and RyuJIT compiles each function on its first call; \"Weft + JIT\" also compiles every function up front (`RuntimeHelpers.PrepareMethod`, at the tier the runtime settings give a first compilation), which is closer to what Cranelift does before instantiation. The programs' own figures (20-44 KB modules, WASI linked) are in the phases table above.");
        md.AppendLine();
        md.AppendLine("| module | bytes | Weft min | Weft median | Weft + JIT median | Wasmtime min | Wasmtime median | Weft/Wasmtime | Weft + JIT/Wasmtime |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in x.Compile)
        {
            md.AppendLine(s_inv, $"| {c.Module} | {c.Bytes:N0} | {Ms(c.Weft.Min)} | {Ms(c.Weft.Median)} | {Ms(c.WeftWithJit.Median)} | {Ms(c.Wasmtime.Min)} | {Ms(c.Wasmtime.Median)} | {c.Weft.Median / c.Wasmtime.Median:F2} | {c.WeftWithJit.Median / c.Wasmtime.Median:F2} |");
        }
        md.AppendLine();
        md.AppendLine("### Decode+validate");
        md.AppendLine();
        md.AppendLine("Weft: `WasmModule.FromBytes` (decode and validate; compilation is deferred to the first instantiation). Wasmtime: `Module.Validate`. Generated modules of realistic functions (`ValidModuleGenerator`: loops over memory, arithmetic, calls, branches, locals). MB/s from the median (and the best) time.");
        md.AppendLine();
        md.AppendLine("| input | bytes | Weft median ms | Weft MB/s (best) | Wasmtime median ms | Wasmtime MB/s (best) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var v in x.Validate)
        {
            md.AppendLine(s_inv, $"| {v.Input} | {v.Bytes:N0} | {Ms(v.Weft.Median)} | {v.Bytes / v.Weft.Median / 1e3:F0} ({v.Bytes / v.Weft.Min / 1e3:F0}) | {Ms(v.Wasmtime.Median)} | {v.Bytes / v.Wasmtime.Median / 1e3:F0} ({v.Bytes / v.Wasmtime.Min / 1e3:F0}) |");
        }
        md.AppendLine();
    }

    private static void WriteMicro(StringBuilder md, Extras x)
    {
        md.AppendLine("## Micro benchmarks");
        md.AppendLine();
        md.AppendLine("Stopwatch versions (best of 7 batches of 10 million operations, after a warm-up batch; exceptions 100,000; host->wasm calls best of 300 batches of 200,000, so that the calling loop runs as Tier1 code rather than on-stack-replaced Tier0) of the BenchmarkDotNet benchmarks in bench/Weft.Benchmarks. Both engines run the same module; results are checked to agree. ns per operation.");
        md.AppendLine();
        md.AppendLine("| operation | Weft | Wasmtime | Weft/Wasmtime | C# | notes |");
        md.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var m in x.Micro)
        {
            string ratio = double.IsNaN(m.WasmtimeNs) ? "-" : (m.WeftNs / m.WasmtimeNs).ToString("F2", s_inv);
            md.AppendLine(s_inv, $"| {m.Name} | {Ns(m.WeftNs)} | {Ns(m.WasmtimeNs)} | {ratio} | {Ns(m.CSharpNs)} | {m.Note} |");
        }
        md.AppendLine();
    }

    private static void WriteKernel(StringBuilder md, Extras x)
    {
        md.AppendLine("## Buffer kernel: linear memory, GC array, host span");
        md.AppendLine();
        md.AppendLine("One kernel, counting the bytes of 1 MiB equal to a needle, three ways on Weft (and the linear-memory ways on Wasmtime for reference). Every way gives the same count. µs per pass over 1 MiB, best of 30, and MB/s.");
        md.AppendLine();
        md.AppendLine("| way | Weft µs | Weft MB/s | Wasmtime µs | Wasmtime MB/s |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var k in x.Kernel)
        {
            md.AppendLine(s_inv, $"| {k.Way} | {k.WeftUs:F1} | {SimdKernels.Size / k.WeftUs:F0} | {(double.IsNaN(k.WasmtimeUs) ? "-" : k.WasmtimeUs.ToString("F1", s_inv))} | {(double.IsNaN(k.WasmtimeUs) ? "-" : (SimdKernels.Size / k.WasmtimeUs).ToString("F0", s_inv))} |");
        }
        md.AppendLine();
    }

    private static void WriteMethod(StringBuilder md)
    {
        md.AppendLine("## How it is measured");
        md.AppendLine();
        md.AppendLine("- Programs: bench/programs/programs.txt; the committed .wasm files (clang-19 -O2 for wasm32-wasi) and native builds made by the harness script from the same sources. `{dir}` is an empty scratch directory, a relative path natively and preopened under the same name for the engines. Standard output goes to a file (unbuffered on both engines' side), standard input is empty, no environment variables.");
        md.AppendLine("- In process: one .NET process runs both engines on a thread with a 256 MiB stack (as `weft run` does); a full garbage collection precedes every run. Weft uses its public API (`WasmModule.FromBytes`, `Linker.AddWasi`, `Store`, `RunWasiCommand`); Wasmtime its .NET API with `Linker.DefineWasi` and a `WasiConfiguration` with the same arguments, preopen and output files. Before the timed rounds each engine runs each program once untimed (JIT-compiling the engines' own code and producing the modules the warm runs reuse).");
        md.AppendLine("- Whole process: bench/harness/measure.c forks, sends standard output to a file and reports wall time and the child's peak resident set from wait4. The .NET children are this harness's `--child weft|wasmtime` mode (the same executable for both engines; the default tiered JIT; no ReadyToRun). With `--published-host` (harness.sh passes it) the same runs also go through a ReadyToRun publish of this harness, for both engines.");
        md.AppendLine("- Ratios are of medians; geometric means are over the programs. Native is always the native build's whole process (so it includes about a millisecond of process start).");
        md.AppendLine("- Rerun: `bench/harness.sh` (options after it are passed on, e.g. `--runs 9`, `--programs sort,interp`). Where the time goes, and how to profile it: [PROFILES.md](PROFILES.md).");
    }
}
