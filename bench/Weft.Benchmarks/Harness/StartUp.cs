using System.Globalization;
using System.Text;

namespace Weft.Benchmarks.Harness;

/// <summary>One way of starting an empty WASI command, whole process: its label and wall times (ms).</summary>
internal sealed record StartUpResult(string Label, Samples Wall);

/// <summary>
/// Start-up (issue 17): whole processes running an empty WASI command (a <c>_start</c> that returns), through the
/// <c>weft</c> CLIs given with <c>--cli LABEL=PATH</c> (harness.sh passes the <c>dotnet build</c> output, JIT-compiled
/// when it runs, and a ReadyToRun <c>dotnet publish</c>), and through this harness's .NET host of each engine (the
/// same child mode as the programs' whole-process runs). Interleaved, through the measure wrapper.
/// </summary>
internal static class StartUp
{
    private const string EmptyCommand = """(module (memory (export "memory") 1) (func (export "_start")))""";

    public static List<StartUpResult> Run(HarnessOptions options, Action<string> log)
    {
        string wasm = Path.Combine(Path.GetTempPath(), $"weft-harness-empty-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(wasm, WasmModule.FromText(EmptyCommand).ToBinary());
        try
        {
            var program = new BenchProgram("empty", [], File.ReadAllBytes(wasm), "");
            var ways = new List<(string Label, string[] Command)>();
            foreach (var (label, path) in options.Clis) ways.Add((label, [path, "run", wasm]));
            ways.Add(("harness .NET host, Weft", WholeProcess.ChildCommand("weft", wasm, program)));
            if (options.PublishedHost is { } published)
            {
                ways.Add(("harness .NET host published ReadyToRun, Weft", WholeProcess.ChildCommand("weft", wasm, program, published)));
                ways.Add(("harness .NET host published ReadyToRun, Wasmtime", WholeProcess.ChildCommand("wasmtime", wasm, program, published)));
            }
            ways.Add(("harness .NET host, Wasmtime", WholeProcess.ChildCommand("wasmtime", wasm, program)));
            var results = ways.Select(w => new StartUpResult(w.Label, new Samples())).ToList();
            int rounds = Math.Max(5, options.Runs * 3);
            log($"start-up: {ways.Count} ways, {rounds} rounds");
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < ways.Count; i++)
                {
                    int k = (i + round) % ways.Count;
                    using var folder = new RunFolder();
                    var times = WholeProcess.Measure(options.Measure, ways[k].Command, folder);
                    if (times.ExitCode != 0) throw new HarnessFailure($"start-up, {ways[k].Label}: exit code {times.ExitCode}: {folder.ReadStderr()}");
                    results[k].Wall.Add(times.WallMs);
                }
            }
            return results;
        }
        finally
        {
            File.Delete(wasm);
        }
    }

    public static void Write(StringBuilder md, List<StartUpResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("## Start-up (issue 17)");
        md.AppendLine();
        md.AppendLine("Whole processes running an empty WASI command, from fork to exit (milliseconds). Target: `weft run` <= 70 ms, against a .NET host of Wasmtime.");
        md.AppendLine();
        // The JIT-compiled Wasmtime host is always measured (last); the published one when the harness has it.
        double wasmtime = results[^1].Wall.Median;
        var published = results.Find(r => r.Label == "harness .NET host published ReadyToRun, Wasmtime");
        string publishedHeader = published is null ? "" : " /Wasmtime host published ReadyToRun (median) |";
        md.AppendLine(inv, $"| way | min | median | /Wasmtime host (median) |{publishedHeader}");
        md.AppendLine(published is null ? "|---|---:|---:|---:|" : "|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            string againstPublished = published is null ? "" : string.Create(inv, $" {r.Wall.Median / published.Wall.Median:F2} |");
            md.AppendLine(inv, $"| {r.Label} | {r.Wall.Min:F0} | {r.Wall.Median:F0} | {r.Wall.Median / wasmtime:F2} |{againstPublished}");
        }
        md.AppendLine();
    }
}
