using System.Runtime.Intrinsics;

namespace Weft.Tests.Exceptions;

/// <summary>
/// The shapes that IL's protected-region rules make delicate: values below a region, branches and returns that
/// leave one or several regions, tail calls inside regions, loops around and inside regions, exnref values stored
/// away, and the memory length cache after a callee grew memory and threw.
/// </summary>
public sealed class ControlFlowTests : IDisposable
{
    private const string Module = """
        (module
          (type $ft (func (param i32) (result i32)))
          (tag $e (param i32))
          (tag $e0)
          (tag $other (param i32))
          (tag $v (param v128 f32))
          (memory 1)
          (global $g (mut exnref) (ref.null exn))
          (table $t 2 exnref)
          (table $ft 1 funcref)
          (elem (table $ft) (i32.const 0) func $maybe-throw)
          (elem declare func $maybe-throw)

          (func $maybe-throw (param i32) (result i32)
            (if (local.get 0) (then (throw $e (local.get 0))))
            (i32.const 5))

          ;; br out of two regions carrying a value, with values below in both.
          (func (export "nested-br") (param i32) (result i32)
            i32.const 100
            block $out (result i32)
              i64.const 5
              try_table (param i64) (result i32)
                drop
                i32.const 20
                try_table (result i32)
                  i32.const 3
                  local.get 0
                  i32.eqz
                  br_if $out
                  drop
                  i32.const 4
                end
                i32.add
              end
            end
            i32.add)

          (func (export "table") (param i32) (result i32)
            block $a (result i32)
              block $b (result i32)
                try_table (result i32)
                  try_table (result i32)
                    i32.const 7
                    local.get 0
                    br_table $a $b 0 1
                  end
                  i32.const 10
                  i32.add
                end
                i32.const 100
                i32.add
              end
              i32.const 1000
              i32.add
            end)

          (func (export "loop-catch") (param i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $l
              (block $h (result i32)
                (try_table (result i32) (catch $e $h)
                  (if (i32.and (local.get $i) (i32.const 1)) (then (throw $e (local.get $i))))
                  (i32.const 0)))
              (local.set $sum (i32.add (local.get $sum)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
            (local.get $sum))

          (func (export "continue") (param i32) (result i32)
            (local $i i32)
            (loop $l
              (try_table (catch_all 0)
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get 0)))))
            (local.get $i))

          (func (export "return") (param i32) (result i32 i64 f64)
            (i32.const 1)
            (try_table (result i32)
              (try_table
                (if (local.get 0) (then (return (i32.const 7) (i64.const 8) (f64.const 9.5)))))
              (i32.const 2))
            (i32.add)
            (i64.const 3)
            (f64.const 4))

          (func (export "catch-to-function") (param i32) (result i32)
            (try_table (catch $e 0) (throw $e (local.get 0)))
            (i32.const -1))

          (func (export "nested-catch-to-function") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h)
                (try_table (catch $e 2) (throw $e (local.get 0)))))
            (i32.const -1))

          (func (export "return-call") (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (i32.const 99)
                (drop)
                (return_call $maybe-throw (local.get 0))))
            (i32.const 100)
            (i32.add))

          (func (export "return-call-indirect") (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (return_call_indirect $ft (type $ft) (local.get 0) (i32.const 0))))
            (i32.const 100)
            (i32.add))

          (func (export "return-call-ref") (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (return_call_ref $ft (local.get 0) (ref.func $maybe-throw))))
            (i32.const 100)
            (i32.add))

          (func (export "return-call-below") (param i32) (result i32)
            (i32.const 1)
            (block (result i32)
              (if (local.get 0) (then (return_call $maybe-throw (i32.const 0))))
              (i32.const 3))
            (i32.add))

          (func $tail-loop (export "tail-loop") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h)
                (if (i32.eqz (local.get 0)) (then (return (i32.const 77))))
                (return_call $tail-loop (i32.sub (local.get 0) (i32.const 1)))))
            (i32.const -1))

          (func $grow-and-throw (drop (memory.grow (i32.const 1))) (throw $e0))
          (func (export "grow") (result i32)
            (block $h (try_table (catch $e0 $h) (call $grow-and-throw)))
            (i32.store (i32.const 70000) (i32.const 42))
            (i32.load (i32.const 70000)))
          (func (export "grow-legacy") (result i32)
            (try (do (call $grow-and-throw)) (catch $e0))
            (i32.store (i32.const 140000) (i32.const 43))
            (i32.load (i32.const 140000)))

          (func (export "vector") (param v128) (result v128 f32)
            (block $h (result v128 f32)
              (try_table (catch $v $h)
                (throw $v (local.get 0) (f32.const nan:0x1234)))
              (unreachable)))

          (func (export "stash") (param i32)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $e (local.get 0)))
              (unreachable))
            (global.set $g)
            (table.set $t (i32.const 1) (global.get $g)))
          (func $rethrow-arg (param exnref) (throw_ref (local.get 0)))
          (func (export "rethrow-global") (result i32)
            (block $h (result i32) (try_table (catch $e $h) (throw_ref (global.get $g))) (unreachable)))
          (func (export "rethrow-table") (result i32)
            (block $h (result i32) (try_table (catch $e $h) (throw_ref (table.get $t (i32.const 1)))) (unreachable)))
          (func (export "rethrow-call") (result i32)
            (block $h (result i32) (try_table (catch $e $h) (call $rethrow-arg (global.get $g))) (unreachable)))

          (func (export "params") (param i32) (result i32)
            (i32.const 1000)
            (local.get 0)
            (i32.const 5)
            (try_table (param i32 i32) (result i32) (i32.add))
            (i32.add))
          (func (export "params-catch") (param i32) (result i32)
            (i32.const 1000)
            (block $h (result i32)
              (i32.const 7)
              (try_table (param i32) (result i32) (catch $e $h)
                (drop)
                (throw $e (local.get 0))))
            (i32.add))
          (func (export "legacy-below") (param i32) (result i32)
            (i32.const 1000)
            (try (result i32)
              (do (throw $e (local.get 0)))
              (catch $e (i32.const 1) (i32.add)))
            (i32.add))
          (func (export "legacy-branch-out") (param i32) (result i32)
            (block $out (result i32)
              (try
                (do (throw $e (local.get 0)))
                (catch $e
                  (try (do (br $out (i32.const 60))) (catch_all))
                  (drop)))
              (i32.const -1)))

          (func $rec (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $other $h)
                (if (result i32) (local.get 0)
                  (then (call $rec (i32.sub (local.get 0) (i32.const 1))))
                  (else (throw $e (i32.const 42)))))))
          (func (export "deep") (param i32) (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h) (call $rec (local.get 0)))))

          ;; Locals set in a region are seen by the handler: through a callee's throw, a direct throw and a delegate.
          (func $thrower (param i32) (throw $e (local.get 0)))
          (func $quiet)
          (func (export "locals-after-callee-throw") (param $p i32) (result i32)
            (local $a i32) (local $b i64)
            (local.set $a (i32.const 1))
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (local.set $a (i32.const 2))
                (local.set $p (i32.add (local.get $p) (i32.const 10)))
                (local.set $b (i64.const 5))
                (call $thrower (i32.const 3))
                (local.set $a (i32.const 99))
                (i32.const 0)))
            (i32.add (local.get $a))
            (i32.add (local.get $p))
            (i32.add (i32.wrap_i64 (local.get $b))))
          (func (export "locals-after-direct-throw") (param $p i32) (result i32)
            (local $a i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call $quiet)
                (local.set $a (i32.const 7))
                (local.set $p (i32.const 1000))
                (throw $e (i32.const 1))))
            (i32.add (local.get $a))
            (i32.add (local.get $p)))
          (func (export "locals-after-delegate") (result i32)
            (local $a i32)
            (try $outer (result i32)
              (do
                (try
                  (do (local.set $a (i32.const 40)) (call $thrower (i32.const 2)))
                  (delegate $outer))
                (i32.const 0))
              (catch $e (local.get $a) (i32.add))))

          (func (export "dead") (result i32)
            (return (i32.const 8))
            (block (try_table (catch_all 0) (throw $e0)))
            (try (do) (delegate 0))
            (i32.const 0)))
        """;

    private readonly Store _store = new();
    private readonly Instance _instance;

    public ControlFlowTests() => _instance = Wasm.Instantiate(_store, Module);

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(0, 103)]
    [InlineData(1, 124)]
    public void BranchOutOfTwoRegionsKeepsTheValuesBelow(int argument, int expected) =>
        Assert.Equal(expected, _instance.CallI32("nested-br", argument));

    [Theory]
    [InlineData(0, 7)]
    [InlineData(1, 1007)]
    [InlineData(2, 1117)]
    [InlineData(3, 1107)]
    [InlineData(-1, 1107)]
    public void BrTableLeavesToEachDepth(int argument, int expected) =>
        Assert.Equal(expected, _instance.CallI32("table", argument));

    [Fact]
    public void LoopsAroundAndInsideRegions()
    {
        Assert.Equal(1 + 3 + 5 + 7 + 9, _instance.CallI32("loop-catch", 10));
        Assert.Equal(5, _instance.CallI32("continue", 5));
    }

    [Fact]
    public void ReturnFromNestedRegionsWithSeveralResults()
    {
        var early = _instance.Call("return", 1);
        Assert.Equal(new object[] { 7, 8L, 9.5 }, early.Select(Unbox));
        var late = _instance.Call("return", 0);
        Assert.Equal(new object[] { 3, 3L, 4.0 }, late.Select(Unbox));
    }

    [Fact]
    public void CatchClausesMayTargetTheFunction()
    {
        Assert.Equal(12, _instance.CallI32("catch-to-function", 12));
        Assert.Equal(13, _instance.CallI32("nested-catch-to-function", 13));
    }

    [Theory]
    [InlineData("return-call")]
    [InlineData("return-call-indirect")]
    [InlineData("return-call-ref")]
    public void TailCallsLeaveTheRegionSoTheCalleesExceptionsAreNotCaught(string name)
    {
        // The tail call returns the callee's result straight to our caller.
        Assert.Equal(5, _instance.CallI32(name, 0));
        var e = Assert.Throws<WasmException>(() => _instance.Call(name, 3));
        Assert.Equal(3, e.Payload[0].AsInt32());
    }

    [Fact]
    public void TailCallDropsValuesBelowInsideABlock()
    {
        Assert.Equal(4, _instance.CallI32("return-call-below", 0));
        Assert.Equal(5, _instance.CallI32("return-call-below", 1));
    }

    [Fact]
    public void TailCallsFromRegionsRunInConstantStack() => Assert.Equal(77, _instance.CallI32("tail-loop", 1_000_000));

    [Fact]
    public void HandlersSeeMemoryGrownByTheThrowingCallee()
    {
        Assert.Equal(42, _instance.CallI32("grow"));
        Assert.Equal(43, _instance.CallI32("grow-legacy"));
    }

    [Fact]
    public void VectorAndNaNPayloadsSurvive()
    {
        var results = _instance.Call("vector", WasmValue.FromVector(Vector128.Create(1, 2, 3, 4).AsByte()));
        Assert.Equal(Vector128.Create(1, 2, 3, 4).AsByte(), results[0].AsVector());
        Assert.Equal(0x7f801234u, (uint)results[1].Bits);
    }

    [Fact]
    public void ExnrefsInGlobalsTablesAndArgumentsCanBeThrownLater()
    {
        _instance.Call("stash", 31);
        Assert.Equal(31, _instance.CallI32("rethrow-global"));
        Assert.Equal(31, _instance.CallI32("rethrow-table"));
        Assert.Equal(31, _instance.CallI32("rethrow-call"));
    }

    [Fact]
    public void BlockParametersAndValuesBelowAreSpilledAndRestored()
    {
        Assert.Equal(1011, _instance.CallI32("params", 6));
        Assert.Equal(1009, _instance.CallI32("params-catch", 9));
        Assert.Equal(1006, _instance.CallI32("legacy-below", 5));
        Assert.Equal(60, _instance.CallI32("legacy-branch-out", 5));
    }

    [Fact]
    public void ExceptionPassesThroughManyNonMatchingHandlers()
    {
        Assert.Equal(42, _instance.CallI32("deep", 1000));
    }

    [Fact]
    public void HandlersSeeTheLocalsAsTheyWereWhenTheExceptionWasRaised()
    {
        Assert.Equal(3 + 2 + 110 + 5, _instance.CallI32("locals-after-callee-throw", 100));
        Assert.Equal(1 + 7 + 1000, _instance.CallI32("locals-after-direct-throw", 100));
        Assert.Equal(42, _instance.CallI32("locals-after-delegate"));
    }

    [Fact]
    public void RegionsInDeadCodeAreSkipped() => Assert.Equal(8, _instance.CallI32("dead"));

    private static object Unbox(WasmValue value) => value.Kind switch
    {
        Syntax.ValKind.I32 => (object)value.AsInt32(),
        Syntax.ValKind.I64 => (object)value.AsInt64(),
        _ => (object)value.AsDouble(),
    };
}
