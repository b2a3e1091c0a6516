using System.Diagnostics;

namespace Weft.Runtime;

/// <summary>
/// The waiters of one shared memory, keyed by address, like a futex: memory.atomic.wait32/64 compares and enqueues
/// under the queue's lock, memory.atomic.notify dequeues under the same lock, so a notify that follows a store can
/// never miss a waiter that saw the old value. Waiters are woken in FIFO order per address. Each waiter sleeps on
/// its own monitor, so a notify of one waiter wakes that one thread only.
/// </summary>
internal sealed unsafe class WaitQueue
{
    private sealed class Waiter
    {
        public bool Notified; // guarded by the waiter's own monitor
    }

    private readonly Dictionary<ulong, Queue<Waiter>> _byAddress = [];

    /// <summary>The number of threads waiting at an address (tests and diagnostics).</summary>
    public int CountAt(ulong address)
    {
        lock (_byAddress) return _byAddress.TryGetValue(address, out var queue) ? queue.Count : 0;
    }

    /// <summary>
    /// memory.atomic.wait: 1 ("not-equal") when the value at <paramref name="location"/> differs from
    /// <paramref name="expected"/>, else waits for a notify (0, "ok") or the timeout in nanoseconds (2, "timed-out";
    /// negative waits forever).
    /// </summary>
    public int Wait(ulong address, byte* location, long expected, bool wide, long timeoutNanoseconds)
    {
        var waiter = new Waiter();
        lock (_byAddress)
        {
            long current = wide ? Volatile.Read(ref *(long*)location) : Volatile.Read(ref *(int*)location);
            if (current != expected) return 1;
            if (timeoutNanoseconds == 0) return 2;
            if (!_byAddress.TryGetValue(address, out var queue)) _byAddress[address] = queue = new Queue<Waiter>();
            queue.Enqueue(waiter);
        }
        long deadline = timeoutNanoseconds < 0 ? long.MaxValue : Stopwatch.GetTimestamp() + ToTicks(timeoutNanoseconds);
        lock (waiter)
        {
            while (!waiter.Notified)
            {
                if (deadline == long.MaxValue)
                {
                    Monitor.Wait(waiter);
                    continue;
                }
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0) break;
                Monitor.Wait(waiter, TimeSpan.FromTicks(Math.Min(remaining * TimeSpan.TicksPerSecond / Stopwatch.Frequency + 1, int.MaxValue * TimeSpan.TicksPerMillisecond)));
            }
            if (waiter.Notified) return 0;
        }
        // Timed out: leave the queue, unless a notify took this waiter in the meantime (then it counts as woken).
        lock (_byAddress)
        {
            lock (waiter)
            {
                if (waiter.Notified) return 0;
                waiter.Notified = true; // so that no later notify counts it
            }
            if (_byAddress.TryGetValue(address, out var queue))
            {
                var rest = queue.Where(w => !ReferenceEquals(w, waiter)).ToArray();
                if (rest.Length == 0) _byAddress.Remove(address);
                else _byAddress[address] = new Queue<Waiter>(rest);
            }
        }
        return 2;
    }

    /// <summary>memory.atomic.notify: wakes up to <paramref name="count"/> waiters at the address; returns how many.</summary>
    public int Notify(ulong address, uint count)
    {
        int woken = 0;
        lock (_byAddress)
        {
            if (!_byAddress.TryGetValue(address, out var queue)) return 0;
            while (woken < count && queue.TryDequeue(out var waiter))
            {
                lock (waiter)
                {
                    if (waiter.Notified) continue; // timed out and is leaving
                    waiter.Notified = true;
                    Monitor.Pulse(waiter);
                }
                woken++;
            }
            if (queue.Count == 0) _byAddress.Remove(address);
        }
        return woken;
    }

    private static long ToTicks(long nanoseconds)
    {
        // Stopwatch ticks, saturating: a timeout of centuries is "forever" in practice.
        double ticks = nanoseconds * (Stopwatch.Frequency / 1e9);
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)ticks;
    }
}
