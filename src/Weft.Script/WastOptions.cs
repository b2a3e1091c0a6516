namespace Weft.Script;

/// <summary>Settings for <see cref="WastRunner"/>.</summary>
public sealed class WastOptions
{
    /// <summary>How many scripts run at once. Defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called (on a worker thread) as each script finishes, e.g. to show progress; may be null.</summary>
    public Action<WastScriptReport>? ScriptCompleted { get; init; }
}
