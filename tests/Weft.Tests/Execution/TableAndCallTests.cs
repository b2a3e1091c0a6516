namespace Weft.Tests.Execution;

public class TableAndCallTests
{
    private static readonly Instance s_calls = Wat.Instantiate("""
        (module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (table $t 4 8 funcref)
          (elem (table $t) (i32.const 0) func $double $nothing)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $nothing (type $v))
          (func (export "indirect") (param i32 i32) (result i32)
            (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
          (func (export "ref") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $double)))
          (func (export "null_ref") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.null $ii)))
          (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
          (func (export "size") (result i32) (table.size $t))
          (func (export "on_null") (param i32) (result i32)
            (block $is_null
              (br_on_null $is_null (select (result funcref) (ref.func $double) (ref.null func) (local.get 0)))
              (drop) (return (i32.const 1)))
            (i32.const 0))
          (func (export "multi") (param i32) (result i32 i64 f64)
            (local.get 0) (i64.extend_i32_s (local.get 0)) (f64.convert_i32_s (local.get 0)))
          (func (export "use_multi") (result i64) (local i64)
            (call 8 (i32.const -3)) (drop) (local.set 0) i64.extend_i32_s local.get 0 i64.add)
          (func $even (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
              (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
          (func $odd (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
              (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
          (func (export "even") (param i64) (result i32) (call $even (local.get 0)))
          (func $deep (export "deep") (param i32) (result i32) (i32.add (call $deep (local.get 0)) (i32.const 1)))
        )
        """);

    [Fact]
    public void CallIndirectChecksIndexNullAndSignature()
    {
        Assert.Equal(42, s_calls.CallI32("indirect", 0, 21));
        Assert.Equal("indirect call type mismatch", s_calls.Traps("indirect", 1, 21).Reason);
        Assert.StartsWith("uninitialized element", s_calls.Traps("indirect", 2, 21).Reason);
        Assert.Equal("undefined element", s_calls.Traps("indirect", 4, 21).Reason);
        Assert.Equal("undefined element", s_calls.Traps("indirect", -1, 21).Reason);
    }

    [Fact]
    public void TypedFunctionReferences()
    {
        Assert.Equal(10, s_calls.CallI32("ref", 5));
        Assert.Equal("null function reference", s_calls.Traps("null_ref", 5).Reason);
        Assert.Equal(1, s_calls.CallI32("on_null", 1));
        Assert.Equal(0, s_calls.CallI32("on_null", 0));
    }

    [Fact]
    public void TablesGrowWithinTheirMaximum()
    {
        var instance = Wat.Instantiate("""
            (module (table $t 1 3 externref)
              (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null extern) (local.get 0)))
              (func (export "set") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
              (func (export "get") (param i32) (result externref) (table.get $t (local.get 0))))
            """);
        Assert.Equal(1, instance.CallI32("grow", 2));
        Assert.Equal(-1, instance.CallI32("grow", 1));
        var host = new object();
        instance.Call("set", 2, WasmValue.FromReference(host));
        Assert.Same(host, instance.Call("get", 2)[0].AsReference());
        Assert.Equal("out of bounds table access", instance.Traps("get", 3).Reason);
    }

    [Fact]
    public void MultipleResultsTravelThroughCalls()
    {
        var results = s_calls.Call("multi", 7);
        Assert.Equal(7, results[0].AsInt32());
        Assert.Equal(7L, results[1].AsInt64());
        Assert.Equal(7.0, results[2].AsDouble());
        Assert.Equal(-6L, s_calls.Call("use_multi")[0].AsInt64());
    }

    [Fact]
    public void TailCallsRunInConstantStack()
    {
        // Ten million mutually tail-recursive calls would need far more stack than any thread has.
        Assert.Equal(1, s_calls.CallI32("even", 10_000_000L));
        Assert.Equal(0, s_calls.CallI32("even", 10_000_001L));
    }

    [Fact]
    public void UnboundedRecursionTrapsAndTheStoreStaysUsable()
    {
        var trap = s_calls.Traps("deep", 0);
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);
        Assert.Equal("call stack exhausted", trap.Reason);
        Assert.Equal(42, s_calls.CallI32("indirect", 0, 21));
        Assert.Equal(TrapKind.CallStackExhausted, s_calls.Traps("deep", 0).Kind);
    }
}
