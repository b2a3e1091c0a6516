using Weft.Syntax;

namespace Weft.Tests.Threads;

/// <summary>
/// A shared memory made in one store and a worker module that imports it, instantiated in a store of its own on
/// each thread (stores are single-threaded; only the shared memory crosses threads).
/// </summary>
internal sealed class SharedMemoryFixture : IDisposable
{
    public const string Worker = """
        (module
          (memory (import "env" "mem") 1 4 shared)
          (func (export "wait32") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "wait64") (param i32 i64 i64) (result i32) (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
          (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
          (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
          (func (export "add_many") (param $addr i32) (param $n i32) (result i32)
            (local $i i32)
            (loop $next
              (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))
              (drop (i64.atomic.rmw8.add_u (i32.const 64) (i64.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $i))
          (func (export "cas_add_many") (param $addr i32) (param $n i32) (result i32)
            (local $i i32) (local $old i32)
            (loop $next
              (loop $retry
                (local.set $old (i32.atomic.load16_u (local.get $addr)))
                (br_if $retry (i32.ne (local.get $old)
                  (i32.atomic.rmw16.cmpxchg_u (local.get $addr) (local.get $old) (i32.add (local.get $old) (i32.const 1))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $i))
          (func (export "race") (param $seed i32) (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $next
              ;; plain, unaligned, overlapping stores and loads over the first page, and a grow now and then
              (i64.store offset=3 (i32.and (i32.mul (local.get $i) (local.get $seed)) (i32.const 0xfff0)) (i64.extend_i32_u (local.get $i)))
              (local.set $sum (i32.add (local.get $sum)
                (i32.load offset=1 (i32.and (i32.mul (local.get $i) (i32.const 7919)) (i32.const 0xfff8)))))
              (if (i32.eqz (i32.and (local.get $i) (i32.const 1023))) (then (drop (memory.grow (i32.const 1)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
            (memory.size))
        )
        """;

    private readonly Store _owner = new();
    private readonly WasmModule _module = WasmModule.FromText(Worker);

    public SharedMemoryFixture()
    {
        Memory = new Memory(_owner, new MemoryType(new Limits(AddressType.I32, 1, 4, Shared: true)));
    }

    public Memory Memory { get; }

    /// <summary>A new store and instance of the worker module over the shared memory (the caller disposes the store).</summary>
    public (Store Store, Instance Instance) NewWorker() => NewWorker(new Store());

    /// <summary>An instance of the worker module in <paramref name="store"/>, over the shared memory.</summary>
    public (Store Store, Instance Instance) NewWorker(Store store)
    {
        var linker = new Linker().Define("env", "mem", Memory);
        return (store, linker.Instantiate(store, _module));
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> threads, each with its own worker, and returns their results.</summary>
    public T[] RunThreads<T>(int count, Func<int, Instance, T> body)
    {
        var results = new T[count];
        var failures = new Exception?[count];
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            var (store, instance) = NewWorker();
            try
            {
                results[i] = body(i, instance);
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
            finally
            {
                store.Dispose();
            }
        }, 16 * 1024 * 1024)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a worker thread hung"));
        foreach (var failure in failures) if (failure is not null) throw new AggregateException(failure);
        return results;
    }

    /// <summary>Polls until <paramref name="count"/> threads wait at an address (generous bound: the machine is loaded).</summary>
    public void AwaitWaiters(ulong address, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Memory.Waiters!.CountAt(address) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {Memory.Waiters.CountAt(address)} of {count} threads started waiting");
            Thread.Sleep(5);
        }
    }

    public void Dispose() => _owner.Dispose();
}
