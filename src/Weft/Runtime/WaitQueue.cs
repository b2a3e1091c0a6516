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
    /// How long an interruptible waiter sleeps at most before it looks at its store's interrupt flag again. A wait
    /// cannot be told apart from a hang, so an untrusted module could otherwise block its thread forever past any
    /// deadline; 10 ms keeps the wake-up within tens of milliseconds of Interrupt() while a sleeping thread wakes
    /// only 100 times a second (a few microseconds of work each). Waits in stores that are not interruptible sleep
    /// undisturbed.
    /// </summary>
    public static readonly TimeSpan InterruptSlice = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// memory.atomic.wait: 1 ("not-equal") when the value at <paramref name="location"/> differs from
    /// <paramref name="expected"/>, else waits for a notify (0, "ok") or the timeout in nanoseconds (2, "timed-out";
    /// negative waits forever). <paramref name="meter"/> is the executing store when its code is metered (null
    /// otherwise): an interruptible store's pending or arriving interrupt ends the wait with
    /// <see cref="TrapKind.Interrupted"/>. A wait costs no fuel of its own (fuel counts work, and a sleeping thread
    /// does none; the call and loop around it pay as usual), so only an interrupt bounds an infinite wait.
    /// </summary>
    public int Wait(ulong address, byte* location, long expected, bool wide, long timeoutNanoseconds, Store? meter = null)
    {
        bool interruptible = meter is { Interruptible: true };
        if (interruptible) ExecutionChecks.CheckInterrupt(meter!);
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
        bool interrupted = false;
        lock (waiter)
        {
            while (!waiter.Notified)
            {
                if (interruptible && meter!.IsInterrupted)
                {
                    interrupted = true;
                    break;
                }
                if (deadline == long.MaxValue && !interruptible)
                {
                    Monitor.Wait(waiter);
                    continue;
                }
                long remaining = deadline == long.MaxValue ? long.MaxValue : deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0) break;
                var sleep = remaining == long.MaxValue
                    ? InterruptSlice
                    : SleepFor(remaining);
                if (interruptible && sleep > InterruptSlice) sleep = InterruptSlice;
                Monitor.Wait(waiter, sleep);
            }
            if (waiter.Notified) return 0;
        }
        // Timed out or interrupted: leave the queue, unless a notify took this waiter in the meantime (then it counts
        // as woken, and a pending interrupt traps at the next function entry or loop head instead).
        if (NotifiedBeforeLeaving(address, waiter)) return 0;
        if (interrupted) throw new TrapException(TrapKind.Interrupted);
        return 2;
    }

    // Removes a waiter that stops waiting on its own (timeout, interrupt); true, leaving it queued, when a notify took it first.
    private bool NotifiedBeforeLeaving(ulong address, Waiter waiter)
    {
        lock (_byAddress)
        {
            lock (waiter)
            {
                if (waiter.Notified) return true;
                waiter.Notified = true; // so that no later notify counts it
            }
            if (_byAddress.TryGetValue(address, out var queue))
            {
                var rest = queue.Where(w => !ReferenceEquals(w, waiter)).ToArray();
                if (rest.Length == 0) _byAddress.Remove(address);
                else _byAddress[address] = new Queue<Waiter>(rest);
            }
        }
        return false;
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

    // Stopwatch ticks to a Monitor.Wait timeout: rounded up (so a wait never returns early), in doubles (ticks times
    // TimeSpan.TicksPerSecond overflows a long past ~15 minutes), capped at Monitor.Wait's largest, ~24.8 days.
    private static TimeSpan SleepFor(long stopwatchTicks) =>
        TimeSpan.FromMilliseconds(Math.Min(Math.Ceiling(stopwatchTicks * 1000.0 / Stopwatch.Frequency), int.MaxValue - 1));

    private static long ToTicks(long nanoseconds)
    {
        // Stopwatch ticks, saturating: a timeout of centuries is "forever" in practice.
        double ticks = nanoseconds * (Stopwatch.Frequency / 1e9);
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)ticks;
    }
}
