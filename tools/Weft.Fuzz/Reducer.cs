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

    /// <summary>
    /// Greedy delta debugging over lines: removes chunks of halving size while <paramref name="interesting"/> still
    /// holds for what is left, until no single line can go or <paramref name="budget"/> says stop.
    /// </summary>
    public static List<string> ReduceLines(List<string> lines, Func<List<string>, bool> interesting, Func<bool> budget)
    {
        // First whole fields and other balanced parenthesised spans (a function, a type, an export), largest first:
        // removing one keeps the text well formed, so these candidates are rarely rejected before running.
        bool removed = true;
        while (removed && budget())
        {
            removed = false;
            foreach (var (start, length) in BalancedSpans(lines).OrderByDescending(s => s.Length))
            {
                if (!budget()) break;
                var candidate = new List<string>(lines);
                candidate.RemoveRange(start, length);
                if (interesting(candidate))
                {
                    lines = candidate;
                    removed = true;
                    break;
                }
            }
        }
        // Then whole function bodies, each replaced by `unreachable` (valid for any signature, and the function's
        // index, which calls and exports refer to, stays).
        for (int i = 0; i < lines.Count && budget(); i++)
        {
            if (!lines[i].TrimStart().StartsWith("(func", StringComparison.Ordinal) || ParenDelta(lines[i]) != 1) continue;
            int depth = 1, end = -1;
            for (int j = i + 1; j < lines.Count && end < 0; j++)
            {
                depth += ParenDelta(lines[j]);
                if (depth <= 0) end = j;
            }
            if (end < 0 || depth != 0 || end - i < 2) continue;
            var candidate = new List<string>(lines);
            candidate.RemoveRange(i + 1, end - i);
            candidate.Insert(i + 1, "    unreachable)");
            if (interesting(candidate)) lines = candidate;
        }
        // Then chunks of lines of halving size down to pairs and single lines (an instruction and the drop of its
        // value only go together); small chunks are tried at every offset, not only aligned ones.
        for (int chunk = Math.Max(1, lines.Count / 2); chunk >= 1 && budget(); chunk = chunk > 2 ? Math.Max(2, chunk / 2) : chunk - 1)
        {
            int step = chunk <= 4 ? 1 : chunk;
            bool progress = true;
            while (progress && budget())
            {
                progress = false;
                for (int start = 0; start + chunk <= lines.Count && budget();)
                {
                    var candidate = new List<string>(lines);
                    candidate.RemoveRange(start, chunk);
                    if (interesting(candidate))
                    {
                        lines = candidate;
                        progress = true;
                    }
                    else
                    {
                        start += step;
                    }
                }
            }
        }
        return lines;
    }

    /// <summary>Line ranges that open a parenthesis and close it again, with nothing left open or over-closed.</summary>
    private static List<(int Start, int Length)> BalancedSpans(List<string> lines)
    {
        var spans = new List<(int, int)>();
        var delta = lines.Select(ParenDelta).ToArray();
        for (int i = 1; i < lines.Count; i++)
        {
            if (!lines[i].TrimStart().StartsWith('(')) continue;
            int depth = 0;
            for (int j = i; j < lines.Count; j++)
            {
                depth += delta[j];
                if (depth < 0) break;
                if (depth == 0)
                {
                    spans.Add((i, j - i + 1));
                    break;
                }
            }
        }
        return spans;
    }

    private static int ParenDelta(string line)
    {
        int d = 0;
        bool inString = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == ';' && i + 1 < line.Length && line[i + 1] == ';') break;
            else if (c == '(') d++;
            else if (c == ')') d--;
        }
        return d;
    }

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
        lines = ReduceLines(lines, StillDiverges, () => trials < MaxTrials && clock.Elapsed < MaxTime);
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
