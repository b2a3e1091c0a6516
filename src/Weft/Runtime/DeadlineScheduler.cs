using System.Diagnostics;

namespace Weft.Runtime;

/// <summary>
/// Fires store deadlines from one dedicated background thread. A <see cref="System.Threading.Timer"/> runs its
/// callback on the thread pool, so a host whose pool threads are all busy running wasm (the very case a deadline
/// exists for) got its deadlines late: the pool adds a thread only every half second or so when starved (a 50 ms
/// deadline fired after 1.3 s in a test run). This thread only sets interrupt flags, so one serves every store.
/// </summary>
internal static class DeadlineScheduler
{
    /// <summary>One pending deadline; <see cref="Cancel"/> makes it a no-op if it has not fired.</summary>
    internal sealed class Entry(Action fire, long dueTimestamp)
    {
        internal readonly long DueTimestamp = dueTimestamp;
        private Action? _fire = fire;

        /// <summary>
        /// Stops the entry from firing (idempotent). Takes the scheduler's lock, under which entries fire, so once
        /// this returns the entry has either fired completely or never will: a store that clears its interrupt flag
        /// after cancelling cannot have it set again by a late firing.
        /// </summary>
        public void Cancel()
        {
            lock (s_lock)
            {
                if (Interlocked.Exchange(ref _fire, null) is not null) NoteCancelled();
            }
        }

        internal void Fire() => Interlocked.Exchange(ref _fire, null)?.Invoke();

        internal bool Cancelled => Volatile.Read(ref _fire) is null;
    }

    // An object, not a System.Threading.Lock: the thread waits on it with Monitor.Wait.
    private static readonly object s_lock = new();
    private static readonly PriorityQueue<Entry, long> s_pending = new();
    private static Thread? s_thread;
    private static int s_cancelled;

    /// <summary>How many entries the queue holds, cancelled ones included (for tests).</summary>
    internal static int PendingCount
    {
        get
        {
            lock (s_lock) return s_pending.Count;
        }
    }

    /// <summary>Calls <paramref name="fire"/> once, on the scheduler's thread, when <paramref name="delay"/> has passed.</summary>
    public static Entry Schedule(TimeSpan delay, Action fire)
    {
        long due = Stopwatch.GetTimestamp() + (long)Math.Min(delay.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2.0);
        var entry = new Entry(fire, due);
        lock (s_lock)
        {
            s_pending.Enqueue(entry, due);
            if (s_thread is null)
            {
                s_thread = new Thread(Run) { IsBackground = true, Name = "Weft deadlines" };
                s_thread.Start();
            }
            // Wakes the thread so that it waits for the new earliest deadline if this one is earlier.
            Monitor.PulseAll(s_lock);
        }
        return entry;
    }

    // A host that sets a long deadline around every call and clears it after would otherwise fill the queue with
    // cancelled entries that come due only much later: rebuilt once most of it is cancelled.
    private static void NoteCancelled()
    {
        if (++s_cancelled <= 64 || s_cancelled * 2 <= s_pending.Count) return;
        var live = s_pending.UnorderedItems.Where(e => !e.Element.Cancelled).ToList();
        s_pending.Clear();
        foreach (var (entry, due) in live) s_pending.Enqueue(entry, due);
        s_cancelled = 0;
    }

    private static void Run()
    {
        lock (s_lock)
        {
            while (true)
            {
                // Cancelled entries go when they reach the head (or when NoteCancelled rebuilds the queue).
                while (s_pending.TryPeek(out var head, out _) && head.Cancelled)
                {
                    s_pending.Dequeue();
                    s_cancelled = Math.Max(0, s_cancelled - 1);
                }
                if (!s_pending.TryPeek(out var next, out long due))
                {
                    Monitor.Wait(s_lock);
                    continue;
                }
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // Capped so that a far deadline does not overflow the millisecond count.
                    Monitor.Wait(s_lock, (int)Math.Min(wait * 1000 / Stopwatch.Frequency + 1, int.MaxValue));
                    continue;
                }
                s_pending.Dequeue();
                next.Fire(); // sets a flag and never throws: safe under the lock
            }
        }
    }
}
