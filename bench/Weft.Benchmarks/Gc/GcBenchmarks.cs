using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Weft.Benchmarks.Harness;

namespace Weft.Benchmarks.Gc;

/// <summary>
/// The GC benchmark set (<c>bench/gc</c>, <c>--gc</c>): each program under Weft, V8 (node 26, one process running
/// bench/gc/run-node.mjs) and Wasmtime (the NuGet package with GC, function references and exceptions on), one run.
/// Start-up is from the module's bytes to the return of the first call (a fresh engine per program on Weft and
/// Wasmtime, a unique custom section per compilation on V8 so that no module cache serves it); steady state is the
/// median of repeated calls after warm-up calls in the same instance. Writes a section of bench/RESULTS.md between
/// markers and bench/gc-results.svg.
/// </summary>
internal static class GcBenchmarks
{
    private const int Reps = 11;
    private const int Warmups = 5;
    private const string Begin = "<!-- gc-benchmarks:begin -->";
    private const string End = "<!-- gc-benchmarks:end -->";

    private sealed record Program(string Name, string Kind, byte[] Bytes, int StartArg, int SteadyArg, string? Expected, bool JsString = false, string? Glue = null);

    private sealed class Row(string name, string kind)
    {
        public string Name { get; } = name;
        public string Kind { get; } = kind;
        public Dictionary<string, double> Startup { get; } = [];
        public Dictionary<string, double> Steady { get; } = [];
        public Dictionary<string, string> Results { get; } = [];
        public Dictionary<string, string> Notes { get; } = [];
        public string? FirstResult { get; set; }
    }

    private static readonly string[] Engines = ["Weft", "V8", "Wasmtime"];

    public static int Run(string[] args)
    {
        string root = FindRoot();
        string node = Option(args, "--node") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache/weft-node/package/bin/node");
        string output = Option(args, "--out") ?? Path.Combine(root, "bench/RESULTS.md");
        // --only a,b: a subset while iterating (the harness's RESULTS.md section is written from full runs).
        var only = Option(args, "--only")?.Split(',');
        var programs = LoadPrograms(root).Where(p => only is null || only.Contains(p.Name)).ToList();
        string temp = Directory.CreateTempSubdirectory("weft-gc-").FullName;
        try
        {
            var rows = programs.Select(p => new Row(p.Name, p.Kind)).ToList();
            Console.WriteLine($"GC benchmarks: {programs.Count} programs; load average {LoadAverage()}");
            WarmWeft(programs[0]);
            for (int i = 0; i < programs.Count; i++)
            {
                RunWeft(programs[i], rows[i], lazy: false);
                RunWeft(programs[i], rows[i], lazy: true);
                RunWeft(programs[i], rows[i], lazy: true, tiered: true);
                RunWasmtime(programs[i], rows[i]);
                Console.WriteLine($"  {programs[i].Name}: Weft {rows[i].Startup.GetValueOrDefault("Weft"):F1}/{rows[i].Steady.GetValueOrDefault("Weft", double.NaN):F1} ms, Wasmtime {rows[i].Startup.GetValueOrDefault("Wasmtime", double.NaN):F1}/{rows[i].Steady.GetValueOrDefault("Wasmtime", double.NaN):F1} ms");
            }
            RunNode(node, temp, programs, rows);
            foreach (var row in rows) Check(row, programs.First(p => p.Name == row.Name));
            Write(output, rows, node);
            return 0;
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("run from inside the repository");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static List<Program> LoadPrograms(string root)
    {
        var list = new List<Program>();
        foreach (var line in File.ReadAllLines(Path.Combine(root, "bench/gc/programs.txt")))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var bytes = WasmModule.FromFile(Path.Combine(root, "bench/gc", parts[0] + ".wat")).ToBinary();
            list.Add(new Program(parts[0], "kernel", bytes, int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), null,
                JsString: bytes.AsSpan().IndexOf("wasm:js-string"u8) >= 0));
        }
        string dart = "/work/shared/real-programs/dart2wasm-list-access";
        if (File.Exists(Path.Combine(dart, "non_devirtualized_list_access.dart2wasm.wasm")))
        {
            list.Add(new Program("dart2wasm-list-access", "dart", File.ReadAllBytes(Path.Combine(dart, "non_devirtualized_list_access.dart2wasm.wasm")), 0, 0,
                File.ReadAllText(Path.Combine(dart, "expected_output.txt")), JsString: true, Glue: Path.Combine(dart, "non_devirtualized_list_access.dart2wasm.mjs")));
        }
        string moonbit = "/work/shared/real-programs/moonbit-small";
        foreach (var name in new[] { "hello", "traits" })
        {
            string file = Path.Combine(moonbit, name + ".wasm");
            if (File.Exists(file)) list.Add(new Program("moonbit-" + name, "moonbit", File.ReadAllBytes(file), 0, 0, File.ReadAllText(Path.Combine(moonbit, name + ".expected"))));
        }
        list.Add(new Program("ocaml-shaped-4MB", "startup", OcamlShapedModule.Generate(), 0, 50, null));
        return list;
    }

    // Weft's own code is JIT-compiled on first use; one untimed start-up first, as the main harness does.
    private static void WarmWeft(Program program) => RunWeft(program, new Row(program.Name, program.Kind), lazy: true);

    // Eager (the default) for start-up and steady state; lazy IL emission (EngineOptions.LazyCompilation) for start-up only.
    // tiered: EngineOptions.TieredCompilation (tier-0 code first; needs non-collectible code), start-up only.
    private static void RunWeft(Program program, Row row, bool lazy, bool tiered = false)
    {
        string column = tiered ? "Weft lazy+tiered" : lazy ? "Weft lazy" : "Weft";
        using var engine = new Engine(new EngineOptions { LazyCompilation = lazy, TieredCompilation = tiered, Collectible = !tiered });
        using var store = new Store(engine);
        var output = new StringBuilder();
        var linker = new Linker(engine);
        if (program.Kind == "moonbit") linker.DefineFunction("spectest", "print_char", (int c) => { output.Append((char)c); });
        var clock = Stopwatch.StartNew();
        var options = program.Kind == "dart" ? DartHost.Options : program.JsString ? new WasmModuleOptions { Builtins = WasmModuleOptions.JsStringSets } : null;
        var module = options is null ? WasmModule.FromBytes(engine, program.Bytes) : WasmModule.FromBytes(engine, program.Bytes, options);
        if (program.Kind == "dart") DartHost.Define(linker, module, output);
        var instance = linker.Instantiate(store, module);
        if (program.Kind == "dart")
        {
            // Start-up: bytes to a ready instance ($invokeMain runs the whole benchmark); steady state: its RunTime.
            row.Startup[column] = clock.Elapsed.TotalMilliseconds;
            if (lazy) return;
            DartHost.InvokeMain(instance);
            (row.Results["Weft"], double runTime) = DartOutput(output.ToString());
            row.Steady["Weft"] = runTime;
            return;
        }
        string result = Call(program, instance, program.StartArg, output);
        row.Startup[column] = clock.Elapsed.TotalMilliseconds;
        if (!lazy) row.FirstResult = result;
        if (lazy)
        {
            // Start-up configurations must compute what the default one does.
            if (row.FirstResult is { } expected && expected != result) throw new InvalidOperationException($"{program.Name}: {column} returned {result}, eager {expected}");
            return;
        }
        if (program.Kind != "kernel")
        {
            row.Results["Weft"] = result;
            return;
        }
        for (int w = 0; w < Warmups; w++) Call(program, instance, program.SteadyArg, output);
        var steady = new Samples();
        for (int r = 0; r < Reps; r++)
        {
            clock.Restart();
            result = Call(program, instance, program.SteadyArg, output);
            steady.Add(clock.Elapsed.TotalMilliseconds);
        }
        row.Steady["Weft"] = steady.Median;
        row.Results["Weft"] = result;
    }

    // "NonDevirtualizedList(RunTime): 12.3 us." -> the line with <N> (compared with expected_output.txt) and the time in ms.
    private static (string Text, double Ms) DartOutput(string output)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, @"RunTime\): ([0-9.eE+-]+) us\.");
        if (!m.Success) return (output, double.NaN);
        return (output.Replace(m.Groups[1].Value, "<N>", StringComparison.Ordinal), double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1000);
    }

    private static string Call(Program program, Instance instance, int argument, StringBuilder output) => program.Kind switch
    {
        "moonbit" => Moonbit(instance, output),
        "startup" => instance.GetFunction("main")!.Invoke(WasmValue.FromInt32(program.SteadyArg))[0].AsInt32().ToString(CultureInfo.InvariantCulture),
        _ => instance.GetFunction("run")!.Invoke(WasmValue.FromInt32(argument))[0].AsInt32().ToString(CultureInfo.InvariantCulture),
    };

    private static string Moonbit(Instance instance, StringBuilder output)
    {
        instance.GetFunction("_start")!.Invoke();
        return output.ToString();
    }

    private static void RunWasmtime(Program program, Row row)
    {
        if (program.JsString || program.Kind == "dart")
        {
            row.Notes["Wasmtime"] = "no wasm:js-string builtins in Wasmtime";
            return;
        }
        if (program.Kind == "startup")
        {
            row.Notes["Wasmtime"] = "not run: Cranelift took 134 s to compile this module in a trial run (load average 4-8)";
            return;
        }
        try
        {
            var config = new Wasmtime.Config().WithGc(true).WithFunctionReferences(true).WithExceptions(true);
            using var engine = new Wasmtime.Engine(config);
            using var store = new Wasmtime.Store(engine);
            using var linker = new Wasmtime.Linker(engine);
            var output = new StringBuilder();
            if (program.Kind == "moonbit") linker.DefineFunction("spectest", "print_char", (int c) => { output.Append((char)c); });
            var clock = Stopwatch.StartNew();
            using var module = Wasmtime.Module.FromBytes(engine, program.Name, program.Bytes);
            var instance = linker.Instantiate(store, module);
            string result;
            if (program.Kind == "moonbit")
            {
                instance.GetAction("_start")!();
                result = output.ToString();
            }
            else
            {
                var run = instance.GetFunction<int, int>(program.Kind == "startup" ? "main" : "run")!;
                result = run(program.Kind == "startup" ? program.SteadyArg : program.StartArg).ToString(CultureInfo.InvariantCulture);
                row.Startup["Wasmtime"] = clock.Elapsed.TotalMilliseconds;
                if (program.Kind == "kernel")
                {
                    for (int w = 0; w < Warmups; w++) run(program.SteadyArg);
                    var steady = new Samples();
                    for (int r = 0; r < Reps; r++)
                    {
                        clock.Restart();
                        result = run(program.SteadyArg).ToString(CultureInfo.InvariantCulture);
                        steady.Add(clock.Elapsed.TotalMilliseconds);
                    }
                    row.Steady["Wasmtime"] = steady.Median;
                }
                row.Results["Wasmtime"] = result;
                return;
            }
            row.Startup["Wasmtime"] = clock.Elapsed.TotalMilliseconds;
            row.Results["Wasmtime"] = result;
        }
        catch (Exception e) when (e is Wasmtime.WasmtimeException or Wasmtime.TrapException)
        {
            row.Notes["Wasmtime"] = e.Message.Split('\n')[0];
        }
    }

    private static void RunNode(string node, string temp, List<Program> programs, List<Row> rows)
    {
        if (!File.Exists(node))
        {
            foreach (var row in rows) row.Notes["V8"] = "node 26 not installed (bench/gc/harness.sh installs it)";
            return;
        }
        var specs = new List<string>();
        foreach (var p in programs)
        {
            string file = Path.Combine(temp, p.Name + ".wasm");
            File.WriteAllBytes(file, p.Bytes);
            specs.Add(p.Kind switch
            {
                "moonbit" => $"{p.Name}={file}:moonbit",
                "dart" => $"{p.Name}={file}:dart:{p.Glue}",
                "startup" => $"{p.Name}={file}:main:{p.SteadyArg}",
                _ => $"{p.Name}={file}:{p.StartArg}:{p.SteadyArg}" + (p.JsString ? ":js-string" : ""),
            });
        }
        var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(FindRoot(), "bench/gc/run-node.mjs"));
        foreach (var s in specs) start.ArgumentList.Add(s);
        start.Environment["GC_REPS"] = Reps.ToString(CultureInfo.InvariantCulture);
        start.Environment["GC_WARMUPS"] = Warmups.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node failed: {stderr}");
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var rootElement = json.RootElement;
            var row = rows.First(r => r.Name == rootElement.GetProperty("name").GetString());
            row.Startup["V8"] = rootElement.GetProperty("startup").GetDouble();
            var steady = new Samples();
            foreach (var v in rootElement.GetProperty("steady").EnumerateArray()) steady.Add(v.GetDouble());
            if (steady.Count > 0) row.Steady["V8"] = steady.Median;
            var result = rootElement.GetProperty("result");
            row.Results["V8"] = result.ValueKind == JsonValueKind.String ? result.GetString()! : result.GetRawText();
        }
    }

    // Every engine must compute the same result (and the MoonBit programs print their expected output).
    private static void Check(Row row, Program program)
    {
        var results = row.Results.Values.Distinct().ToList();
        if (results.Count > 1) throw new InvalidOperationException($"{row.Name}: engines disagree: {string.Join(", ", row.Results.Select(r => $"{r.Key}={r.Value}"))}");
        if (program.Expected is { } expected && results.Count == 1 && results[0] != expected)
        {
            throw new InvalidOperationException($"{row.Name}: output {results[0]} differs from the expected {expected}");
        }
    }

    private static string Ms(Dictionary<string, double> values, string engine) =>
        values.TryGetValue(engine, out double v) ? v.ToString(v < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(Dictionary<string, double> values, string engine) =>
        values.TryGetValue(engine, out double v) && values.TryGetValue("V8", out double v8) ? (v / v8).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static void Write(string output, List<Row> rows, string node)
    {
        var s = new StringBuilder();
        s.AppendLine(Begin);
        s.AppendLine("## GC set (bench/gc): Weft against V8 and Wasmtime");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Written by `bench/gc/harness.sh` (`Weft.Benchmarks --gc`) in one run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average at the end {LoadAverage()} on {Environment.ProcessorCount} cores (shared: every figure is noisy).");
        s.AppendLine(CultureInfo.InvariantCulture, $"V8: node {NodeVersion(node)}; Wasmtime: the NuGet package with `WithGc`, `WithFunctionReferences`, `WithExceptions`; Weft: default engine (eager IL emission, collectible code, not tiered; lazy = `EngineOptions.LazyCompilation`, lazy+tiered = also `TieredCompilation` with non-collectible code, start-up only), commit `{Git("describe --always --dirty")}`.");
        s.AppendLine("Start-up: bytes to the return of the first call (`run(small)`; MoonBit: `_start`; the generated wasm_of_ocaml-shaped module: compile, instantiate with its start function, `main(50)`; dart2wasm-list-access: bytes to a ready instance, its C# host on Weft standing in for the `.mjs` glue that node runs). dart2wasm-list-access steady state is the program's own `RunTime` (one `run()` of its benchmark harness, in ms). Every result is checked: all engines must return the same checksum (MoonBit and dart2wasm: the same output as the `.expected` file, the RunTime figure masked). Steady state: median of 11 calls `run(large)` after 5 warm-up calls (5 after 3 until 2026-12-07: V8's figures then moved by up to 2x between runs on a quiet machine). Ratios are engine/V8 (lower is better).");
        s.AppendLine();
        s.AppendLine("| program | Weft start-up ms | Weft lazy | lazy+tiered | V8 | Wasmtime | Weft/V8 | lazy/V8 | lazy+tiered/V8 | Wasmtime/V8 | Weft steady ms | V8 | Wasmtime | Weft/V8 | Wasmtime/V8 |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Ms(r.Startup, "Weft")} | {Ms(r.Startup, "Weft lazy")} | {Ms(r.Startup, "Weft lazy+tiered")} | {Ms(r.Startup, "V8")} | {Ms(r.Startup, "Wasmtime")} | {Ratio(r.Startup, "Weft")} | {Ratio(r.Startup, "Weft lazy")} | {Ratio(r.Startup, "Weft lazy+tiered")} | {Ratio(r.Startup, "Wasmtime")} | {Ms(r.Steady, "Weft")} | {Ms(r.Steady, "V8")} | {Ms(r.Steady, "Wasmtime")} | {Ratio(r.Steady, "Weft")} | {Ratio(r.Steady, "Wasmtime")} |");
        }
        double Geo(Func<Row, Dictionary<string, double>> pick, string engine) => Samples.Geomean(rows.Select(r =>
            pick(r).TryGetValue(engine, out double v) && pick(r).TryGetValue("V8", out double v8) ? v / v8 : double.NaN));
        static string F(double v) => double.IsFinite(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        double startupGeo = Geo(r => r.Startup, "Weft"), steadyGeo = Geo(r => r.Steady, "Weft");
        s.AppendLine(CultureInfo.InvariantCulture, $"| **geomean** | | | | | | **{F(startupGeo)}** | {F(Geo(r => r.Startup, "Weft lazy"))} | {F(Geo(r => r.Startup, "Weft lazy+tiered"))} | {F(Geo(r => r.Startup, "Wasmtime"))} | | | | **{F(steadyGeo)}** | {F(Geo(r => r.Steady, "Wasmtime"))} |");
        s.AppendLine();
        var worst = rows.Where(r => r.Steady.ContainsKey("Weft") && r.Steady.ContainsKey("V8")).Select(r => (r.Name, Ratio: r.Steady["Weft"] / r.Steady["V8"])).DefaultIfEmpty((Name: "none", Ratio: double.NaN)).MaxBy(x => x.Ratio);
        var dartRow = rows.FirstOrDefault(r => r.Kind == "dart");
        string dartRatio = dartRow is null ? "n/a" : Ratio(dartRow.Steady, "Weft");
        s.AppendLine(CultureInfo.InvariantCulture, $"Issue 16 targets in this run: steady-state geomean Weft/V8 {F(steadyGeo)} (step target <= 1.5: {(steadyGeo <= 1.5 ? "met" : "not met")}; final target <= 1.0: {(steadyGeo <= 1.0 ? "met" : "not met")}); worst steady state {worst.Name} {F(worst.Ratio)} (target <= 2: {(worst.Ratio <= 2 ? "met" : "not met")}); start-up geomean Weft/V8 {F(startupGeo)} eager, {F(Geo(r => r.Startup, "Weft lazy"))} lazy, {F(Geo(r => r.Startup, "Weft lazy+tiered"))} lazy+tiered (target <= 2: {(startupGeo <= 2 ? "met" : "not met")} eager); dart2wasm-list-access RunTime Weft/V8 {dartRatio} (target <= 1).");
        s.AppendLine();
        var notes = rows.SelectMany(r => r.Notes.Select(n => $"- {r.Name}, {n.Key}: {n.Value}")).ToList();
        if (notes.Count > 0)
        {
            s.AppendLine("Not measured:");
            notes.ForEach(n => s.AppendLine(n));
        }
        s.AppendLine();
        s.AppendLine("![GC benchmarks, engine/V8](gc-results.svg)");
        s.AppendLine(End);
        string existing = File.Exists(output) ? File.ReadAllText(output) : "";
        int b = existing.IndexOf(Begin, StringComparison.Ordinal), e = existing.IndexOf(End, StringComparison.Ordinal);
        string text = b >= 0 && e > b ? existing[..b] + s.ToString().TrimEnd() + existing[(e + End.Length)..] : existing.TrimEnd() + "\n\n" + s;
        File.WriteAllText(output, text);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(output)!, "gc-results.svg"), Chart(rows));
        Console.WriteLine($"wrote {output}");
        Console.Write(s);
    }

    private static string NodeVersion(string node)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(node, "--version") { RedirectStandardOutput = true })!;
            string v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }

    private static string Git(string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, WorkingDirectory = FindRoot() })!;
            string v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return v;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    // Horizontal bars of engine/V8 per program, start-up and steady state, on a log scale (1 = V8).
    private static string Chart(List<Row> rows)
    {
        var bars = new List<(string Label, string Engine, double Ratio)>();
        foreach (var r in rows)
        {
            foreach (var engine in new[] { "Weft", "Wasmtime" })
            {
                if (r.Startup.TryGetValue(engine, out double s) && r.Startup.TryGetValue("V8", out double s8)) bars.Add(($"{r.Name} start-up", engine, s / s8));
                if (r.Steady.TryGetValue(engine, out double t) && r.Steady.TryGetValue("V8", out double t8)) bars.Add(($"{r.Name} steady", engine, t / t8));
            }
        }
        const int left = 230, width = 420, barHeight = 12;
        double maxLog = Math.Log10(Math.Max(10, bars.Count == 0 ? 10 : bars.Max(b => b.Ratio))), minLog = Math.Log10(Math.Min(0.1, bars.Count == 0 ? 0.1 : bars.Min(b => b.Ratio)));
        double X(double ratio) => left + (Math.Log10(ratio) - minLog) / (maxLog - minLog) * width;
        var svg = new StringBuilder();
        int height = 40 + bars.Count * (barHeight + 3);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 60}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"10\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" font-size=\"12\">engine time / V8 time (log scale; left of the line is faster than V8)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(1):F1}\" y1=\"20\" x2=\"{X(1):F1}\" y2=\"{height - 4}\" stroke=\"black\"/>\n");
        int y = 26;
        foreach (var (label, engine, ratio) in bars)
        {
            string color = engine == "Weft" ? "#3b7dd8" : "#d8843b";
            double x0 = X(Math.Min(1, ratio)), x1 = X(Math.Max(1, ratio));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 10}\">{label} ({engine})</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0:F1}\" y=\"{y}\" width=\"{Math.Max(1, x1 - x0):F1}\" height=\"{barHeight}\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x1 + 3:F1}\" y=\"{y + 10}\">{ratio:F2}</text>\n");
            y += barHeight + 3;
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
