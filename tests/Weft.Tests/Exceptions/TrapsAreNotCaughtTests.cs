namespace Weft.Tests.Exceptions;

/// <summary>Spec 4.4.9: handlers catch exceptions only; traps (and host failures, which trap) pass through them.</summary>
public class TrapsAreNotCaughtTests
{
    private const string Module = """
        (module
          (func $fail (import "host" "fail"))
          (tag $e)
          (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "unreachable") (result i32)
            (block $h (try_table (catch_all $h) (unreachable)))
            (i32.const 1))
          (func (export "divide") (param i32) (result i32)
            (block $h (result exnref)
              (try_table (result i32) (catch_all_ref $h) (call $div (i32.const 10) (local.get 0)))
              (return))
            (drop)
            (i32.const -1))
          (func (export "legacy") (result i32)
            (try (result i32)
              (do (call $div (i32.const 1) (i32.const 0)))
              (catch_all (i32.const -1))))
          (func $recurse (export "recurse") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h)
                (return (i32.add (i32.const 1) (call $recurse (local.get 0))))))
            (i32.const -1))
          (func (export "host") (result i32)
            (block $h (try_table (catch_all $h) (call $fail)))
            (i32.const 1)))
        """;

    private static Instance Instantiate(Store store) => Wasm.Instantiate(store, Module,
        new Linker().DefineFunction("host", "fail", (Action)(() => throw new InvalidOperationException("host broke"))));

    [Fact]
    public void UnreachableIsNotCaughtByCatchAll()
    {
        using var store = new Store();
        var e = Assert.Throws<TrapException>(() => Instantiate(store).Call("unreachable"));
        Assert.Equal(TrapKind.Unreachable, e.Kind);
    }

    [Fact]
    public void TrapInACalleeIsNotCaughtByCatchAllRef()
    {
        using var store = new Store();
        var instance = Instantiate(store);
        Assert.Equal(5, instance.CallI32("divide", 2));
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => instance.Call("divide", 0)).Kind);
    }

    [Fact]
    public void TrapIsNotCaughtByLegacyCatchAll()
    {
        using var store = new Store();
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => Instantiate(store).Call("legacy")).Kind);
    }

    [Fact]
    public void StackExhaustionIsNotCaughtAndTheStoreStaysUsable()
    {
        using var store = new Store();
        var instance = Instantiate(store);
        var e = Assert.Throws<TrapException>(() => instance.Call("recurse", 0));
        Assert.Equal(TrapKind.CallStackExhausted, e.Kind);
        Assert.Equal(5, instance.CallI32("divide", 2));
    }

    [Fact]
    public void HostFailureTrapsThroughCatchAll()
    {
        using var store = new Store();
        var e = Assert.Throws<TrapException>(() => Instantiate(store).Call("host"));
        Assert.Equal(TrapKind.HostError, e.Kind);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void UncaughtExceptionInTheStartFunctionFailsInstantiation()
    {
        using var store = new Store();
        var e = Assert.Throws<WasmException>(() => Wasm.Instantiate(store, """
            (module (tag $e (param i32)) (func $start (throw $e (i32.const 3))) (start $start))
            """));
        Assert.Equal(3, e.Payload[0].AsInt32());
    }
}
