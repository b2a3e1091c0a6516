namespace Weft.Tests.Execution;

/// <summary>Runs one body on several threads at once, for tests of what stores on different threads share.</summary>
internal static class ConcurrentThreads
{
    /// <summary>
    /// Runs <paramref name="body"/> (thread number, start barrier) on <paramref name="count"/> threads, joins them and
    /// fails with every exception any of them threw. The body signals the barrier when its own set-up is done, so the
    /// parts after it run at the same time.
    /// </summary>
    public static void Run(int count, Action<int, Barrier> body)
    {
        using var start = new Barrier(count);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                body(t, start);
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
    }
}
