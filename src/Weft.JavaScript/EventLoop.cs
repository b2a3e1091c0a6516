namespace Weft.JavaScript;

/// <summary>
/// The macrotask side of the event loop: timers (setTimeout/setInterval) in due order and plain tasks (finalization
/// callbacks, the JS API's "queue a task"). Microtasks (promise jobs, queueMicrotask) are Jint's own job queue, run
/// after each task. Everything runs on the thread that runs the loop, which is the store's thread.
/// </summary>
internal sealed class EventLoop
{
    private readonly Queue<Action> _tasks = new();
    private readonly SortedDictionary<(long Due, long Id), Timer> _timers = [];
    private readonly Dictionary<long, (long Due, long Id)> _timerKeys = [];
    private long _nextId = 1;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private sealed record Timer(long Id, Action Callback, long Interval, bool Ref);

    public void QueueTask(Action task) => _tasks.Enqueue(task);

    public long AddTimer(Action callback, double delayMs, bool repeat)
    {
        long delay = double.IsNaN(delayMs) || delayMs < 1 ? 1 : (long)Math.Min(delayMs, int.MaxValue);
        long id = _nextId++;
        var key = (_clock.ElapsedMilliseconds + delay, id);
        _timers[key] = new Timer(id, callback, repeat ? delay : -1, true);
        _timerKeys[id] = key;
        return id;
    }

    public void ClearTimer(long id)
    {
        if (_timerKeys.Remove(id, out var key)) _timers.Remove(key);
    }

    public bool IsIdle => _tasks.Count == 0 && _timers.Count == 0;

    /// <summary>Runs one task or due timer, waiting for the next timer if nothing else is queued; false when idle.</summary>
    public bool RunOne()
    {
        if (_tasks.TryDequeue(out var task))
        {
            task();
            return true;
        }
        if (_timers.Count == 0) return false;
        var (key, timer) = _timers.First();
        long wait = key.Due - _clock.ElapsedMilliseconds;
        if (wait > 0) Thread.Sleep((int)wait);
        _timers.Remove(key);
        _timerKeys.Remove(timer.Id);
        if (timer.Interval > 0)
        {
            var next = (_clock.ElapsedMilliseconds + timer.Interval, timer.Id);
            _timers[next] = timer;
            _timerKeys[timer.Id] = next;
        }
        timer.Callback();
        return true;
    }
}
