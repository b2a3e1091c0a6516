using System.Globalization;
using System.Text;

namespace Weft.Benchmarks.Harness;

/// <summary>Turns the harness's measurements into bench/RESULTS.md, its chart and a console summary.</summary>
internal sealed partial class Report(
    MachineInfo machine, HarnessOptions options, DateTime started, DateTime finished, string loadBefore, string loadAfter,
    List<ProgramResult> programs, Extras? extras)
{
    public const string ChartFile = "results.svg";

    /// <summary>The start-up measurements (issue 17), when they were taken.</summary>
    public List<StartUpResult> StartUp { get; init; } = [];

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>The three ways of comparing program times, as (label, Weft/Wasmtime ratio, Weft/native ratio, Wasmtime/native ratio) per program.</summary>
    private IEnumerable<(string Label, Func<ProgramResult, double> Weft, Func<ProgramResult, double> Wasmtime)> Measures()
    {
        yield return ("in process, bytes to exit (cold)", r => r.WeftColdTotal.Median, r => r.WasmtimeColdTotal.Median);
        yield return ("in process, run only (warm)", r => r.WeftWarmRun.Median, r => r.WasmtimeWarmRun.Median);
        yield return ("whole process", r => r.WeftProcessWall.Median, r => r.WasmtimeProcessWall.Median);
        if (HasPublished) yield return ("whole process, ReadyToRun host", r => r.WeftPublishedWall.Median, r => r.WasmtimePublishedWall.Median);
    }

    /// <summary>Whether whole processes also ran through the ReadyToRun-published host.</summary>
    private bool HasPublished => options.PublishedHost is not null && programs.Count > 0 && programs[0].WeftPublishedWall.Count > 0;

    private double Geomean(Func<ProgramResult, double> numerator, Func<ProgramResult, double> denominator) =>
        Samples.Geomean(programs.Select(r => numerator(r) / denominator(r)));

    /// <summary>The figure the issue's target is judged on: the geomean of Weft/Wasmtime, in process, bytes to exit.</summary>
    public double HeadlineRatio => Geomean(r => r.WeftColdTotal.Median, r => r.WasmtimeColdTotal.Median);

    public string Summary()
    {
        var text = new StringBuilder();
        foreach (var (label, weft, wasmtime) in Measures())
        {
            text.AppendLine(s_inv, $"geomean Weft/Wasmtime {Geomean(weft, wasmtime):F2}, Weft/native {Geomean(weft, r => r.NativeWall.Median):F2}, Wasmtime/native {Geomean(wasmtime, r => r.NativeWall.Median):F2}  ({label})");
        }
        foreach (var row in Targets()) text.AppendLine(s_inv, $"{row.Target}: {row.Measured} -> {row.Met}");
        return text.ToString();
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmark results");
        md.AppendLine();
        md.AppendLine(s_inv, $"Written by the harness (`bench/harness.sh`, see [README.md](README.md)) on {started:yyyy-MM-dd HH:mm} UTC in {(finished - started).TotalMinutes:F1} minutes. Do not edit by hand: rerun the harness.");
        md.AppendLine(s_inv, $"Every measurement ran {options.Runs} times, interleaved (each round runs every program once in every way, in an order rotated from round to round); every run's output was checked byte for byte against the native build's. Load average {loadBefore} at the start and {loadAfter} at the end: the machine may be shared, so differences of a few percent are noise.");
        md.AppendLine();
        WriteMachine(md);
        WriteTargets(md);
        WriteGroups(md);
        if (StartUp.Count > 0) global::Weft.Benchmarks.Harness.StartUp.Write(md, StartUp);
        WritePrograms(md);
        if (extras is not null)
        {
            WriteCompile(md, extras);
            WriteMicro(md, extras);
            WriteKernel(md, extras);
        }
        else
        {
            md.AppendLine("(Compile times, micro benchmarks and the buffer kernel were skipped in this run: `--skip-extras`.)");
            md.AppendLine();
        }
        WriteMethod(md);
        return md.ToString();
    }

    private void WriteMachine(StringBuilder md)
    {
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(s_inv, $"| CPU | {machine.Cpu}, {machine.Cores} logical cores |");
        md.AppendLine(s_inv, $"| memory | {machine.Memory} |");
        md.AppendLine(s_inv, $"| OS | {machine.Os} ({machine.Kernel}) |");
        md.AppendLine(s_inv, $"| .NET | {machine.DotNet} |");
        md.AppendLine(s_inv, $"| Wasmtime | the `Wasmtime` NuGet package {machine.Wasmtime} (Cranelift), default configuration |");
        md.AppendLine(s_inv, $"| Weft | {machine.Weft} |");
        md.AppendLine(s_inv, $"| native builds | `cc -O2 -ffp-contract=off` ({machine.CCompiler}) |");
        md.AppendLine(s_inv, $"| runtime settings | {(machine.Settings.Count == 0 ? "defaults" : string.Join(", ", machine.Settings.Select(s => $"`{s}`")))} |");
        md.AppendLine();
    }

    private List<(string Target, string Measured, string Met)> Targets()
    {
        var rows = new List<(string, string, string)>();
        var measures = Measures().ToList();
        string others = string.Join("; ", measures.Skip(1).Select(m => string.Create(s_inv, $"{m.Label}: {Geomean(m.Weft, m.Wasmtime):F2}")));
        rows.Add(("geomean Weft/Wasmtime <= 1.2 (in process, bytes to exit)", string.Create(s_inv, $"**{HeadlineRatio:F2}** ({others})"), Met(HeadlineRatio <= 1.2)));
        if (extras is null) return rows;

        var nop = extras.Micro[0];
        var add4 = extras.Micro[1];
        var div4 = extras.Micro[2];
        rows.Add(("typed host->wasm call <= 2 ns", $"no arguments {Ns(nop.WeftNs)}, four arguments {Ns(add4.WeftNs)}, four arguments to an export that may trap {Ns(div4.WeftNs)} (Wasmtime {Ns(nop.WasmtimeNs)}, {Ns(add4.WasmtimeNs)}, {Ns(div4.WasmtimeNs)})", Met(Math.Max(Math.Max(nop.WeftNs, add4.WeftNs), div4.WeftNs) <= 2)));

        var tiny = extras.Compile[0];
        var programRatios = programs.Select(r => r.WeftColdSetup.Median / r.WasmtimeColdSetup.Median).ToList();
        double tinyRatio = tiny.Weft.Median / tiny.Wasmtime.Median;
        double worstSmall = Math.Max(tinyRatio, programRatios.Max());
        rows.Add(("compile+instantiate <= 2x Wasmtime's, small modules",
            string.Create(s_inv, $"Weft/Wasmtime {tinyRatio:F2} for a {tiny.Bytes}-byte module; {Samples.Geomean(programRatios):F2} geomean, {programRatios.Max():F2} worst over the programs (20-44 KB, with WASI)"),
            Met(worstSmall <= 2)));
        var big = extras.Compile[1];
        double bigRatio = big.Weft.Median / big.Wasmtime.Median;
        rows.Add(("compile+instantiate <= 2x Wasmtime's, a 1 MB module",
            string.Create(s_inv, $"Weft/Wasmtime {bigRatio:F2} ({Ms(big.Weft.Median)} against {Ms(big.Wasmtime.Median)} ms); with every function JIT-compiled up front {big.WeftWithJit.Median / big.Wasmtime.Median:F2}"),
            Met(bigRatio <= 2)));
        var rates = extras.Validate.Select(v => (v.Input, Rate: v.Bytes / v.Weft.Median / 1e3)).ToList();
        rows.Add(("decode+validate >= 100 MB/s",
            string.Join("; ", rates.Select(r => string.Create(s_inv, $"{r.Rate:F0} MB/s ({r.Input})"))),
            Met(rates.All(r => r.Rate >= 100))));
        return rows;
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private void WriteTargets(StringBuilder md)
    {
        md.AppendLine("## Targets (issue 9)");
        md.AppendLine();
        md.AppendLine("| target | measured (medians) | met |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets()) md.AppendLine(s_inv, $"| {target} | {measured} | {met} |");
        md.AppendLine();
        md.AppendLine("The Weft/Wasmtime target is judged on the in-process time from the module's bytes to the program's exit: both engines run in the same .NET process, so neither pays the host's start-up, and each pays its own way of compiling (Cranelift before the run, RyuJIT during it). The other two ways are below.");
        md.AppendLine();
    }

    private void WritePrograms(StringBuilder md)
    {
        md.AppendLine("## Programs (bench/programs)");
        md.AppendLine();
        md.AppendLine("Geometric means over the programs of the per-program ratios of medians:");
        md.AppendLine();
        md.AppendLine("| measure | Weft/Wasmtime | Weft/native | Wasmtime/native |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (label, weft, wasmtime) in Measures())
        {
            md.AppendLine(s_inv, $"| {label} | {Geomean(weft, wasmtime):F2} | {Geomean(weft, r => r.NativeWall.Median):F2} | {Geomean(wasmtime, r => r.NativeWall.Median):F2} |");
        }
        md.AppendLine();
        md.AppendLine(s_inv, $"![Weft/Wasmtime per program]({ChartFile})");
        md.AppendLine();

        md.AppendLine("### In process, from the bytes to exit (cold)");
        md.AppendLine();
        md.AppendLine("Each engine decodes, validates, compiles and instantiates the module and runs `_start`, in this process; native is the native build's whole process. Milliseconds.");
        md.AppendLine();
        md.AppendLine("| program | native min | native median | Weft min | Weft median | Wasmtime min | Wasmtime median | Weft/Wasmtime | Weft/native |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in programs)
        {
            md.AppendLine(s_inv, $"| {Name(r)} | {Ms(r.NativeWall.Min)} | {Ms(r.NativeWall.Median)} | {Ms(r.WeftColdTotal.Min)} | {Ms(r.WeftColdTotal.Median)} | {Ms(r.WasmtimeColdTotal.Min)} | {Ms(r.WasmtimeColdTotal.Median)} | {r.WeftColdTotal.Median / r.WasmtimeColdTotal.Median:F2} | {r.WeftColdTotal.Median / r.NativeWall.Median:F2} |");
        }
        md.AppendLine(s_inv, $"| **geomean** | | | | | | | **{HeadlineRatio:F2}** | **{Geomean(r => r.WeftColdTotal.Median, r => r.NativeWall.Median):F2}** |");
        md.AppendLine();

        md.AppendLine("### Phases, in process");
        md.AppendLine();
        md.AppendLine("Medians in milliseconds. Compile+instantiate: from the bytes to an instance ready to run, WASI linked (Weft emits IL here; RyuJIT compiles each function on its first call, during the run). Cold run: `_start` of that fresh instance. Warm run: `_start` of a new instance of a module compiled (and, for Weft, JIT-compiled and tiered up) by earlier runs in the process.");
        md.AppendLine();
        md.AppendLine("| program | compile+inst. Weft | compile+inst. Wasmtime | ratio | cold run Weft | cold run Wasmtime | ratio | warm run Weft | warm run Wasmtime | ratio | warm Weft/native |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in programs)
        {
            md.AppendLine(s_inv, $"| {Name(r)} | {Ms(r.WeftColdSetup.Median)} | {Ms(r.WasmtimeColdSetup.Median)} | {r.WeftColdSetup.Median / r.WasmtimeColdSetup.Median:F2} | {Ms(r.WeftColdRun.Median)} | {Ms(r.WasmtimeColdRun.Median)} | {r.WeftColdRun.Median / r.WasmtimeColdRun.Median:F2} | {Ms(r.WeftWarmRun.Median)} | {Ms(r.WasmtimeWarmRun.Median)} | {r.WeftWarmRun.Median / r.WasmtimeWarmRun.Median:F2} | {r.WeftWarmRun.Median / r.NativeWall.Median:F2} |");
        }
        md.AppendLine(s_inv, $"| **geomean** | | | {Geomean(r => r.WeftColdSetup.Median, r => r.WasmtimeColdSetup.Median):F2} | | | {Geomean(r => r.WeftColdRun.Median, r => r.WasmtimeColdRun.Median):F2} | | | {Geomean(r => r.WeftWarmRun.Median, r => r.WasmtimeWarmRun.Median):F2} | {Geomean(r => r.WeftWarmRun.Median, r => r.NativeWall.Median):F2} |");
        md.AppendLine();

        md.AppendLine("### Whole process");
        md.AppendLine();
        md.AppendLine("Each run a new process, from fork to exit: the native build; and a .NET host (this harness's child mode) that loads one engine, runs the program and exits, so the .NET runtime's start-up and the JIT compilation of the engine itself are included. Peak memory is the process's peak resident set (ru_maxrss). Milliseconds and MiB.");
        md.AppendLine();
        md.AppendLine("| program | native min | native median | Weft min | Weft median | Wasmtime min | Wasmtime median | Weft/Wasmtime | Weft/native | peak MiB native | peak MiB Weft | peak MiB Wasmtime |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in programs)
        {
            md.AppendLine(s_inv, $"| {Name(r)} | {Ms(r.NativeWall.Min)} | {Ms(r.NativeWall.Median)} | {Ms(r.WeftProcessWall.Min)} | {Ms(r.WeftProcessWall.Median)} | {Ms(r.WasmtimeProcessWall.Min)} | {Ms(r.WasmtimeProcessWall.Median)} | {r.WeftProcessWall.Median / r.WasmtimeProcessWall.Median:F2} | {r.WeftProcessWall.Median / r.NativeWall.Median:F2} | {Mib(r.NativeRss.Median)} | {Mib(r.WeftProcessRss.Median)} | {Mib(r.WasmtimeProcessRss.Median)} |");
        }
        md.AppendLine(s_inv, $"| **geomean** | | | | | | | **{Geomean(r => r.WeftProcessWall.Median, r => r.WasmtimeProcessWall.Median):F2}** | **{Geomean(r => r.WeftProcessWall.Median, r => r.NativeWall.Median):F2}** | | | |");
        md.AppendLine();
        if (HasPublished) WritePublished(md);
        var mismatched = programs.Where(r => !r.NativeMatchesExpected).Select(r => r.Program.Name).ToList();
        if (mismatched.Count > 0)
        {
            md.AppendLine(s_inv, $"Note: the native builds of {string.Join(", ", mismatched)} printed something other than bench/programs/expected (recorded by build.sh); the engines were checked against this run's native output.");
            md.AppendLine();
        }
    }

    private void WritePublished(StringBuilder md)
    {
        md.AppendLine("### Whole process, ReadyToRun host");
        md.AppendLine();
        md.AppendLine("The same whole processes through a copy of the harness published ReadyToRun (`dotnet publish -p:PublishReadyToRun=true`, as a deployed .NET host would ship): Weft's and Wasmtime's managed code, and the harness's, are precompiled, so neither engine's host pays the JIT compiling the engine itself. Milliseconds.");
        md.AppendLine();
        md.AppendLine("| program | Weft min | Weft median | Wasmtime min | Wasmtime median | Weft/Wasmtime | Weft/native | JIT host Weft/Wasmtime |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in programs)
        {
            md.AppendLine(s_inv, $"| {Name(r)} | {Ms(r.WeftPublishedWall.Min)} | {Ms(r.WeftPublishedWall.Median)} | {Ms(r.WasmtimePublishedWall.Min)} | {Ms(r.WasmtimePublishedWall.Median)} | {r.WeftPublishedWall.Median / r.WasmtimePublishedWall.Median:F2} | {r.WeftPublishedWall.Median / r.NativeWall.Median:F2} | {r.WeftProcessWall.Median / r.WasmtimeProcessWall.Median:F2} |");
        }
        md.AppendLine(s_inv, $"| **geomean** | | | | | **{Geomean(r => r.WeftPublishedWall.Median, r => r.WasmtimePublishedWall.Median):F2}** | **{Geomean(r => r.WeftPublishedWall.Median, r => r.NativeWall.Median):F2}** | {Geomean(r => r.WeftProcessWall.Median, r => r.WasmtimeProcessWall.Median):F2} |");
        md.AppendLine();
    }

    private static string Name(ProgramResult r) => r.Program.Args.Length == 0 ? r.Program.Name : $"{r.Program.Name} {string.Join(' ', r.Program.Args)}";

    internal static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString(ms < 10 ? "F2" : ms < 100 ? "F1" : "F0", s_inv);

    internal static string Ns(double ns) => double.IsNaN(ns) ? "-" : ns.ToString(ns < 10 ? "F2" : ns < 1000 ? "F1" : "F0", s_inv) + " ns";

    private static string Mib(double kib) => (kib / 1024).ToString("F1", s_inv);
}
