using Weft.Syntax;
using Xunit.Abstractions;

namespace Weft.Tests.Robustness;

/// <summary>
/// Stores defend themselves against API misuse: entities of another store are refused where they would enter a
/// store, a second thread calling into a running store gets a <see cref="StoreInUseException"/>, and
/// <see cref="Store.Dispose"/> during a call never unmaps memory under running code.
/// </summary>
[Collection(ThreadHeavyCollection.Name)]
public sealed class StoreMisuseTests(ITestOutputHelper output)
{
    private const string Exporter = """
        (module
          (import "host" "pause" (func $pause))
          (memory (export "memory") 1)
          (table (export "table") 2 funcref)
          (global (export "global") (mut funcref) (ref.null func))
          (func $id (export "id") (param i32) (result i32) (local.get 0))
          (elem declare func $id)
          (func (export "takes") (param funcref) (result i32) (ref.is_null (local.get 0)))
          (func (export "own") (result funcref) (ref.func $id))
          ;; stores v, lets the host run, then reads the memory again: the memory must still be mapped
          (func (export "paused") (param $v i32) (result i32)
            (i32.store (i32.const 16) (local.get $v))
            (call $pause)
            (i32.store (i32.const 32) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
            (i32.load (i32.const 32)))
          ;; n frames of wasm recursion: traps falsely under another thread's stack limit
          (func $deep (export "deep") (param $n i32) (result i32)
            (if (result i32) (i32.eqz (local.get $n))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
          ;; n iterations of memory reads and writes
          (func (export "churn") (param $n i32) (result i32)
            (local $i i32) (local $acc i32) (local $a i32)
            (loop $l
              (local.set $a (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0xfffc)))
              (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $a))))
              (i32.store (local.get $a) (local.get $i))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc)))
        """;

    private static readonly Lazy<WasmModule> s_exporter = new(() => WasmModule.FromText(Exporter));

    private static Instance Create(Store store, Action? pause = null) =>
        new Linker().DefineFunction("host", "pause", pause ?? (() => { })).Instantiate(store, s_exporter.Value);

    private static readonly Dictionary<string, string> s_importers = new()
    {
        ["func"] = """(module (import "a" "id" (func (param i32) (result i32))))""",
        ["memory"] = """(module (import "a" "memory" (memory 1)))""",
        ["table"] = """(module (import "a" "table" (table 2 funcref)))""",
        ["global"] = """(module (import "a" "global" (global (mut funcref))))""",
    };

    private static void AssertForeign(Action action)
    {
        var e = Assert.Throws<LinkException>(action);
        Assert.Equal("entity of another store", e.Reason);
    }

    [Theory]
    [InlineData("func", "id")]
    [InlineData("memory", "memory")]
    [InlineData("table", "table")]
    [InlineData("global", "global")]
    public void ImportingAnEntityOfAnotherStoreIsALinkError(string kind, string export)
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var a = Create(storeA);
        var importer = WasmModule.FromText(s_importers[kind]);
        var linker = new Linker().Define("a", export, a.GetExport(export)!);

        AssertForeign(() => linker.Instantiate(storeB, importer));
        Assert.Equal(0, storeB.InstanceCount);
        // The same definition links in its own store.
        Assert.NotNull(linker.Instantiate(storeA, importer));
    }

    private const string CallsWhatTheHostGives = """
        (module
          (type $deep (func (param i32) (result i32)))
          (import "host" "give" (func $give (result funcref)))
          (func (export "run") (param i32) (result i32)
            (call_ref $deep (local.get 0) (ref.cast (ref $deep) (call $give)))))
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AHostFunctionReturningAFunctionOfAnotherStoreTraps(bool typed)
    {
        // Called from here, the other store's function would run under that store's stack guard, limits and
        // thread ownership: refused at the boundary.
        using var other = new Store();
        var foreign = (Function)Create(other).Exports["deep"];
        using var store = new Store();
        Linker Giving(Function f)
        {
            var linker = new Linker();
            if (typed) linker.DefineFunction("host", "give", () => f);
            else linker.DefineFunction("host", "give", [], [ValType.FuncRef], (_, results) => results[0] = WasmValue.FromReference(f));
            return linker;
        }
        var run = Giving(foreign).Instantiate(store, WasmModule.FromText(CallsWhatTheHostGives)).GetFunction<int, int>("run")!;
        var e = Assert.Throws<TrapException>(() => run(1000));
        Assert.Equal(TrapKind.HostError, e.Kind);
        Assert.Contains("another store", e.Message, StringComparison.Ordinal);

        // A function of the calling store is fine, and the store stays usable.
        var own = (Function)Create(store).Exports["deep"];
        Assert.Equal(1000, Giving(own).Instantiate(store, WasmModule.FromText(CallsWhatTheHostGives)).GetFunction<int, int>("run")!(1000));
    }

    [Fact]
    public void DefineInstanceFromAnotherStoreIsALinkError()
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var a = Create(storeA);
        var b = Create(storeB);
        var linker = new Linker().DefineInstance("a", a);

        AssertForeign(() => linker.DefineInstance("b", b));
        AssertForeign(() => linker.Define("b", "memory", b.GetMemory("memory")!));
        Assert.Null(linker.Get("b", "id"));
        // What the linker holds links in store A, and not in B.
        var importer = WasmModule.FromText(s_importers["func"]);
        Assert.NotNull(linker.Instantiate(storeA, importer));
        AssertForeign(() => linker.Instantiate(storeB, importer));
        // Host functions belong to no store: the linker takes them whatever store it serves.
        linker.Define("env", "f", (Func<int, int>)(x => x));
    }

    [Fact]
    public void ASharedMemoryOfAnotherStoresInstanceMayBeRegisteredAndImported()
    {
        // Shared memories belong to no one store (each importing store owns them), so an instance exporting only one
        // registers in a linker serving another store, and both stores see the same bytes.
        using var storeA = new Store();
        using var storeB = new Store();
        var owner = new Linker().Instantiate(storeA, WasmModule.FromText("""(module (memory (export "shared") 1 1 shared))"""));
        var linker = new Linker().DefineInstance("mem", owner);
        var user = linker.Instantiate(storeB, WasmModule.FromText("""
            (module (memory (import "mem" "shared") 1 1 shared)
              (func (export "store") (i32.store8 (i32.const 7) (i32.const 42))))
            """));
        user.GetAction("store")!();
        Assert.Equal(42, owner.GetMemory("shared")!.Span[7]);
        // Once the linker serves store B (it holds B's function), an instance of A exporting a function as well as a
        // shared memory is refused, before any of its exports is defined.
        linker.DefineInstance("user", user);
        var mixed = new Linker().Instantiate(storeA, WasmModule.FromText(
            """(module (memory (export "shared") 1 1 shared) (func (export "f")))"""));
        AssertForeign(() => linker.DefineInstance("mixed", mixed));
        Assert.Null(linker.Get("mixed", "shared"));
    }

    [Fact]
    public void TableSetAndGrowWithAFunctionOfAnotherStoreAreLinkErrors()
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var foreign = Create(storeA).GetFunction("id")!;
        var b = Create(storeB);
        var table = b.GetTable("table")!;

        AssertForeign(() => table.Set(0, foreign));
        AssertForeign(() => table.Grow(1, foreign));
        Assert.Equal(2UL, table.Size);
        Assert.Null(table.Get(0));
        AssertForeign(() => new Table(storeB, table.Type, foreign));
        // Its own store's functions go in.
        table.Set(0, b.GetFunction("id"));
        Assert.Equal(2L, table.Grow(1, b.GetFunction("id")));
    }

    [Fact]
    public void GlobalValueWithAFunctionOfAnotherStoreIsALinkError()
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var foreign = Create(storeA).GetFunction("id")!;
        var b = Create(storeB);
        var global = b.GetGlobal("global")!;

        AssertForeign(() => global.Value = WasmValue.FromReference(foreign));
        Assert.Null(global.Value.AsReference());
        AssertForeign(() => new Global(storeB, global.Type, WasmValue.FromReference(foreign)));
        global.Value = WasmValue.FromReference(b.GetFunction("id"));
        Assert.Same(b.GetFunction("id"), global.Value.AsReference());
    }

    [Fact]
    public void ArgumentsWithAFunctionOfAnotherStoreAreLinkErrors()
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var foreign = Create(storeA).GetFunction("id")!;
        var b = Create(storeB);

        AssertForeign(() => b.GetFunction<Function?, int>("takes")!(foreign));
        AssertForeign(() => b.GetFunction("takes")!.Invoke(WasmValue.FromReference(foreign)));
        Assert.Equal(0, b.GetFunction<Function?, int>("takes")!(b.GetFunction<Function>("own")!()));
        Assert.Equal(1, b.GetFunction<Function?, int>("takes")!(null));
    }

    [Fact]
    public void HostFunctionsLinkIntoEveryStore()
    {
        using var storeA = new Store();
        using var storeB = new Store();
        var linker = new Linker().DefineFunction("host", "pause", () => { });
        Assert.Equal(3, linker.Instantiate(storeA, s_exporter.Value).GetFunction<int, int>("id")!(3));
        Assert.Equal(4, linker.Instantiate(storeB, s_exporter.Value).GetFunction<int, int>("id")!(4));
    }

    /// <summary>A store whose "paused" call waits in its host function until released.</summary>
    private sealed class Paused : IDisposable
    {
        public readonly ManualResetEventSlim Inside = new();
        public readonly ManualResetEventSlim Release = new();
        public readonly Store Store = new();
        public readonly Instance Instance;

        public Paused()
        {
            Instance = Create(Store, () =>
            {
                Inside.Set();
                Assert.True(Release.Wait(TimeSpan.FromMinutes(2)));
            });
        }

        /// <summary>Starts paused(41) on a new thread; the task ends with its result (42).</summary>
        public Task<int> StartCall()
        {
            var done = new TaskCompletionSource<int>();
            var thread = new Thread(() =>
            {
                try
                {
                    done.SetResult(Instance.GetFunction<int, int>("paused")!(41));
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            thread.Start();
            Assert.True(Inside.Wait(TimeSpan.FromMinutes(2)));
            return done.Task;
        }

        public void Dispose()
        {
            Release.Set();
            Store.Dispose();
        }
    }

    private static Exception OnOtherThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure ?? throw new Xunit.Sdk.XunitException("the call was not refused");
    }

    [Fact]
    public async Task CallFromAnotherThreadWhileACallRunsIsRefused()
    {
        using var p = new Paused();
        var call = p.StartCall();

        Assert.IsType<StoreInUseException>(OnOtherThread(() => p.Instance.GetFunction<int, int>("id")!(5)));
        Assert.IsType<StoreInUseException>(OnOtherThread(() => p.Instance.GetFunction("deep")!.Invoke(WasmValue.FromInt32(10))));
        Assert.IsType<StoreInUseException>(OnOtherThread(() => Create(p.Store)));
        Assert.Equal(1, p.Store.InstanceCount);

        p.Release.Set();
        Assert.Equal(42, await call);
        // Once the call returned, the store may move to another thread (this one), with a correct stack guard.
        Assert.Equal(5, p.Instance.GetFunction<int, int>("id")!(5));
        Assert.Equal(2_000, p.Instance.GetFunction<int, int>("deep")!(2_000));
    }

    [Fact]
    public void TwoThreadsHammeringOneStoreGetResultsOrStoreInUse()
    {
        using var store = new Store();
        var instance = Create(store);
        var deep = instance.GetFunction<int, int>("deep")!;
        var churn = instance.GetFunction("churn")!;
        const int iterations = 20_000;
        int refused = 0, completed = 0;
        var failures = new List<Exception>();

        void Hammer(bool untyped)
        {
            for (int i = 0; i < iterations; i++)
            {
                try
                {
                    // 300 frames: a wrong stack limit (the other thread's) makes this trap falsely, or run unguarded.
                    if (untyped) churn.Invoke(WasmValue.FromInt32(64));
                    else Assert.Equal(300, deep(300));
                    Interlocked.Increment(ref completed);
                }
                catch (StoreInUseException)
                {
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e);
                }
            }
        }

        var threads = new[] { new Thread(() => Hammer(false)), new Thread(() => Hammer(true)), new Thread(() => Hammer(false)) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        output.WriteLine($"{completed} calls completed, {refused} refused with StoreInUseException");

        Assert.Empty(failures);
        Assert.Equal(threads.Length * iterations, completed + refused);
        Assert.True(completed > 0);
        Assert.Equal(1_000, deep(1_000));
    }

    [Fact]
    public async Task DisposeFromAnotherThreadWaitsForTheRunningCall()
    {
        using var p = new Paused();
        var memory = p.Instance.GetMemory("memory")!;
        var call = p.StartCall();

        p.Store.Dispose();
        // Deferred: the memory is still there for the wasm code still running, but no new call may start.
        Assert.Equal((ulong)Memory.DefaultPageSize, memory.ByteLength);
        Assert.IsType<ObjectDisposedException>(OnOtherThread(() => p.Instance.GetFunction<int, int>("id")!(1)));

        p.Release.Set();
        Assert.Equal(42, await call);
        // The outermost call returned: now the memory is released.
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Throws<ObjectDisposedException>(() => p.Instance.GetFunction<int, int>("id")!(1));
    }

    [Fact]
    public void DisposeFromInsideAHostFunctionWaitsForTheOutermostCall()
    {
        var store = new Store();
        Instance? instance = null;
        Exception? nested = null;
        instance = Create(store, () =>
        {
            store.Dispose();
            try
            {
                instance!.GetFunction<int, int>("id")!(1);
            }
            catch (Exception e)
            {
                nested = e;
            }
        });
        var memory = instance.GetMemory("memory")!;

        // paused() writes memory, the host disposes the store, and wasm goes on to use the memory.
        Assert.Equal(42, instance.GetFunction<int, int>("paused")!(41));
        Assert.IsType<ObjectDisposedException>(nested);
        Assert.Equal(0UL, memory.ByteLength);
        Assert.Throws<ObjectDisposedException>(() => instance.GetFunction<int, int>("paused")!(41));
        store.Dispose();
    }

    [Fact]
    public void DisposeRacingWithCallsNeverCrashes()
    {
        var random = new Random(12);
        int completed = 0, refused = 0;
        for (int round = 0; round < 150; round++)
        {
            var store = new Store();
            var churn = Create(store).GetFunction<int, int>("churn")!;
            Exception? failure = null;
            using var started = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                started.Set();
                try
                {
                    while (true)
                    {
                        churn(20_000);
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            thread.Start();
            started.Wait();
            Thread.SpinWait(random.Next(20_000));
            store.Dispose();
            thread.Join();
            Assert.Null(failure);
        }
        output.WriteLine($"{completed} calls completed, {refused} refused after dispose");
        Assert.Equal(150, refused);
    }

    [Fact]
    public void StoreInUseIsAWeftException()
    {
        var e = new StoreInUseException();
        Assert.IsAssignableFrom<WeftException>(e);
        Assert.Equal("store in use by another thread", e.Reason);
    }
}
