using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Weft.Gc;

/// <summary>
/// A store's host finalizers. Registering attaches a small sentinel to the target through a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/>: the sentinel lives exactly as long as the target, and when the
/// .NET GC collects both, the sentinel's own finalizer (on the .NET finalizer thread) only enqueues the callback.
/// The callbacks then run on the store's thread at safe points: when the outermost host-to-wasm call returns, or when
/// the host drains the queue. So a callback may call into wasm and allocate, which it never could while the GC
/// or the finalizer thread is running.
/// </summary>
internal sealed class FinalizerQueue
{
    private readonly ConditionalWeakTable<object, Sentinel> _sentinels = new();
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly Lock _lock = new();
    private List<Exception>? _failures;
    private bool _running;
    private volatile bool _closed;

    /// <summary>Whether callbacks are waiting to run (cheap; read after every outermost call into wasm).</summary>
    public bool HasPending => !_pending.IsEmpty;

    /// <summary>How many callbacks are waiting.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Attaches a callback to the lifetime of <paramref name="target"/>; several callbacks may share a target.</summary>
    public void Register(object target, Action callback)
    {
        lock (_lock)
        {
            _sentinels.TryGetValue(target, out var previous);
            // The new sentinel keeps the earlier ones of the same target reachable exactly as long as itself.
            _sentinels.AddOrUpdate(target, new Sentinel(this, callback, previous));
        }
    }

    /// <summary>
    /// Runs every queued callback, including callbacks queued while it runs. A throwing callback does not stop the
    /// others; its exception is kept. Returns how many callbacks ran; throws the kept exceptions (from this run and
    /// earlier automatic runs) when <paramref name="throwFailures"/> is set. Re-entrant calls (a callback that calls
    /// wasm, whose return would run the queue again) return 0 and leave the work to the running loop.
    /// </summary>
    public int Run(bool throwFailures)
    {
        if (_running) return 0;
        _running = true;
        int count = 0;
        try
        {
            while (!_closed && _pending.TryDequeue(out var callback))
            {
                count++;
                try
                {
                    callback();
                }
#pragma warning disable CA1031 // A host callback's failure must not lose the callbacks after it; it is reported below.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    (_failures ??= []).Add(e);
                }
            }
        }
        finally
        {
            _running = false;
        }
        if (throwFailures && _failures is { } failures)
        {
            _failures = null;
            throw new FinalizerException(failures);
        }
        return count;
    }

    /// <summary>Drops everything queued and ignores later collections (the store is disposed).</summary>
    public void Close()
    {
        _closed = true;
        _pending.Clear();
    }

    private void Enqueue(Action callback)
    {
        if (!_closed) _pending.Enqueue(callback);
    }

    // Has a finalizer but no other behaviour: the .NET finalizer thread only enqueues the callback.
    private sealed class Sentinel(FinalizerQueue queue, Action callback, Sentinel? next)
    {
        // Only keeps the earlier sentinel of the same target alive.
        private readonly Sentinel? _next = next;

        ~Sentinel()
        {
            queue.Enqueue(callback);
            GC.KeepAlive(_next);
        }
    }
}
