using Weft.Script;

namespace Weft.Tests.Script;

/// <summary>
/// The 3.0 suite expects memory limits flag 0x08 malformed; custom-page-sizes makes it the page-size flag. The runner
/// checks such an assertion under both rules, and must still fail it when the module is well-formed.
/// </summary>
public sealed class SupersededLimitsFlagTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("weft-wast-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WastScriptReport Run(string script)
    {
        string path = Path.Combine(_folder, "limits.wast");
        File.WriteAllText(path, script);
        return WastRunner.RunFile(path);
    }

    [Fact]
    public void AFlagByteWithNothingAfterItPassesAsMalformedLimitsFlags()
    {
        var report = Run("""
            (assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\02\01" "\08") "malformed limits flags")
            """);
        Assert.Equal((1, 0, 0), (report.Passed, report.Failed, report.Skipped));
    }

    [Fact]
    public void AWellFormedPageSizeMemoryStillFailsTheAssertion()
    {
        // flags 0x08, min 0, log2 0: a valid 1-byte-page memory under the proposal.
        var report = Run("""
            (assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\04\01" "\08\00\00") "malformed limits flags")
            """);
        Assert.Equal((0, 1, 0), (report.Passed, report.Failed, report.Skipped));
    }
}
