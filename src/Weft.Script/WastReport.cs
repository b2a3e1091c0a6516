namespace Weft.Script;

/// <summary>The outcome of running several .wast scripts.</summary>
public sealed class WastReport
{
    internal WastReport(IReadOnlyList<WastScriptReport> scripts, TimeSpan elapsed)
    {
        Scripts = scripts;
        Elapsed = elapsed;
        Passed = scripts.Sum(s => s.Passed);
        Failed = scripts.Sum(s => s.Failed);
        Skipped = scripts.Sum(s => s.Skipped);
    }

    /// <summary>One report per script, in the order the scripts were given (folders expanded in ordinal path order).</summary>
    public IReadOnlyList<WastScriptReport> Scripts { get; }

    /// <summary>Commands that passed, over all scripts.</summary>
    public int Passed { get; }

    /// <summary>Commands that failed, over all scripts.</summary>
    public int Failed { get; }

    /// <summary>Commands that were skipped, over all scripts.</summary>
    public int Skipped { get; }

    /// <summary>Wall-clock time of the whole run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary><c>N passed, N failed, N skipped</c>.</summary>
    public string Summary => FormatSummary(Passed, Failed, Skipped);

    internal static string FormatSummary(int passed, int failed, int skipped) =>
        $"{passed} passed, {failed} failed, {skipped} skipped";
}
