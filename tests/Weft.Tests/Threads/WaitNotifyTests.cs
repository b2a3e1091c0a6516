using System.Diagnostics;

namespace Weft.Tests.Threads;

/// <summary>memory.atomic.wait32/64 and notify across threads, each thread in its own store.</summary>
[Collection(ThreadsCollection.Name)]
public sealed class WaitNotifyTests : IDisposable
{
    private readonly SharedMemoryFixture _shared = new();

    public void Dispose() => _shared.Dispose();

    [Fact]
    public void NotifyWakesExactlyTheCountItWasGivenThenTheRest()
    {
        const int waiters = 8;
        int[]? results = null;
        var running = new Thread(() => results = _shared.RunThreads(waiters, (_, instance) =>
            instance.GetFunction<int, int, long, int>("wait32")!(128, 0, -1)));
        running.Start();
        _shared.AwaitWaiters(128, waiters);

        var (store, main) = _shared.NewWorker();
        using (store)
        {
            var notify = main.GetFunction<int, int, int>("notify")!;
            Assert.Equal(0, notify(132, 100)); // another address: nobody waits there
            Assert.Equal(3, notify(128, 3));
            _shared.AwaitWaiters(128, 0 + waiters - 3);
            Assert.Equal(waiters - 3, _shared.Memory.Waiters!.CountAt(128));
            Assert.Equal(waiters - 3, notify(128, -1)); // a count of 2^32-1 wakes everyone
            Assert.Equal(0, notify(128, -1));
        }
        Assert.True(running.Join(TimeSpan.FromMinutes(2)));
        Assert.All(results!, r => Assert.Equal(0, r)); // every waiter reports "ok" (woken)
    }

    [Fact]
    public void WaitReturnsNotEqualAtOnceAndTimesOutAfterItsTimeout()
    {
        var (store, instance) = _shared.NewWorker();
        using (store)
        {
            var wait32 = instance.GetFunction<int, int, long, int>("wait32")!;
            var wait64 = instance.GetFunction<int, long, long, int>("wait64")!;
            _shared.Memory.WriteInt64(256, 0x1_0000_0005);
            Assert.Equal(1, wait32(256, 4, -1)); // not equal: never blocks
            Assert.Equal(1, wait64(256, 5, -1));
            Assert.Equal(2, wait32(256, 5, 0));
            var watch = Stopwatch.StartNew();
            Assert.Equal(2, wait64(256, 0x1_0000_0005, 20_000_000)); // 20 ms
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(19), $"timed out after {watch.Elapsed.TotalMilliseconds} ms");
            Assert.Equal(0, _shared.Memory.Waiters!.CountAt(256)); // a timed-out waiter leaves the queue
        }
    }

    [Fact]
    public void TimedOutWaitersAreNotCountedByALaterNotify()
    {
        var results = _shared.RunThreads(6, (i, instance) =>
            instance.GetFunction<int, int, long, int>("wait32")!(512, 0, 1_000_000L * (i + 1)));
        Assert.All(results, r => Assert.Equal(2, r));
        var (store, main) = _shared.NewWorker();
        using (store) Assert.Equal(0, main.GetFunction<int, int, int>("notify")!(512, 10));
    }

    [Fact]
    public void WaitOnAnUnsharedMemoryTrapsAndUnalignedWaitTraps()
    {
        using var store = new Store();
        var instance = new Linker().Instantiate(store, WasmModule.FromText("""
            (module (memory 1 1)
              (func (export "wait") (param i32) (result i32) (memory.atomic.wait32 (local.get 0) (i32.const 0) (i64.const 0)))
              (func (export "notify") (result i32) (memory.atomic.notify (i32.const 0) (i32.const 1))))
            """));
        var wait = instance.GetFunction<int, int>("wait")!;
        Assert.Equal(TrapKind.ExpectedSharedMemory, Assert.Throws<TrapException>(() => wait(0)).Kind);
        Assert.Equal(TrapKind.UnalignedAtomic, Assert.Throws<TrapException>(() => wait(2)).Kind);
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, Assert.Throws<TrapException>(() => wait(65536)).Kind);
        Assert.Equal(0, instance.GetFunction<int>("notify")!());
    }
}
