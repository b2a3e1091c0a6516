namespace Weft.Script;

/// <summary>The outcome of running one .wast script: one result per command.</summary>
public sealed class WastScriptReport
{
    internal WastScriptReport(string path, IReadOnlyList<WastCommandResult> results, TimeSpan elapsed)
    {
        Path = path;
        Results = results;
        Elapsed = elapsed;
        Passed = results.Count(r => r.Status == WastCommandStatus.Passed);
        Failed = results.Count(r => r.Status == WastCommandStatus.Failed);
        Skipped = results.Count(r => r.Status == WastCommandStatus.Skipped);
    }

    /// <summary>The script file.</summary>
    public string Path { get; }

    /// <summary>Every command's result, in script order.</summary>
    public IReadOnlyList<WastCommandResult> Results { get; }

    /// <summary>The commands that passed.</summary>
    public int Passed { get; }

    /// <summary>The commands that failed (including a script that could not be read or parsed, counted as one).</summary>
    public int Failed { get; }

    /// <summary>The commands that were not checked.</summary>
    public int Skipped { get; }

    /// <summary>The failed commands, in script order.</summary>
    public IEnumerable<WastCommandResult> Failures => Results.Where(r => r.Status == WastCommandStatus.Failed);

    /// <summary>How long the script took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary><c>N passed, N failed, N skipped</c>.</summary>
    public string Summary => WastReport.FormatSummary(Passed, Failed, Skipped);
}
