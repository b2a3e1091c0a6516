using System.Diagnostics;

namespace Weft.Fuzz;

/// <summary>The two JIT configurations a user can pick: optimized code at once (the default), or tiered (tier-0 first).</summary>
public enum JitConfig
{
    /// <summary>Store.TieredCompilation = false: RyuJIT's optimizing compiler from the first call.</summary>
    Default,
    /// <summary>Store.TieredCompilation = true: tier-0 code first, optimized after .NET's call-count threshold.</summary>
    Tiered,
}

/// <summary>Counts of one feature set's run.</summary>
public sealed class FeatureStats
{
    public int Cases;
    public int OracleFailures;
    public int Compared;
    public int HostLimited;
    public int OracleStopped;
    public int LegacyTry;
    public int TryTable;
    public readonly List<Divergence> Divergences = [];
}

/// <summary>
/// Generates cases with binaryen's translate-to-fuzz (random bytes -> a valid module, executed by binaryen's
/// interpreter in the same call), runs each on Weft under each JIT configuration, and compares the traces; each
/// module also goes through the text and binary round trips.
/// </summary>
public sealed class DifferentialRunner(Binaryen oracle, string workDirectory)
{
    /// <summary>Configurations to run each case under.</summary>
    public IReadOnlyList<JitConfig> Configs { get; init; } = [JitConfig.Default, JitConfig.Tiered];

    /// <summary>
    /// The engine modules are compiled in: <see cref="Engine.Default"/> (eager IL emission) unless the run asks for
    /// lazy emission (--lazy), whose per-function first-call compilation must give the same results.
    /// </summary>
    public Engine Engine { get; init; } = Engine.Default;

    /// <summary>Where divergent cases are saved (null: not saved).</summary>
    public string? FindingsDirectory { get; init; }

    /// <summary>Whether to skip binaryen's --denan pass (then NaN bits that reach integers can diverge legitimately).</summary>
    public bool KeepNaNs { get; init; }

    /// <summary>Whether to run the round-trip checks too.</summary>
    public bool RoundTrips { get; init; } = true;

    /// <summary>Progress lines (may be null).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The random input for a case: a pure function of (seed, set, index), so a case id reproduces it.</summary>
    public static byte[] InputFor(int seed, string featureSet, int index)
    {
        int mixed = seed * 1_000_003 ^ StableHash(featureSet) ^ index * 7919;
        var random = new Random(mixed);
        var bytes = new byte[random.Next(1000, 8000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char c in s) h = h * 31 + c;
        return h;
    }

    /// <summary>The id that names a case: set/seed/index.</summary>
    public static string CaseId(string featureSet, int seed, int index) => $"{featureSet}-s{seed}-{index}";

    /// <summary>Runs cases [first, first + count) of a feature set.</summary>
    public FeatureStats Run(FeatureSet features, int seed, int first, int count, FeatureStats? stats = null)
    {
        stats ??= new FeatureStats();
        Directory.CreateDirectory(workDirectory);
        for (int index = first; index < first + count; index++)
        {
            RunCase(features, seed, index, stats);
        }
        return stats;
    }

    /// <summary>Runs one case; returns its divergences (also added to <paramref name="stats"/>).</summary>
    public List<Divergence> RunCase(FeatureSet features, int seed, int index, FeatureStats stats)
    {
        string id = CaseId(features.Name, seed, index);
        Directory.CreateDirectory(workDirectory);
        string input = Path.Combine(workDirectory, id + ".bin");
        string wasmPath = Path.Combine(workDirectory, id + ".wasm");
        File.WriteAllBytes(input, InputFor(seed, features.Name, index));
        stats.Cases++;
        // NaN bits are nondeterministic in the spec (sign and payload of an arithmetic NaN) and can escape into
        // integers through stores and reinterprets, where no comparer can forgive them: binaryen's --denan pass
        // (as its own fuzzer does for VM comparisons) rewrites every float result that is a NaN to 0 first.
        var generated = oracle.Run("wasm-opt", [input, "-ttf", .. features.Flags, .. (KeepNaNs ? Array.Empty<string>() : ["--denan"]), "-o", wasmPath]);
        File.Delete(input);
        if (generated.ExitCode == 0 && File.Exists(wasmPath))
        {
            generated = oracle.Run("wasm-opt", [wasmPath, .. features.Flags, "--fuzz-exec-before", "-o", wasmPath + ".out"]);
            File.Delete(wasmPath + ".out");
        }
        var found = new List<Divergence>();
        if (generated.ExitCode != 0 || !File.Exists(wasmPath))
        {
            stats.OracleFailures++;
            Log?.Invoke($"{id}: binaryen failed ({generated.ExitCode}): {FirstLine(generated.Stderr)}");
            return found;
        }
        byte[] wasm = File.ReadAllBytes(wasmPath);
        File.Delete(wasmPath);
        found.AddRange(Check(id, wasm, generated.Stdout, stats));
        foreach (var d in found)
        {
            var saved = d.KnownBug is null ? Save(d, wasm, generated.Stdout) : d;
            stats.Divergences.Add(saved);
            if (d.KnownBug is null) Log?.Invoke($"DIVERGENCE {d.CaseId} [{d.Kind}/{d.Config}]{(d.KnownBug is null ? "" : " known: " + d.KnownBug)}\n{d.Detail}");
        }
        return found;
    }

    /// <summary>Checks one generated module against binaryen's trace under every configuration.</summary>
    public List<Divergence> Check(string id, byte[] wasm, string oracleTrace, FeatureStats? stats = null)
    {
        var found = new List<Divergence>();
        WasmModule module;
        try
        {
            module = WasmModule.FromBytes(Engine, wasm);
        }
        catch (WeftException e)
        {
            found.Add(new Divergence(id, DivergenceKind.Rejected, "-", $"{e.GetType().Name}: {e.Message}"));
            return found;
        }
        catch (Exception e)
        {
            found.Add(new Divergence(id, DivergenceKind.Crash, "-", $"decode: {e}"));
            return found;
        }
        if (stats is not null)
        {
            string text = SafeText(module);
            if (text.Contains("(try_table", StringComparison.Ordinal) || text.Contains("try_table", StringComparison.Ordinal)) stats.TryTable++;
            if (text.Contains("(try ", StringComparison.Ordinal) || text.Contains("\n    try", StringComparison.Ordinal) || text.Contains(" try\n", StringComparison.Ordinal)) stats.LegacyTry++;
        }
        bool compared = false, limited = false, stopped = false;
        foreach (var config in Configs)
        {
            string trace;
            bool hostLimit;
            try
            {
                (trace, hostLimit) = FuzzHost.Run(module, config == JitConfig.Tiered);
            }
            catch (WeftException e)
            {
                found.Add(new Divergence(id, DivergenceKind.Rejected, config.ToString(), $"{e.GetType().Name}: {e.Message}"));
                continue;
            }
            catch (Exception e)
            {
                found.Add(new Divergence(id, DivergenceKind.Crash, config.ToString(), e.ToString()));
                continue;
            }
            limited |= hostLimit || oracleTrace.Contains("[host limit", StringComparison.Ordinal);
            stopped |= TraceComparer.OracleStoppedSilently(oracleTrace, trace);
            compared = true;
            if (TraceComparer.Compare(oracleTrace, trace) is { } difference)
            {
                found.Add(new Divergence(id, DivergenceKind.Execution, config.ToString(), difference) { KnownBug = KnownBugs.MatchCase(id) });
            }
        }
        if (stats is not null)
        {
            if (compared) stats.Compared++;
            if (limited) stats.HostLimited++;
            if (stopped) stats.OracleStopped++;
        }
        if (RoundTrips && RoundTrip.Check(module) is { } roundTrip)
        {
            found.Add(new Divergence(id, DivergenceKind.RoundTrip, "-", roundTrip) { KnownBug = KnownBugs.MatchRoundTrip(roundTrip) });
        }
        return found;
    }

    private static string SafeText(WasmModule module)
    {
        try
        {
            return module.ToText();
        }
        catch (Exception)
        {
            return "";
        }
    }

    private Divergence Save(Divergence d, byte[] wasm, string oracleTrace)
    {
        if (FindingsDirectory is null) return d;
        string folder = Path.Combine(FindingsDirectory, "cases", d.CaseId);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "case.wasm"), wasm);
        File.WriteAllText(Path.Combine(folder, "binaryen.txt"), oracleTrace);
        File.AppendAllText(Path.Combine(folder, "divergence.txt"), $"{d.Kind} {d.Config}\n{d.Detail}\n\n");
        return d with { Folder = folder };
    }

    private static string FirstLine(string s) => s.Split('\n').FirstOrDefault(l => l.Length > 0 && !l.StartsWith("warning", StringComparison.Ordinal)) ?? "";

    /// <summary>A stopwatch-friendly summary line.</summary>
    public static string Summary(string name, FeatureStats s, Stopwatch clock) =>
        $"{name}: {s.Cases} cases, {s.Compared} compared, {s.OracleFailures} oracle failures, {s.HostLimited} host-limited, {s.OracleStopped} oracle-stopped, " +
        $"legacy try {s.LegacyTry}, try_table {s.TryTable}, {s.Divergences.Count} divergences " +
        $"({s.Divergences.Count(d => d.KnownBug is not null)} known), {clock.Elapsed.TotalSeconds:F0} s";
}
