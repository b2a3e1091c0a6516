namespace Weft.Tests.Wasi;

/// <summary>Every test of the WASI test suite passes: exit code, stdout and stderr as its spec says.</summary>
public sealed class WasiTestSuiteTests
{
    public static TheoryData<string> Tests() => [.. WasiTestSuite.Tests()];

    [WasiSuiteTheory]
    [MemberData(nameof(Tests))]
    public void Passes(string test)
    {
        var spec = WasiTestSuite.ReadSpec(Path.Combine(WasiTestSuite.Root!, test));
        var (exit, stdout, stderr) = WasiTestSuite.Run(test, spec);
        Assert.True(spec.ExitCode == exit, $"{test}: exit code {exit}, expected {spec.ExitCode}; stderr: {stderr}");
        Assert.Equal(spec.Stdout, stdout);
        Assert.Equal(spec.Stderr, stderr);
    }

    [SkippableFact]
    public void TheSuiteIsThere()
    {
        Skip.If(WasiTestSuite.Root is null, WasiTestSuite.AbsentMessage);
        Assert.NotEmpty(WasiTestSuite.Tests());
    }
}
