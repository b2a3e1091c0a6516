using System.Diagnostics;

namespace Weft.Fuzz;

/// <summary>
/// Reduces a divergent case to a small module that still diverges: a greedy delta-debugging pass over the lines of
/// the module's text (Weft prints one instruction per line), each candidate checked by Weft's parser and validator
/// first (in process, cheap) and only then by both engines. binaryen's own wasm-reduce is not used: it drives its
/// test command through a child process, which its emscripten build under node cannot spawn.
/// </summary>
public sealed class Reducer(Binaryen oracle, string findingsDirectory, Action<string> log)
{
    /// <summary>Candidates run on both engines at most, per case.</summary>
    public int MaxTrials { get; init; } = 1500;

    /// <summary>Time allowed per case.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Reduces the case in <see cref="Divergence.Folder"/>; writes reduced.wat beside it and returns its text.</summary>
    public string? Reduce(FeatureSet features, Divergence divergence)
    {
        string folder = divergence.Folder ?? throw new ArgumentException("the divergence has no saved case");
        string work = Path.Combine(folder, "reduce");
        Directory.CreateDirectory(work);
        var module = WasmModule.FromBytes(File.ReadAllBytes(Path.Combine(folder, "case.wasm")));
        var lines = module.ToText().Split('\n').ToList();
        var clock = Stopwatch.StartNew();
        int trials = 0, invalid = 0;
        var runner = new DifferentialRunner(oracle, work) { RoundTrips = false };

        bool StillDiverges(List<string> candidate)
        {
            byte[] bytes;
            try
            {
                bytes = WasmModule.FromText(string.Join('\n', candidate)).ToBinary();
            }
            catch (WeftException)
            {
                invalid++;
                return false;
            }
            trials++;
            string path = Path.Combine(work, "candidate.wasm");
            File.WriteAllBytes(path, bytes);
            var result = oracle.Run("wasm-opt", [path, .. features.Flags, "--fuzz-exec-before", "-o", Path.Combine(work, "out.wasm")]);
            if (result.ExitCode != 0) return false;
            return runner.Check(divergence.CaseId, bytes, result.Stdout).Any(d => d.Kind == DivergenceKind.Execution);
        }

        if (!StillDiverges(lines))
        {
            log($"reduce {divergence.CaseId}: the case does not diverge when re-run from its text; not reduced");
            return null;
        }
        bool Budget() => trials < MaxTrials && clock.Elapsed < MaxTime;
        for (int chunk = Math.Max(1, lines.Count / 2); chunk >= 1 && Budget(); chunk = chunk == 1 ? 0 : Math.Max(1, chunk / 2))
        {
            bool progress = true;
            while (progress && Budget())
            {
                progress = false;
                for (int start = 0; start + chunk <= lines.Count && Budget();)
                {
                    var candidate = new List<string>(lines);
                    candidate.RemoveRange(start, chunk);
                    if (StillDiverges(candidate))
                    {
                        lines = candidate;
                        progress = true;
                    }
                    else
                    {
                        start += chunk;
                    }
                }
            }
        }
        string reduced = string.Join('\n', lines);
        File.WriteAllText(Path.Combine(folder, "reduced.wat"), reduced + "\n");
        var final = WasmModule.FromText(reduced).ToBinary();
        string finalPath = Path.Combine(folder, "reduced.wasm");
        File.WriteAllBytes(finalPath, final);
        var oracleRun = oracle.Run("wasm-opt", [finalPath, .. features.Flags, "--fuzz-exec-before", "-o", Path.Combine(work, "out.wasm")]);
        File.WriteAllText(Path.Combine(folder, "reduced-binaryen.txt"), oracleRun.Stdout);
        var m = WasmModule.FromBytes(final);
        File.WriteAllText(Path.Combine(folder, "reduced-weft-default.txt"), FuzzHost.Run(m, false).Trace);
        File.WriteAllText(Path.Combine(folder, "reduced-weft-tiered.txt"), FuzzHost.Run(m, true).Trace);
        string? known = KnownBugs.MatchReduced(reduced);
        try
        {
            Directory.Delete(work, true);
        }
        catch (IOException)
        {
        }
        log($"reduced {divergence.CaseId}: {lines.Count} lines after {trials} trials ({invalid} invalid candidates), " +
            $"{clock.Elapsed.TotalSeconds:F0} s{(known is null ? "" : ", known bug " + known)} -> {Path.Combine(folder, "reduced.wat")}");
        _ = findingsDirectory;
        return reduced;
    }
}
