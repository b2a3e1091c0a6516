namespace Weft.Script;

/// <summary>Settings for <see cref="WastRunner"/>.</summary>
public sealed class WastOptions
{
    /// <summary>How many scripts run at once. Defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The engine the scripts' modules are compiled and run with, or null (the default) for <see cref="Weft.Engine.Default"/>;
    /// e.g. an engine with <see cref="EngineOptions.LazyCompilation"/> runs the suite on lazily compiled code.
    /// </summary>
    public Engine? Engine { get; init; }

    /// <summary>Called (on a worker thread) as each script finishes, e.g. to show progress; may be null.</summary>
    public Action<WastScriptReport>? ScriptCompleted { get; init; }
}
