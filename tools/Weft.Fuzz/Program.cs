using System.Diagnostics;
using System.Globalization;

namespace Weft.Fuzz;

/// <summary>
/// `dotnet run -c Release --project tools/Weft.Fuzz -- [run] --features each --cases 10000 --seed 1` (see docs/FUZZING.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            return options.Command switch
            {
                "run" => RunDifferential(options),
                "validate" => RunValidation(options),
                "reduce" => ReduceOne(options),
                _ => throw new ArgumentException($"unknown command '{options.Command}'"),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("weft-fuzz: " + e.Message);
            Console.Error.WriteLine("usage: weft-fuzz [run|validate|reduce CASE_FOLDER] [--features each|mvp,simd,...] [--cases N] [--seed S] [--first K] [--config both|default|tiered] [--findings DIR] [--reduce] [--no-roundtrip] [--keep-nans] [--lazy]");
            return 2;
        }
    }

    private static Binaryen StartOracle()
    {
        return Binaryen.TryStart(out string reason) ?? throw new ArgumentException(reason);
    }

    private static int RunDifferential(Options o)
    {
        using var oracle = StartOracle();
        string work = Path.Combine(Path.GetTempPath(), "weft-fuzz-" + Environment.ProcessId);
        var log = new Action<string>(line =>
        {
            Console.WriteLine(line);
            Console.Out.Flush();
        });
        var runner = new DifferentialRunner(oracle, work)
        {
            Configs = o.Configs,
            Engine = o.Lazy ? new Engine(new EngineOptions { LazyCompilation = true, Collectible = false }) : Engine.Default,
            FindingsDirectory = o.Findings,
            RoundTrips = o.RoundTrips,
            KeepNaNs = o.KeepNaNs,
            Log = log,
        };
        var reducer = o.Reduce ? new Reducer(oracle, o.Findings, log) : null;
        int unknown = 0;
        var total = Stopwatch.StartNew();
        var lines = new List<string>();
        // Cases are interleaved across the feature sets (case i of every set, then case i + 1), so a run stopped
        // early has covered every set evenly.
        var stats = o.Features.ToDictionary(f => f.Name, _ => new FeatureStats());
        var clocks = o.Features.ToDictionary(f => f.Name, _ => new Stopwatch());
        for (int i = o.First; i < o.First + o.Cases; i++)
        {
            foreach (var features in o.Features)
            {
                clocks[features.Name].Start();
                var found = runner.RunCase(features, o.Seed, i, stats[features.Name]);
                if (reducer is not null)
                {
                    foreach (var d in found.Where(d => d.Kind == DivergenceKind.Execution && d.KnownBug is null).Take(1))
                    {
                        reducer.Reduce(features, d with { Folder = Path.Combine(o.Findings, "cases", d.CaseId) });
                    }
                }
                clocks[features.Name].Stop();
            }
            if ((i - o.First + 1) % o.ProgressEvery == 0)
            {
                log($"progress after {i - o.First + 1} cases per set, {total.Elapsed.TotalMinutes:F1} min:");
                foreach (var f in o.Features) log("  " + DifferentialRunner.Summary(f.Name, stats[f.Name], clocks[f.Name]));
            }
        }
        foreach (var f in o.Features)
        {
            lines.Add(DifferentialRunner.Summary(f.Name, stats[f.Name], clocks[f.Name]));
            unknown += stats[f.Name].Divergences.Count(d => d.KnownBug is null || KnownBugs.Strict);
        }
        Console.WriteLine($"summary ({total.Elapsed.TotalMinutes:F1} min, seed {o.Seed}, cases {o.First}..{o.First + o.Cases - 1}, configs {string.Join("+", o.Configs)}{(o.Lazy ? ", lazy IL emission" : "")}):");
        foreach (var l in lines) Console.WriteLine("  " + l);
        try
        {
            Directory.Delete(work, true);
        }
        catch (IOException)
        {
        }
        return unknown == 0 ? 0 : 1;
    }

    private static int RunValidation(Options o)
    {
        using var oracle = StartOracle();
        string work = Path.Combine(Path.GetTempPath(), "weft-fuzz-v-" + Environment.ProcessId);
        var fuzzer = new ValidatorFuzzer(oracle, work, o.Findings, line => Console.WriteLine(line));
        var clock = Stopwatch.StartNew();
        foreach (var features in o.Features)
        {
            var stats = fuzzer.Run(features, o.Seed, o.First, o.Cases);
            Console.WriteLine($"validate {features.Name}: {stats.Mutants} mutants, {stats.BothValid} both valid, {stats.BothInvalid} both invalid, " +
                $"{stats.WeftOnlyValid} only Weft valid, {stats.BinaryenOnlyValid} only binaryen valid, {clock.Elapsed.TotalSeconds:F0} s");
        }
        return 0;
    }

    private static int ReduceOne(Options o)
    {
        using var oracle = StartOracle();
        var features = o.Features.Count == 1 ? o.Features[0] : throw new ArgumentException("reduce needs one --features set");
        string folder = o.Positional ?? throw new ArgumentException("reduce needs a case folder");
        var reducer = new Reducer(oracle, o.Findings, line => Console.WriteLine(line));
        reducer.Reduce(features, new Divergence(Path.GetFileName(folder.TrimEnd('/')), DivergenceKind.Execution, "-", "") { Folder = folder });
        return 0;
    }

    private sealed class Options
    {
        public string Command = "run";
        public IReadOnlyList<FeatureSet> Features = FeatureSet.All;
        public int Cases = 100;
        public int Seed = 1;
        public int First;
        public int ProgressEvery = 50;
        public IReadOnlyList<JitConfig> Configs = [JitConfig.Default, JitConfig.Tiered];
        public string Findings = "fuzz-findings";
        public bool Reduce;
        public bool RoundTrips = true;
        public bool KeepNaNs;
        public bool Lazy;
        public string? Positional;

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
                int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
                switch (a)
                {
                    case "run" or "validate" or "reduce" when i == 0: o.Command = a; break;
                    case "--features": o.Features = FeatureSet.Parse(Next()); break;
                    case "--cases": o.Cases = Int(); break;
                    case "--seed": o.Seed = Int(); break;
                    case "--first": o.First = Int(); break;
                    case "--progress": o.ProgressEvery = Math.Max(1, Int()); break;
                    case "--findings": o.Findings = Next(); break;
                    case "--reduce": o.Reduce = true; break;
                    case "--no-roundtrip": o.RoundTrips = false; break;
                    case "--keep-nans": o.KeepNaNs = true; break;
                    case "--lazy": o.Lazy = true; break;
                    case "--config":
                        o.Configs = Next() switch
                        {
                            "both" => [JitConfig.Default, JitConfig.Tiered],
                            "default" => [JitConfig.Default],
                            "tiered" => [JitConfig.Tiered],
                            var c => throw new ArgumentException($"unknown config '{c}'"),
                        };
                        break;
                    default:
                        if (a.StartsWith('-') || o.Positional is not null) throw new ArgumentException($"unknown option '{a}'");
                        o.Positional = a;
                        break;
                }
            }
            return o;
        }
    }
}
