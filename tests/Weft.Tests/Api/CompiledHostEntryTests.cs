using System.Runtime.Intrinsics;
using Weft.Runtime;

namespace Weft.Tests.Api;

/// <summary>
/// Compiled host entries (Compilation/HostEntries.cs, Runtime/TypedCallEntry.cs): a typed delegate of an exported
/// function with a numeric signature lands on a generated <c>hostentry_N</c> method that makes the store entry
/// itself. Which path a delegate took is read from its method (the entry, or a typed caller's Invoke) and from the
/// thread's slow-entry probe (<see cref="TypedCallEntry.SlowEntries"/>). The entry protocol's cases under load
/// (threads, traps, recursion, fuel) are TypedCallEntryTests, which now run through these entries too.
/// </summary>
public sealed class CompiledHostEntryTests
{
    private const string Module = """
        (module $m
          (import "env" "host" (func $host (param i32) (result i32)))
          (func (export "nop"))
          (func (export "add4") (param i32 i32 i32 i32) (result i32)
            (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))
          (func (export "mixed") (param i64 f32 f64) (result f64)
            (f64.add (f64.add (f64.convert_i64_s (local.get 0)) (f64.promote_f32 (local.get 1))) (local.get 2)))
          (func (export "pair") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
          (func (export "vec") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func $inner (param i32) (result i32) (if (local.get 0) (then unreachable)) (call $host (local.get 0)))
          (func $outer (export "outer") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (i32.const 1)))
          (func (export "viaHost") (param i32) (result i32) (call $host (local.get 0)))
          (func $recurse (export "recurse") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (i32.add (call $recurse (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
          (func (export "refs") (param externref) (result externref) (local.get 0)))
        """;

    private static (Store Store, Instance Instance) Create(Func<int, int> host, Store? store = null)
    {
        store ??= new Store();
        var instance = new Linker().DefineFunction("env", "host", host).Instantiate(store, WasmModule.FromText(Module));
        return (store, instance);
    }

    private static bool OnHostEntry(Delegate d) => d.Method.Name.StartsWith("hostentry_", StringComparison.Ordinal);

    [Fact]
    public void NumericExportsGetCompiledEntriesAndReferenceSignaturesTypedCallers()
    {
        var (store, instance) = Create(x => x);
        using (store)
        {
            Assert.Equal(TypedCallEntry.Enabled, OnHostEntry(instance.GetAction("nop")!));
            Assert.Equal(TypedCallEntry.Enabled, OnHostEntry(instance.GetFunction<int, int, int, int, int>("add4")!));
            // Functions that call or may trap get entries too (calling them so that their frames stay in
            // backtraces: HostEntryBacktraceTests), unless WEFT_HOST_ENTRY_ALL=0.
            Assert.Equal(TypedCallEntry.Enabled && TypedCallEntry.AllExports, OnHostEntry(instance.GetFunction<int, int, int>("div")!));
            Assert.Equal(TypedCallEntry.Enabled && TypedCallEntry.AllExports, OnHostEntry(instance.GetFunction<int, int>("outer")!));
            // externref parameters need the typed callers' per-argument checks: no compiled entry.
            var refs = instance.GetFunction<object?, object?>("refs")!;
            Assert.False(OnHostEntry(refs));
            var o = new object();
            Assert.Same(o, refs(o));
        }
    }

    [Fact]
    public void EveryNumericKindAndSeveralResultsPassThrough()
    {
        var (store, instance) = Create(x => x);
        using (store)
        {
            Assert.Equal(10, instance.GetFunction<int, int, int, int, int>("add4")!(1, 2, 3, 4));
            Assert.Equal(int.MinValue, instance.GetFunction<int, int, int, int, int>("add4")!(int.MaxValue, 1, 0, 0));
            Assert.Equal(-3.0 + 1.5 + 0.25, instance.GetFunction<long, float, double, double>("mixed")!(-3, 1.5f, 0.25));
            Assert.Equal((1L << 40, 7), instance.GetFunction<int, long, (long, int)>("pair")!(7, 1L << 40));
            var v = Vector128.Create(1, 2, -3, int.MaxValue).AsByte();
            Assert.Equal(Vector128.Create(2, 4, -6, -2).AsByte(), instance.GetFunction<Vector128<byte>, Vector128<byte>>("vec")!(v));
        }
    }

    [Fact]
    public void AWrongDelegateTypeIsStillRefusedBySignature()
    {
        var (store, instance) = Create(x => x);
        using (store)
        {
            Assert.Throws<ArgumentException>(() => instance.GetFunction<long, int, int, int, int>("add4"));
            Assert.Throws<ArgumentException>(() => instance.GetFunction<int, long, (int, long)>("pair"));
        }
    }

    [Fact]
    public void OnlyTheFirstCallTakesTheSlowPath()
    {
        var (store, instance) = Create(x => x);
        using (store)
        {
            var add4 = instance.GetFunction<int, int, int, int, int>("add4")!;
            if (!OnHostEntry(add4)) return; // WEFT_HOST_ENTRY=0: the typed callers, tested elsewhere
            long before = TypedCallEntry.SlowEntries;
            Assert.Equal(4, add4(1, 1, 1, 1));
            Assert.Equal(1, TypedCallEntry.SlowEntries - before); // the store's first entry on this thread
            for (int i = 0; i < 1_000; i++) Assert.Equal(i + 3, add4(i, 1, 1, 1));
            Assert.Equal(1, TypedCallEntry.SlowEntries - before);
        }
    }

    [Fact]
    public void ANestedEntryThroughAHostFunctionTakesTheSlowPathAndLeavesTheOuterCallActive()
    {
        Instance? instance = null;
        Func<int, int, int, int, int>? add4 = null;
        bool activeInside = false, activeAfterNested = false;
        long nestedSlow = 0;
        var (store, created) = Create(x =>
        {
            activeInside = instance!.Store.CallActive;
            long before = TypedCallEntry.SlowEntries;
            int r = add4!(x, 1, 1, 1);
            nestedSlow = TypedCallEntry.SlowEntries - before;
            activeAfterNested = instance.Store.CallActive;
            return r;
        });
        instance = created;
        using (store)
        {
            add4 = instance.GetFunction<int, int, int, int, int>("add4")!;
            var viaHost = instance.GetFunction<int, int>("viaHost")!;
            Assert.Equal(13, viaHost(10));
            Assert.Equal(13, viaHost(10));
            Assert.True(activeInside);
            Assert.True(activeAfterNested);
            if (OnHostEntry(add4)) Assert.Equal(1, nestedSlow);
            Assert.False(store.CallActive);
        }
    }

    [Fact]
    public void TrapsKeepTheirKindAndBacktraceAndLeaveTheStoreUsable()
    {
        var (store, instance) = Create(x => x);
        using (store)
        {
            var div = instance.GetFunction<int, int, int>("div")!;
            var outer = instance.GetFunction<int, int>("outer")!;
            for (int round = 0; round < 3; round++)
            {
                Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => div(1, 0)).Kind);
                Assert.Equal(TrapKind.IntegerOverflow, Assert.Throws<TrapException>(() => div(int.MinValue, -1)).Kind);
                var trap = Assert.Throws<TrapException>(() => outer(1));
                Assert.Equal(TrapKind.Unreachable, trap.Kind);
                Assert.Equal(["inner", "outer"], trap.Frames.Select(f => f.FunctionName));
                Assert.False(store.CallActive);
                Assert.Equal(-3, div(7, -2));
                Assert.Equal(1, outer(0));
            }
            // No call was left active: another thread may take the store.
            Assert.Equal(5, Robustness.TestThreads.Run(() => div(10, 2), 0));
        }
    }

    [Fact]
    public void RecursionTooDeepTrapsAndAHostExceptionIsAHostError()
    {
        var (store, instance) = Create(x => x < 0 ? throw new InvalidOperationException("host failed") : x);
        using (store)
        {
            var recurse = instance.GetFunction<int, int>("recurse")!;
            var viaHost = instance.GetFunction<int, int>("viaHost")!;
            Robustness.TestThreads.Run(() =>
            {
                Assert.Equal(100, recurse(100));
                Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => recurse(50_000_000)).Kind);
                Assert.False(store.CallActive);
                Assert.Equal(10, recurse(10));
                var failed = Assert.Throws<TrapException>(() => viaHost(-1));
                Assert.Equal(TrapKind.HostError, failed.Kind);
                Assert.False(store.CallActive);
                Assert.Equal(3, viaHost(3));
                return 0;
            }, 1 << 20);
        }
    }

    [Fact]
    public void AnotherThreadIsRefusedWithWeftsExceptionWhileACallRuns()
    {
        Exception? refused = null;
        Func<int, int, int, int, int>? add4 = null;
        var (store, instance) = Create(x =>
        {
            try
            {
                Robustness.TestThreads.Run(() => add4!(1, 2, 3, 4), 0);
            }
            catch (Exception e)
            {
                refused = e;
            }
            return x;
        });
        using (store)
        {
            add4 = instance.GetFunction<int, int, int, int, int>("add4")!;
            Assert.Equal(10, add4(1, 2, 3, 4));
            Assert.Equal(5, instance.GetFunction<int, int>("viaHost")!(5));
            Assert.IsType<StoreInUseException>(refused);
            Assert.Equal(10, Robustness.TestThreads.Run(() => add4(1, 2, 3, 4), 0));
        }
    }

    [Fact]
    public void ADisposeDuringTheCallIsDoneWhenItReturnsAndTheResultSurvivesIt()
    {
        Store? owner = null;
        var (store, instance) = Create(x =>
        {
            owner!.Dispose(); // deferred: a call is active
            return x * 2;
        });
        owner = store;
        var viaHost = instance.GetFunction<int, int>("viaHost")!;
        var add4 = instance.GetFunction<int, int, int, int, int>("add4")!;
        Assert.Equal(10, add4(1, 2, 3, 4));
        // The normal path's leave runs the deferred dispose (TypedCallEntry.LeaveWith) and still returns the result.
        Assert.Equal(42, viaHost(21));
        Assert.Throws<ObjectDisposedException>(() => add4(1, 2, 3, 4));
        Assert.Throws<ObjectDisposedException>(() => instance.GetAction("nop")!());
    }
}
