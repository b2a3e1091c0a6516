using Weft.Fuzz;
using Weft.Script;

namespace Weft.Tests.Fuzz;

/// <summary>
/// Reduced cases of real bugs the fuzzer found (tests/Weft.Tests/Fuzz/Regressions/*.wast), run as spec scripts.
/// A script whose header says "KNOWN BUG" is a bug being fixed elsewhere: it must still run to the end with only
/// assertion failures (never a crash), and must pass under WEFT_FUZZ_STRICT=1; remove the marker with the fix.
/// </summary>
public sealed class RegressionTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions");

    public static TheoryData<string> Scripts =>
        new(Directory.GetFiles(Folder, "*.wast").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Reduced_fuzz_case_passes(string name)
    {
        string path = Path.Combine(Folder, name);
        bool known = File.ReadLines(path).TakeWhile(l => l.StartsWith(";;", StringComparison.Ordinal)).Any(l => l.Contains("KNOWN BUG", StringComparison.Ordinal));
        var report = WastRunner.RunFile(path);
        Assert.True(report.Results.Count > 0, "the script ran no command");
        Assert.Equal(0, report.Skipped);
        if (known && !KnownBugs.Strict)
        {
            Assert.All(report.Failures, f => Assert.StartsWith("assert_return", f.Command, StringComparison.Ordinal));
            return;
        }
        Assert.True(report.Failed == 0, string.Join("\n", report.Failures));
    }
}
