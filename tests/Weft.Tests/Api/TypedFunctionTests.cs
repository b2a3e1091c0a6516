using System.Runtime.Intrinsics;

namespace Weft.Tests.Api;

/// <summary>Typed access to exported functions: <c>instance.GetFunction&lt;int, int, int&gt;("add")</c> and friends.</summary>
public sealed class TypedFunctionTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    private Instance Instantiate(string wat, Linker? linker = null) =>
        (linker ?? new Linker()).Instantiate(_store, WasmModule.FromText(wat));

    [Fact]
    public void CallsWithClrValuesAndReturnsTheResult()
    {
        var instance = Instantiate("""
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "mix") (param i64 f32 f64) (result f64)
                (f64.add (f64.convert_i64_s (local.get 0)) (f64.add (f64.promote_f32 (local.get 1)) (local.get 2))))
              (func (export "pair") (param i32) (result i32 i64) (local.get 0) (i64.extend_i32_s (i32.mul (local.get 0) (i32.const 2))))
              (func (export "nothing")))
            """);

        var add = instance.GetFunction<int, int, int>("add")!;
        Assert.Equal(5, add(2, 3));
        Assert.Equal(int.MinValue, add(int.MaxValue, 1));
        Assert.Equal(7.5, instance.GetFunction<long, float, double, double>("mix")!(4, 1.5f, 2.0));
        Assert.Equal((-3, -6L), instance.GetFunction<int, ValueTuple<int, long>>("pair")!(-3));
        instance.GetAction("nothing")!();
    }

    [Fact]
    public void ReferencesPassAsObjectsAndFunctions()
    {
        var instance = Instantiate("""
            (module
              (func $f (export "f") (result i32) (i32.const 42))
              (func (export "id") (param externref) (result externref) (local.get 0))
              (func (export "fref") (result funcref) (ref.func $f))
              (func (export "v") (param v128) (result v128) (local.get 0)))
            """);
        var host = new object();
        Assert.Same(host, instance.GetFunction<object, object>("id")!(host));
        var f = instance.GetFunction<Function>("fref")!();
        Assert.Equal(42, f.AsFunc<int>()());
        var v = Vector128.Create((byte)7);
        Assert.Equal(v, instance.GetFunction<Vector128<byte>, Vector128<byte>>("v")!(v));
    }

    [Fact]
    public void ReferenceArgumentsOfTheWrongKindAreRefusedBeforeWasmRuns()
    {
        // Compiled code trusts static types (struct.get is a field load, call_ref a calli), so a typed call must
        // refuse what does not match, as Function.Invoke does, instead of letting wasm read it as a struct.
        var instance = Instantiate("""
            (module
              (type $s (struct (field i64)))
              (type $a (array (mut i64)))
              (type $ft (func (result i32)))
              (tag $e)
              (func $k (export "k") (result i32) (i32.const 7))
              (func (export "make") (result (ref $s)) (struct.new $s (i64.const 5)))
              (func (export "get") (param (ref $s)) (result i64) (struct.get $s 0 (local.get 0)))
              (func (export "set") (param (ref null $a)) (array.set $a (local.get 0) (i32.const 0) (i64.const 1)))
              (func (export "call") (param (ref $ft)) (result i32) (call_ref $ft (local.get 0)))
              (func (export "any") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
              (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))
            """);
        var get = instance.GetFunction<object?, long>("get")!;
        Assert.Equal(5, get(instance.GetFunction<object>("make")!()));
        Assert.Throws<ArgumentException>(() => get("not a struct"));
        Assert.Throws<ArgumentException>(() => get(null));
        var set = instance.GetAction<object?>("set")!;
        Assert.Throws<ArgumentException>(() => set(new long[1]));
        Assert.Equal(TrapKind.NullArrayReference, Assert.Throws<TrapException>(() => set(null)).Kind);
        var call = instance.GetFunction<Function, int>("call")!;
        Assert.Equal(7, call(instance.GetFunction("k")!));
        Assert.Throws<ArgumentException>(() => call(instance.GetFunction("get")!));
        // anyref takes any host object (which is not eq); exnref only a wasm exception.
        Assert.Equal(0, instance.GetFunction<object, int>("any")!("text"));
        Assert.Throws<ArgumentException>(() => instance.GetAction<object?>("rethrow")!(new InvalidOperationException()));
        // The store is still usable after the refusals.
        Assert.Equal(5, get(instance.GetFunction<object>("make")!()));
    }

    [Fact]
    public void MissingExportIsNullAndWrongTypesThrow()
    {
        var instance = Instantiate("""(module (func (export "add") (param i32 i32) (result i32) (local.get 0)))""");
        Assert.Null(instance.GetFunction<int, int, int>("nope"));
        var e = Assert.Throws<ArgumentException>(() => instance.GetFunction<long, int, int>("add"));
        Assert.Contains("(i32 i32) -> (i32)", e.Message);
        Assert.Throws<ArgumentException>(() => instance.GetAction<int, int>("add"));
        Assert.Throws<ArgumentException>(() => instance.GetFunction<int, int, long>("add"));
    }

    [Fact]
    public void TrapsSurfaceAsTrapExceptionsAndTheStoreStaysUsable()
    {
        var instance = Instantiate("""
            (module
              (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func $r (export "recurse") (call $r)))
            """);
        var div = instance.GetFunction<int, int, int>("div")!;
        Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => div(1, 0)).Kind);
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.GetAction("recurse")!()).Kind);
        Assert.Equal(3, div(7, 2));
    }

    [Fact]
    public void HostFunctionsAreTypedToo()
    {
        var linker = new Linker();
        linker.Define("env", "twice", (int x) => x * 2);
        var instance = Instantiate("""
            (module (import "env" "twice" (func $twice (param i32) (result i32)))
              (export "twice" (func $twice)))
            """, linker);
        Assert.Equal(14, instance.GetFunction<int, int>("twice")!(7));
    }
}
