namespace Weft.Tests.Threads;

/// <summary>
/// The multi-threaded tests keep several cores busy (4 spinning workers, 100 program runs); they run alone, after
/// the parallel collections, so they neither disturb the timing tests elsewhere nor are slowed down by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadsCollection
{
    public const string Name = "Threads (run alone)";
}
