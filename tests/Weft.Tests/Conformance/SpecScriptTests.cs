using System.Text;
using Weft.Script;
using Xunit.Abstractions;

namespace Weft.Tests.Conformance;

/// <summary>
/// One test per .wast script of the spec suite: it fails when any command of the script fails, listing each failure
/// with file:line, expected and actual. Commands that need execution are skipped (and counted in the test output).
/// The scripts are split over a few classes because xunit runs classes (collections) in parallel, rows of one theory
/// one after another.
/// </summary>
public abstract class SpecScriptTests(ITestOutputHelper output)
{
    private const int MaxFailuresShown = 40;

    protected void Run(string script) => Run(SpecSuite.Root!, script);

    protected void Run(string root, string script)
    {
        var report = WastRunner.RunFile(Path.Combine(root, script));
        output.WriteLine($"{script}: {report.Summary} in {report.Elapsed.TotalMilliseconds:0} ms");
        if (PendingScripts.ReasonFor(script) is { } pending)
        {
            if (report.Failed == 0 && report.Skipped == 0)
            {
                Assert.Fail($"{script} passes completely now: remove it from PendingScripts ({pending})");
            }
            Skip.If(true, $"pending: {pending}; {report.Summary}");
        }
        if (report.Failed == 0 && report.Skipped == 0) return;

        var message = new StringBuilder($"{script}: {report.Summary}").AppendLine();
        foreach (var failure in report.Failures.Take(MaxFailuresShown)) message.AppendLine(failure.ToString());
        if (report.Failed > MaxFailuresShown) message.AppendLine($"... and {report.Failed - MaxFailuresShown} more failures");
        if (report.Skipped > 0) message.AppendLine($"{report.Skipped} commands were skipped; every command must run");
        Assert.Fail(message.ToString());
    }
}

/// <summary>core/*.wast and any folder not named in <see cref="SpecSuite.GroupOf"/>.</summary>
public sealed class CoreSpecTests(ITestOutputHelper output) : SpecScriptTests(output)
{
    public static TheoryData<string> Scripts => [.. SpecSuite.Scripts("core")];

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void Passes(string script) => Run(script);
}

/// <summary>core/simd and core/relaxed-simd.</summary>
public sealed class SimdSpecTests(ITestOutputHelper output) : SpecScriptTests(output)
{
    public static TheoryData<string> Scripts => [.. SpecSuite.Scripts("simd")];

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void Passes(string script) => Run(script);
}

/// <summary>The other proposal folders (memory64, multi-memory, bulk-memory, gc, exceptions), custom/ and legacy/.</summary>
public sealed class ProposalSpecTests(ITestOutputHelper output) : SpecScriptTests(output)
{
    public static TheoryData<string> Scripts => [.. SpecSuite.Scripts("proposals")];

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void Passes(string script) => Run(script);
}

/// <summary>The post-3.0 proposals Weft implements (custom page sizes, threads, wide arithmetic), from ../shared/testsuite-proposals.</summary>
public sealed class PostSpecProposalTests(ITestOutputHelper output) : SpecScriptTests(output)
{
    public static TheoryData<string> Scripts => [.. PostSpecProposals.Scripts()];

    [PostSpecProposalTheory]
    [MemberData(nameof(Scripts))]
    public void Passes(string script) => Run(PostSpecProposals.Root!, script);
}
