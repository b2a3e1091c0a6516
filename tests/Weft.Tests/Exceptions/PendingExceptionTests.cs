using Weft.Compilation;
using Weft.Syntax;

namespace Weft.Tests.Exceptions;

/// <summary>
/// The pending-exception protocol (Compilation/PendingExceptions): an exception that leaves a function compiled by
/// Weft returns to its caller through the context's pending field instead of a .NET throw. Every way into and out of
/// the protocol must still behave as the spec says: direct calls several frames deep, call_indirect, call_ref,
/// return_call (also from inside a try body), imports and re-exports, host functions that throw or catch, an export
/// throwing to the host, traps near pending exceptions, in every compilation mode (eager, functions split into
/// parts, lazy, flat try lowering).
/// </summary>
public sealed class PendingExceptionTests
{
    private const string Module = """
        (module
          (type $ii2i (func (param i32 i32) (result i32)))
          (import "host" "call-back" (func $host_cb (param i32) (result i32)))
          (import "host" "raise" (func $host_raise (param i32)))
          (tag $t (export "t") (param i32))
          (tag $u (param i64 f64))
          (table $tab 2 funcref)
          (elem (table $tab) (i32.const 0) func $dive $tail)
          (elem declare func $dive)

          ;; n frames down, throws $t(v + n); every frame on the way adds 1000 to a result it must never return.
          (func $dive (export "dive") (param $n i32) (param $v i32) (result i32)
            (if (i32.eqz (local.get $n)) (then (throw $t (local.get $v))))
            (i32.add (call $dive (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $v) (i32.const 1)))
                     (i32.const 1000)))

          ;; Returns normally (sum 0..n) though it could throw: no exception may be left pending after anything.
          (func $sum (export "sum") (param $n i32) (result i32)
            (if (i32.lt_s (local.get $n) (i32.const 0)) (then (throw $t (local.get $n))))
            (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
              (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1)))))))

          (func (export "direct") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $dive (local.get $n) (i32.const 5)))))

          (func (export "legacy") (param $n i32) (result i32)
            (try (result i32)
              (do (i32.const 1) (call $dive (local.get $n) (i32.const 5)) (i32.add))
              (catch $t)
              (catch_all (i32.const -1))))

          (func (export "indirect") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h)
                (call_indirect $tab (type $ii2i) (local.get $n) (i32.const 5) (i32.const 0)))))

          (func $via_ref (param $n i32) (param $v i32) (result i32)
            (i32.add (call_ref $ii2i (local.get $n) (local.get $v) (ref.func $dive)) (i32.const 1000)))
          (func (export "ref") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $via_ref (local.get $n) (i32.const 5)))))

          (func $tail (param $n i32) (param $v i32) (result i32)
            (return_call $dive (local.get $n) (i32.add (local.get $v) (i32.const 100))))
          (func (export "tail") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $tail (local.get $n) (i32.const 5)))))
          (func (export "tail-indirect") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h)
                (call_indirect $tab (type $ii2i) (local.get $n) (i32.const 5) (i32.const 1)))))

          ;; A tail call from inside a try body: the callee's exception is not this frame's to catch.
          (func $tail_in_try (param $n i32) (param $v i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (return_call $dive (local.get $n) (local.get $v))))
            (i32.const 1000000)
            (i32.add))
          (func (export "tail-in-try") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $tail_in_try (local.get $n) (i32.const 5)))))

          ;; Caught in the middle and raised again: rethrow, throw_ref, delegate to the caller, a handler of another tag.
          (func $rethrow (param $n i32) (result i32)
            (try (result i32) (do (call $dive (local.get $n) (i32.const 5))) (catch $t (drop) (rethrow 0))))
          (func $throw_ref (param $n i32) (result i32)
            (block $h (result i32 exnref)
              (try_table (catch_ref $t $h) (drop (call $dive (local.get $n) (i32.const 5))))
              (return (i32.const -1)))
            (throw_ref))
          (func $delegate (param $n i32) (result i32)
            (try (result i32) (do (call $dive (local.get $n) (i32.const 5))) (delegate 0)))
          (func $other (param $n i32) (result i32)
            (block $h (result i64 f64)
              (try_table (result i32) (catch $u $h) (call $dive (local.get $n) (i32.const 5)))
              (return))
            (drop) (drop) (i32.const -5))
          (func (export "again") (param $which i32) (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h)
                (block $d3 (block $d2 (block $d1 (block $d0
                  (br_table $d0 $d1 $d2 $d3 (local.get $which)))
                  (return (call $rethrow (local.get $n))))
                  (return (call $throw_ref (local.get $n))))
                  (return (call $delegate (local.get $n))))
                (call $other (local.get $n)))))

          ;; Several results of every kind, defaulted on the way out.
          (func $multi (param $n i32) (result i32 i64 v128 funcref externref f64)
            (if (i32.eqz (local.get $n)) (then (throw $t (i32.const 77))))
            (call $multi (i32.sub (local.get $n) (i32.const 1))))
          (func (export "multi") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h)
                (call $multi (local.get $n))
                (drop) (drop) (drop) (drop) (drop))))

          ;; The host in the middle: it calls back into "dive" (and may catch), or throws itself under dive-like frames.
          (func (export "host-callback") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (i32.add (call $host_cb (local.get $n)) (i32.const 1000000)))))
          (func $dive_to_host (param $n i32) (result i32)
            (if (i32.lt_s (local.get $n) (i32.const 0)) (then (throw $t (i32.const -1))))
            (if (i32.eqz (local.get $n)) (then (call $host_raise (i32.const 40)) (return (i32.const 1000))))
            (i32.add (call $dive_to_host (i32.sub (local.get $n) (i32.const 1))) (i32.const 1000)))
          (func (export "host-raise") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $dive_to_host (local.get $n)))))

          ;; Traps near exceptions: after a caught one, and under a handler that must not catch it.
          (func (export "catch-then-trap") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $dive (local.get $n) (i32.const 5))))
            (unreachable))
          (func $trap_dive (param $n i32) (result i32)
            (if (i32.lt_s (local.get $n) (i32.const 0)) (then (throw $t (i32.const -1))))
            (if (i32.eqz (local.get $n)) (then (unreachable)))
            (i32.add (call $trap_dive (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
          (func (export "trap-under-handler") (param $n i32) (result i32)
            (block $h
              (try_table (catch_all $h) (drop (call $trap_dive (local.get $n)))))
            (i32.const -1)))
        """;

    // Imports "dive" from the module above, calls it inside a try, and re-exports it.
    private const string Importer = """
        (module
          (tag $t (import "a" "t") (param i32))
          (func $dive (import "a" "dive") (param i32 i32) (result i32))
          (export "dive-again" (func $dive))
          (func $middle (param $n i32) (result i32)
            (if (i32.lt_s (local.get $n) (i32.const 0)) (then (throw $t (i32.const -1))))
            (i32.add (call $dive (local.get $n) (i32.const 5)) (i32.const 1000)))
          (func (export "catch") (param $n i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $t $h) (call $middle (local.get $n))))))
        """;

    public static TheoryData<string> Modes => ["eager", "split", "lazy", "flat"];

    private sealed class Setup : IDisposable
    {
        public required Store Store { get; init; }
        public required Instance Instance { get; init; }
        public required Linker Linker { get; init; }
        public required Engine Engine { get; init; }
        public required Tag Tag { get; init; }
        public required bool Flat { get; init; }

        public int Call(string name, params int[] arguments) =>
            Instance.GetFunction(name)!.Invoke(arguments.Select(WasmValue.FromInt32).ToArray()).Single().AsInt32();

        public void Dispose()
        {
            Store.Dispose();
            if (Flat) FunctionCompiler.ForceFlat.Value = false;
        }
    }

    private static Setup Start(string mode, Func<Instance, int, int>? callBack = null)
    {
        bool flat = mode == "flat";
        // Flat lowering is chosen when a function compiles; the flag flows to this test's code only.
        if (flat) FunctionCompiler.ForceFlat.Value = true;
        var engine = new Engine(new EngineOptions { LazyCompilation = mode == "lazy" });
        var store = new Store(engine) { SplitThreshold = mode == "split" ? 8 : null };
        var linker = new Linker(engine);
        Instance? instance = null;
        Tag? tag = null;
        linker.DefineFunction("host", "call-back", (Func<int, int>)(n => (callBack ?? ((i, x) => x))(instance!, n)));
        linker.DefineFunction("host", "raise", (Action<int>)(x => throw new WasmException(tag!, x)));
        instance = linker.Instantiate(store, WasmModule.FromText(engine, Module));
        tag = (Tag)instance.GetExport("t")!;
        return new Setup { Store = store, Instance = instance, Linker = linker, Engine = engine, Tag = tag, Flat = flat };
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void AnExceptionCrossesManyDirectCallFramesToAHandler(string mode)
    {
        using var s = Start(mode);
        foreach (int n in new[] { 0, 1, 2, 7, 50 })
        {
            Assert.Equal(5 + n, s.Call("direct", n));
            Assert.Equal(5 + n, s.Call("legacy", n));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void CallIndirectAndCallRefInTheMiddle(string mode)
    {
        using var s = Start(mode);
        Assert.Equal(5 + 6, s.Call("indirect", 6));
        Assert.Equal(5 + 6, s.Call("ref", 6));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TailCallsPassTheExceptionToTheCallersCaller(string mode)
    {
        using var s = Start(mode);
        Assert.Equal(105 + 4, s.Call("tail", 4));
        Assert.Equal(105 + 4, s.Call("tail-indirect", 4));
        Assert.Equal(5 + 4, s.Call("tail-in-try", 4));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ExceptionsCaughtInTheMiddleAndRaisedAgainArriveWhole(string mode)
    {
        using var s = Start(mode);
        for (int which = 0; which < 4; which++) Assert.Equal(5 + 3, s.Call("again", which, 3));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void FunctionsWithSeveralResultsOfEveryKindPassExceptionsOn(string mode)
    {
        using var s = Start(mode);
        Assert.Equal(77, s.Call("multi", 5));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void AnExceptionOutOfAnExportReachesTheHostAndLeavesNothingPending(string mode)
    {
        using var s = Start(mode);
        var e = Assert.Throws<WasmException>(() => s.Call("dive", 6, 10));
        Assert.Same(s.Tag, e.Tag);
        Assert.Equal(16, e.Payload.Single().AsInt32());
        Assert.NotEmpty(e.Frames);
        // Nothing left behind: functions that may throw return normally, at once and through a caught exception.
        Assert.Equal(55, s.Call("sum", 10));
        Assert.Equal(5 + 2, s.Call("direct", 2));
        Assert.Equal(55, s.Call("sum", 10));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void HostFunctionsThrowIntoAndCatchFromProtocolFrames(string mode)
    {
        int caught = 0;
        using var s = Start(mode, (instance, n) =>
        {
            if (n < 0) return instance.GetFunction("dive")!.Invoke(WasmValue.FromInt32(-n), WasmValue.FromInt32(5)).Single().AsInt32();
            try
            {
                instance.GetFunction("dive")!.Invoke(WasmValue.FromInt32(n), WasmValue.FromInt32(5));
                return -1;
            }
            catch (WasmException e)
            {
                caught++;
                return e.Payload[0].AsInt32() * 2;
            }
        });
        // The host catches the exception from wasm and returns; wasm adds to its result.
        Assert.Equal(1_000_000 + 2 * (5 + 4), s.Call("host-callback", 4));
        Assert.Equal(1, caught);
        // The host does not catch: the exception passes through the host frame to the wasm handler.
        Assert.Equal(5 + 3, s.Call("host-callback", -3));
        // The host throws under several wasm frames; the handler above them catches it.
        Assert.Equal(40, s.Call("host-raise", 5));
        Assert.Equal(55, s.Call("sum", 10));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TrapsNearExceptionsStayTrapsAndLeaveNothingPending(string mode)
    {
        using var s = Start(mode);
        var trap = Assert.Throws<TrapException>(() => s.Call("catch-then-trap", 3));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal(55, s.Call("sum", 10));
        trap = Assert.Throws<TrapException>(() => s.Call("trap-under-handler", 4));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal(5 + 1, s.Call("direct", 1));
        Assert.Equal(55, s.Call("sum", 10));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ImportedAndReExportedThrowersRaiseRealExceptions(string mode)
    {
        using var s = Start(mode);
        s.Linker.DefineInstance("a", s.Instance);
        var importer = s.Linker.Instantiate(s.Store, WasmModule.FromText(s.Engine, Importer));
        Assert.Equal(5 + 6, importer.GetFunction("catch")!.Invoke(WasmValue.FromInt32(6)).Single().AsInt32());
        var e = Assert.Throws<WasmException>(() => importer.GetFunction("dive-again")!.Invoke(WasmValue.FromInt32(3), WasmValue.FromInt32(1)));
        Assert.Same(s.Tag, e.Tag);
        Assert.Equal(4, e.Payload[0].AsInt32());
        Assert.Equal(55, s.Call("sum", 10));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ATrapUnderProtocolFramesListsEachFunctionOnce(string mode)
    {
        using var s = Start(mode);
        var instance = s.Linker.Instantiate(s.Store, WasmModule.FromText(s.Engine, """
            (module
              (tag $t (param i32))
              (func $top (@name "top") (export "top") (param i32) (result i32)
                (if (i32.lt_s (local.get 0) (i32.const 0)) (then (throw $t (i32.const 0))))
                (i32.add (call $mid (local.get 0)) (i32.const 1)))
              (func $mid (@name "mid") (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
              (func $leaf (@name "leaf") (param i32) (result i32)
                (if (i32.lt_s (local.get 0) (i32.const 0)) (then (throw $t (i32.const 0))))
                (i32.div_s (i32.const 1) (local.get 0))))
            """));
        Assert.Equal(3, instance.GetFunction("top")!.Invoke(WasmValue.FromInt32(1)).Single().AsInt32());
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("top")!.Invoke(WasmValue.FromInt32(0)));
        Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
        Assert.Equal(["leaf", "mid", "top"], trap.Frames.Select(f => f.FunctionName));
        // Thrown out of the export: the frames start at the outermost function of the protocol, listed once.
        var e = Assert.Throws<WasmException>(() => instance.GetFunction("top")!.Invoke(WasmValue.FromInt32(-1)));
        Assert.Equal(["top"], e.Frames.Select(f => f.FunctionName));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void AFunctionNamedLikeAnEntryKeepsItsOwnMethod(string mode)
    {
        // A function's method name is its name, '$' and its index: an entry's name must never be one of those.
        using var s = Start(mode);
        var instance = s.Linker.Instantiate(s.Store, WasmModule.FromText(s.Engine, """
            (module
              (tag $t (param i32))
              (func $entry (@name "entry") (export "f") (param i32) (result i32)
                (if (i32.eqz (local.get 0)) (then (throw $t (i32.const 9))))
                (call $entry (i32.sub (local.get 0) (i32.const 1)))))
            """));
        var e = Assert.Throws<WasmException>(() => instance.GetFunction("f")!.Invoke(WasmValue.FromInt32(3)));
        Assert.Equal(9, e.Payload[0].AsInt32());
        Assert.Equal("entry", e.Frames[0].FunctionName);
    }

    [Fact]
    public void ADeepThrowCaughtInWasmMakesNoDotNetThrow()
    {
        // Evidence that the protocol is in effect (eager code): each .NET throw shows up as a first-chance
        // exception; other tests' exceptions have other tags.
        using var s = Start("eager");
        int throws = 0;
        EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> count = (_, e) =>
        {
            if (e.Exception is WasmException w && ReferenceEquals(w.Tag, s.Tag)) Interlocked.Increment(ref throws);
        };
        AppDomain.CurrentDomain.FirstChanceException += count;
        try
        {
            for (int i = 0; i < 20; i++) Assert.Equal(5 + 6, s.Call("direct", 6));
            Assert.Equal(0, Volatile.Read(ref throws));
            // The entry of an export throws once, at the boundary.
            Assert.Throws<WasmException>(() => s.Call("dive", 6, 0));
            Assert.Equal(1, Volatile.Read(ref throws));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= count;
        }
    }
}
