using System.Globalization;

namespace Weft.Benchmarks.Harness;

/// <summary>
/// The side-by-side harness (<c>bench/harness.sh</c>, which builds the native programs and the measure wrapper and
/// then runs this with <c>--harness</c>): every program of bench/programs under Weft and under Wasmtime in this
/// process, and natively and under each engine as whole processes; interleaved, several runs each; every output
/// checked against the native build's. Then compile+instantiate and decode+validate times, the micro benchmarks and
/// the buffer kernel. Writes bench/RESULTS.md and bench/results.svg.
/// </summary>
internal static class Harness
{
    private const string Usage = "usage: --harness --native DIR --measure PATH [--runs N] [--programs a,b] [--out FILE] [--skip-extras] [--weft VERSION] [--cc TEXT] [--cli LABEL=PATH]... [--published-host PATH]";

    public static int Run(string[] args)
    {
        var options = HarnessOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            BigStack.Run(() => RunAll(options));
            return 0;
        }
        catch (HarnessFailure e)
        {
            Console.Error.WriteLine("FAILED: " + e.Message);
            return 1;
        }
    }

    private static int RunAll(HarnessOptions options)
    {
        string root = FindRepository();
        var machine = MachineInfo.Collect(options.WeftVersion, options.CCompiler);
        string loadBefore = MachineInfo.LoadAverage();
        var started = DateTime.UtcNow;
        var programs = BenchProgram.Load(Path.Combine(root, "bench", "programs"), options.Programs, options.OneRound);
        var results = programs.Select(p => new ProgramResult(p)).ToList();
        Log($"{programs.Count} programs, {options.Runs} runs each, on {machine.Cpu} ({machine.Cores} cores), load {loadBefore}");

        using var weft = new WeftInProcess();
        using var wasmtime = new WasmtimeInProcess();

        // Reference outputs from the native builds, then one untimed run of each engine per program (which also
        // compiles the modules the warm runs reuse, and JIT-compiles the engines' own code).
        var reference = new Dictionary<string, (byte[] Output, int Exit)>();
        foreach (var result in results)
        {
            var program = result.Program;
            using var folder = new RunFolder();
            var times = WholeProcess.Measure(options.Measure, NativeCommand(options, program), folder);
            byte[] output = folder.ReadStdout();
            reference[program.Name] = (output, times.ExitCode);
            result.NativeMatchesExpected = program.ExpectedOutputPath is not { } expected
                || (File.Exists(expected) && File.ReadAllBytes(expected).AsSpan().SequenceEqual(output));
            if (!result.NativeMatchesExpected) Log($"  note: the native {program.Name} printed something other than bench/programs/expected/{program.Name}.out");
            foreach (IInProcessEngine engine in new IInProcessEngine[] { weft, wasmtime })
            {
                using var warmup = new RunFolder();
                var run = engine.Run(program, warmup, warm: true);
                Verify($"{engine.Name} (in process)", program, warmup, run.ExitCode, reference[program.Name]);
            }
        }

        for (int round = 0; round < options.Runs; round++)
        {
            Log($"round {round + 1} of {options.Runs}");
            foreach (var result in results)
            {
                var program = result.Program;
                var expected = reference[program.Name];
                var kinds = new List<Action>
                {
                    () => Child("native", result, NativeCommand(options, program), result.NativeWall, result.NativeRss),
                    () => Child("Weft (process)", result, WholeProcess.ChildCommand("weft", options.WasmPath(root, program), program), result.WeftProcessWall, result.WeftProcessRss),
                    () => Child("Wasmtime (process)", result, WholeProcess.ChildCommand("wasmtime", options.WasmPath(root, program), program), result.WasmtimeProcessWall, result.WasmtimeProcessRss),
                    () => InProcess(weft, result, warm: false),
                    () => InProcess(wasmtime, result, warm: false),
                    () => InProcess(weft, result, warm: true),
                    () => InProcess(wasmtime, result, warm: true),
                };
                if (options.PublishedHost is { } published)
                {
                    kinds.Add(() => Child("Weft (process, ReadyToRun host)", result, WholeProcess.ChildCommand("weft", options.WasmPath(root, program), program, published), result.WeftPublishedWall, new Samples()));
                    kinds.Add(() => Child("Wasmtime (process, ReadyToRun host)", result, WholeProcess.ChildCommand("wasmtime", options.WasmPath(root, program), program, published), result.WasmtimePublishedWall, new Samples()));
                }
                // Rotate the order every round so that no engine always runs right after another.
                for (int k = 0; k < kinds.Count; k++) kinds[(k + round) % kinds.Count]();

                void Child(string what, ProgramResult r, string[] command, Samples wall, Samples rss)
                {
                    using var folder = new RunFolder();
                    var times = WholeProcess.Measure(options.Measure, command, folder);
                    Verify(what, program, folder, times.ExitCode, expected);
                    wall.Add(times.WallMs);
                    rss.Add(times.PeakRssKiB);
                }

                void InProcess(IInProcessEngine engine, ProgramResult r, bool warm)
                {
                    using var folder = new RunFolder();
                    CompileBenchmarks.Collect();
                    var times = engine.Run(program, folder, warm);
                    Verify($"{engine.Name} (in process{(warm ? ", warm" : "")})", program, folder, times.ExitCode, expected);
                    r.Record(engine is WeftInProcess, warm, times);
                }
            }
            foreach (var r in results)
            {
                Log(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.Program.Name,-11} native {r.NativeWall.Median,7:F1}  Weft {r.WeftColdTotal.Median,7:F1} (warm run {r.WeftWarmRun.Median,7:F1})  Wasmtime {r.WasmtimeColdTotal.Median,7:F1} (warm run {r.WasmtimeWarmRun.Median,7:F1}) ms"));
            }
        }

        Extras? extras = null;
        if (!options.SkipExtras)
        {
            string kernels = Path.Combine(root, "bench", "kernels");
            Log("compile+instantiate and decode+validate");
            var (compile, validate) = CompileBenchmarks.Run(kernels, options.Runs, Log);
            Log("micro benchmarks");
            var micro = MicroBenchmarks.Run(Log);
            Log("buffer kernel");
            var kernel = BufferKernel.Run(Log);
            extras = new Extras(compile, validate, micro, kernel);
        }

        var startUp = StartUp.Run(options, Log);
        var report = new Report(machine, options, started, DateTime.UtcNow, loadBefore, MachineInfo.LoadAverage(), results, extras) { StartUp = startUp };
        string markdown = report.Markdown();
        Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
        File.WriteAllText(options.Output, KeptSections.Merge(markdown, options.Output));
        string svg = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output))!, Report.ChartFile);
        File.WriteAllText(svg, report.Chart());
        Log($"wrote {options.Output} and {svg}");
        Console.WriteLine(report.Summary());
        return 0;
    }

    private static string[] NativeCommand(HarnessOptions options, BenchProgram program) =>
        [Path.Combine(options.NativeFolder, program.Name), .. program.Args];

    private static void Verify(string what, BenchProgram program, RunFolder folder, int exit, (byte[] Output, int Exit) expected)
    {
        if (exit != expected.Exit)
        {
            throw new HarnessFailure($"{what} {program.Name}: exit code {exit}, the native build's {expected.Exit}. Standard error: {folder.ReadStderr()}");
        }
        byte[] output = folder.ReadStdout();
        if (!output.AsSpan().SequenceEqual(expected.Output))
        {
            int at = output.AsSpan().CommonPrefixLength(expected.Output);
            throw new HarnessFailure($"{what} {program.Name}: the output differs from the native build's at byte {at} ({output.Length} bytes against {expected.Output.Length}). Standard error: {folder.ReadStderr()}");
        }
    }

    private static void Log(string line) => Console.WriteLine(line);

    internal static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bench", "programs", "programs.txt"))) return dir.FullName;
        }
        throw new HarnessFailure("bench/programs/programs.txt not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The measurements besides the programs.</summary>
internal sealed record Extras(List<CompileResult> Compile, List<ValidateResult> Validate, List<MicroResult> Micro, List<KernelResult> Kernel);

/// <summary>A wrong result or a broken set-up: the run fails and writes no results.</summary>
internal sealed class HarnessFailure(string message) : Exception(message);

/// <summary>The harness's command-line options.</summary>
internal sealed record HarnessOptions(string NativeFolder, string Measure, int Runs, IReadOnlyCollection<string> Programs, string Output, bool SkipExtras, string WeftVersion, string CCompiler, bool OneRound = false)
{
    /// <summary>weft CLIs to time on an empty module (--cli LABEL=PATH), in order.</summary>
    public List<(string Label, string Path)> Clis { get; init; } = [];

    /// <summary>
    /// This harness published ReadyToRun (--published-host: its apphost), for whole-process runs of both engines as a
    /// deployed .NET host would start them; null when not given.
    /// </summary>
    public string? PublishedHost { get; init; }

    public string WasmPath(string root, BenchProgram program) => Path.Combine(root, "bench", "programs", "wasm", program.Name + ".wasm");

    public static HarnessOptions? Parse(string[] args)
    {
        string? native = null, measure = null, output = null, published = null;
        string weft = "?", cc = "?";
        int runs = 5;
        bool skip = false, oneRound = false;
        var programs = new List<string>();
        var clis = new List<(string, string)>();
        for (int i = 1; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--native": native = Next(); break;
                case "--measure": measure = Next(); break;
                case "--runs": runs = int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 0; break;
                case "--programs": programs.AddRange((Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--out": output = Next(); break;
                case "--published-host": published = Next(); break;
                case "--skip-extras": skip = true; break;
                case "--one-round": oneRound = true; break;
                case "--weft": weft = Next() ?? weft; break;
                case "--cc": cc = Next() ?? cc; break;
                case "--cli":
                    string cli = Next() ?? "";
                    int eq = cli.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) return null;
                    clis.Add((cli[..eq], Path.GetFullPath(cli[(eq + 1)..])));
                    break;
                default: return null;
            }
        }
        if (native is null || measure is null || runs == 0) return null;
        output ??= Path.Combine(Harness.FindRepository(), "bench", "RESULTS.md");
        return new HarnessOptions(Path.GetFullPath(native), Path.GetFullPath(measure), runs, programs, Path.GetFullPath(output), skip, weft, cc, oneRound) { Clis = clis, PublishedHost = published is null ? null : Path.GetFullPath(published) };
    }
}
