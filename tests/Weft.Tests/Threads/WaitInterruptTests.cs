using System.Diagnostics;

namespace Weft.Tests.Threads;

/// <summary>
/// memory.atomic.wait in a store with fuel or interrupts: an interrupt (deadline, Interrupt(), cancellation) ends even
/// an infinite wait with TrapKind.Interrupted, a notify still wakes it normally, and a wait costs no fuel of its own.
/// </summary>
[Collection(ThreadsCollection.Name)]
public sealed class WaitInterruptTests : IDisposable
{
    // Generous: the wake-up takes about one WaitQueue.InterruptSlice (10 ms), but the machine is loaded.
    private static readonly TimeSpan WakeBound = TimeSpan.FromSeconds(5);

    private readonly SharedMemoryFixture _shared = new();

    public void Dispose() => _shared.Dispose();

    [Fact]
    public void ADeadlineEndsAnInfiniteWaitAndTheStoreStaysUsable()
    {
        var (store, instance) = _shared.NewWorker(new Store { Interruptible = true });
        using (store)
        {
            var wait32 = instance.GetFunction<int, int, long, int>("wait32")!;
            store.SetDeadline(TimeSpan.FromMilliseconds(100));
            var watch = Stopwatch.StartNew();
            var trap = Assert.Throws<TrapException>(() => wait32(1024, 0, -1));
            watch.Stop();
            Assert.Equal(TrapKind.Interrupted, trap.Kind);
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(90), WakeBound);
            Assert.Equal(0, _shared.Memory.Waiters!.CountAt(1024)); // an interrupted waiter leaves the queue

            store.ClearDeadline();
            Assert.Equal(1, wait32(1024, 7, -1));
            Assert.Equal(2, wait32(1024, 0, 1_000_000));
            Assert.Equal(0, _shared.Memory.Waiters.CountAt(1024));
        }
    }

    [Fact]
    public void InterruptFromAnotherThreadWakesAWaiterPromptly()
    {
        var (store, instance) = _shared.NewWorker(new Store { Interruptible = true });
        using (store)
        {
            Exception? failure = null;
            var waiting = new Thread(() => failure = Record.Exception(() =>
                instance.GetFunction<int, long, long, int>("wait64")!(2048, 0, -1)), 16 * 1024 * 1024);
            waiting.Start();
            _shared.AwaitWaiters(2048, 1);
            var watch = Stopwatch.StartNew();
            store.Interrupt();
            Assert.True(waiting.Join(WakeBound), "the interrupt did not wake the waiter");
            watch.Stop();
            Assert.Equal(TrapKind.Interrupted, Assert.IsType<TrapException>(failure).Kind);
            Assert.True(watch.Elapsed < WakeBound, $"woken after {watch.Elapsed.TotalMilliseconds} ms");
            Assert.Equal(0, _shared.Memory.Waiters!.CountAt(2048));
        }
    }

    [Fact]
    public void ACancelledTokenEndsAWaitWithATimeout()
    {
        using var cancel = new CancellationTokenSource();
        var (store, instance) = _shared.NewWorker(new Store { Interruptible = true, ConsumeFuel = true, Fuel = 1000 });
        using (store)
        {
            store.SetDeadline(cancel.Token);
            cancel.CancelAfter(TimeSpan.FromMilliseconds(50));
            var watch = Stopwatch.StartNew();
            // An hour's timeout: only the cancellation can end it within the bound.
            var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int, long, int>("wait32")!(1032, 0, 3_600_000_000_000));
            Assert.Equal(TrapKind.Interrupted, trap.Kind);
            Assert.True(watch.Elapsed < WakeBound, $"woken after {watch.Elapsed.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public void ANotifyStillWakesAnInterruptibleWaiter()
    {
        var results = new int[1];
        var (store, instance) = _shared.NewWorker(new Store { Interruptible = true, ConsumeFuel = true, Fuel = 1000 });
        using (store)
        {
            store.SetDeadline(TimeSpan.FromMinutes(10));
            var waiting = new Thread(() => results[0] = instance.GetFunction<int, int, long, int>("wait32")!(4096, 0, -1), 16 * 1024 * 1024);
            waiting.Start();
            _shared.AwaitWaiters(4096, 1);
            var (notifier, main) = _shared.NewWorker();
            using (notifier) Assert.Equal(1, main.GetFunction<int, int, int>("notify")!(4096, 1));
            Assert.True(waiting.Join(WakeBound), "the notify did not wake the waiter");
            Assert.Equal(0, results[0]); // "ok": woken by the notify, not interrupted
            Assert.False(store.IsInterrupted);
        }
    }

    [Fact]
    public void ANotifyWakesAWaitWithATimeoutOfAnHourInAPlainStore()
    {
        // Timeouts past ~15 minutes once overflowed the conversion to Monitor.Wait's timeout (ArgumentOutOfRange).
        var results = new int[1];
        var (store, instance) = _shared.NewWorker();
        using (store)
        {
            var waiting = new Thread(() => results[0] = instance.GetFunction<int, int, long, int>("wait32")!(4100, 0, 3_600_000_000_000), 16 * 1024 * 1024);
            waiting.Start();
            _shared.AwaitWaiters(4100, 1);
            var (notifier, main) = _shared.NewWorker();
            using (notifier) Assert.Equal(1, main.GetFunction<int, int, int>("notify")!(4100, 1));
            Assert.True(waiting.Join(WakeBound), "the notify did not wake the waiter");
            Assert.Equal(0, results[0]);
        }
    }

    [Fact]
    public void AWaitCostsNoFuelOfItsOwn()
    {
        var (store, instance) = _shared.NewWorker(new Store { ConsumeFuel = true, Fuel = 1000 });
        using (store)
        {
            var wait32 = instance.GetFunction<int, int, long, int>("wait32")!;
            Assert.Equal(1, wait32(8192, 5, -1)); // not equal: returns at once
            long notEqualCost = 1000 - store.Fuel;
            Assert.True(notEqualCost > 0, "the call itself should cost fuel");
            store.Fuel = 1000;
            Assert.Equal(2, wait32(8192, 0, 20_000_000)); // sleeps 20 ms
            Assert.Equal(notEqualCost, 1000 - store.Fuel);
        }
    }
}
