namespace Weft.Tests.Robustness;

/// <summary>
/// Tests that run deep stacks and several busy threads (re-entry to 100,000 levels, threads hammering one store):
/// they run alone, after the parallel tests, so their load neither disturbs the timing tests (linear validation
/// time, linear unwinding) nor is disturbed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadHeavyCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Thread-heavy robustness tests";
}
