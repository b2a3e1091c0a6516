using System.Diagnostics;
using Weft.Fuzz;
using Xunit.Abstractions;

namespace Weft.Tests.Fuzz;

/// <summary>
/// A short, seeded differential sample: binaryen's translate-to-fuzz modules for every feature set, each run by
/// binaryen's interpreter and by Weft under both JIT configurations, traces compared line by line, and the text
/// and binary round trips checked. The long run is `dotnet run -c Release --project tools/Weft.Fuzz -- ...`
/// (docs/FUZZING.md).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class DifferentialSampleTests(OracleFixture fixture, ITestOutputHelper output) : IClassFixture<OracleFixture>
{
    // 16 cases x 8 sets = 128 cases: measured 36 s of CPU for this class on the 2-core development machine (0.25 s per case
    // for generation, interpretation, two Weft runs and the round trips).
    private const int CasesPerSet = 16;
    private const int Seed = 1;

    public static TheoryData<string> Sets => new(FeatureSet.All.Select(f => f.Name));

    [SkippableTheory]
    [MemberData(nameof(Sets))]
    public void Weft_agrees_with_binaryen_on_a_seeded_sample(string set)
    {
        var oracle = fixture.Require();
        var features = FeatureSet.Parse(set).Single();
        string work = Path.Combine(Path.GetTempPath(), $"weft-fuzz-test-{Environment.ProcessId}-{set}");
        var runner = new DifferentialRunner(oracle, work) { Log = output.WriteLine };
        var clock = Stopwatch.StartNew();
        var stats = runner.Run(features, Seed, 0, CasesPerSet);
        output.WriteLine(DifferentialRunner.Summary(set, stats, clock));
        try
        {
            Directory.Delete(work, true);
        }
        catch (IOException)
        {
        }

        // Every case was generated and compared: a sample that silently compared nothing would prove nothing.
        Assert.Equal(CasesPerSet, stats.Cases);
        Assert.Equal(0, stats.OracleFailures);
        Assert.Equal(CasesPerSet, stats.Compared);
        var unexpected = stats.Divergences.Where(d => d.KnownBug is null || KnownBugs.Strict).ToList();
        Assert.True(unexpected.Count == 0,
            string.Join("\n", unexpected.Select(d => $"{d.CaseId} [{d.Kind}/{d.Config}]: {d.Detail}")));
    }

    [SkippableFact]
    public void The_exception_sample_holds_both_kinds_of_handlers()
    {
        // The eh set must exercise the legacy kind (try/catch/delegate) as well as the exnref kind (try_table).
        var oracle = fixture.Require();
        string work = Path.Combine(Path.GetTempPath(), $"weft-fuzz-test-{Environment.ProcessId}-eh-kinds");
        var stats = new DifferentialRunner(oracle, work) { RoundTrips = false }.Run(FeatureSet.Parse("eh").Single(), Seed, 0, 4);
        Assert.True(stats.LegacyTry > 0 && stats.TryTable > 0, $"legacy try in {stats.LegacyTry}, try_table in {stats.TryTable} of 4");
    }
}
