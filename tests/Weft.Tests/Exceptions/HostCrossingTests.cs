using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Tests.Exceptions;

/// <summary>Wasm exceptions crossing between wasm, the host and other instances.</summary>
public class HostCrossingTests
{
    private const string Catcher = """
        (module
          (tag $t (import "host" "tag") (param i32))
          (func $raise (import "host" "raise") (param i32))
          (func (export "catch") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $t $h)
                (call $raise (local.get 0)))
              (i32.const -1))
            (i32.const 1000)
            (i32.add)))
        """;

    [Fact]
    public void HostThrowsTypedDelegateAndWasmCatches()
    {
        using var store = new Store();
        var tag = new Tag(ValType.I32);
        var linker = new Linker()
            .Define("host", "tag", tag)
            .DefineFunction("host", "raise", (Action<int>)(x => throw new WasmException(tag, x * 2)));
        var instance = Wasm.Instantiate(store, Catcher, linker);

        Assert.Equal(1042, instance.CallI32("catch", 21));
        Assert.Equal(1000 - 8, instance.CallI32("catch", -4));
    }

    [Fact]
    public void HostThrowsFromUntypedCallbackAndWasmCatches()
    {
        using var store = new Store();
        var tag = new Tag(ValType.I32);
        var linker = new Linker()
            .Define("host", "tag", tag)
            .DefineFunction("host", "raise", [ValType.I32], [], (args, _) => throw new WasmException(tag, args[0].AsInt32() + 1));
        var instance = Wasm.Instantiate(store, Catcher, linker);

        Assert.Equal(1008, instance.CallI32("catch", 7));
    }

    [Fact]
    public void ExceptionWithAnotherTagPassesThroughWasmToTheHost()
    {
        using var store = new Store();
        var tag = new Tag(ValType.I32);
        var other = new Tag(ValType.I32);
        var linker = new Linker()
            .Define("host", "tag", tag)
            .DefineFunction("host", "raise", (Action<int>)(x => throw new WasmException(other, x)));
        var instance = Wasm.Instantiate(store, Catcher, linker);

        var e = Assert.Throws<WasmException>(() => instance.Call("catch", 5));
        Assert.Same(other, e.Tag);
        Assert.Equal(5, e.Payload.Single().AsInt32());
    }

    [Fact]
    public void UncaughtWasmExceptionReachesTheHostWithTagAndPayload()
    {
        using var store = new Store();
        var host = new object();
        var instance = Wasm.Instantiate(store, """
            (module
              (tag $e (export "e") (param i32 i64 f32 f64 v128 externref))
              (func (export "throw") (param externref v128)
                (throw $e
                  (i32.const -7) (i64.const 0x123456789abcdef0)
                  (f32.const nan:0x200001) (f64.const -nan:0x8000000000001)
                  (local.get 1)
                  (local.get 0))))
            """);

        var vector = Vector128.Create(0x0102030405060708ul, 0x1112131415161718ul).AsByte();
        var e = Assert.Throws<WasmException>(() => instance.Call("throw", WasmValue.FromReference(host), WasmValue.FromVector(vector)));

        Assert.Same(instance.GetTag("e"), e.Tag);
        Assert.Equal("uncaught exception", e.Reason);
        var payload = e.Payload;
        Assert.Equal(6, payload.Count);
        Assert.Equal(-7, payload[0].AsInt32());
        Assert.Equal(0x123456789abcdef0, payload[1].AsInt64());
        Assert.Equal(0x7fa00001u, (uint)payload[2].Bits);
        Assert.Equal(0xfff8000000000001ul, payload[3].Bits);
        Assert.Equal(vector, payload[4].AsVector());
        Assert.Same(host, payload[5].AsReference());
        Assert.Contains("-7:i32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedEntryPointsLetWasmExceptionsThrough()
    {
        using var store = new Store();
        var instance = Wasm.Instantiate(store, """
            (module
              (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (throw $e (local.get 0)))
              (func (export "maybe") (param i32) (result i32)
                (if (local.get 0) (then (throw $e (i32.const 9))))
                (i32.const 1)))
            """);
        var action = instance.GetAction<int>("throw")!;
        var e = Assert.Throws<WasmException>(() => action(6));
        Assert.Same(instance.GetTag("e"), e.Tag);
        Assert.Equal(6, e.Payload[0].AsInt32());

        var function = instance.GetFunction<int, int>("maybe")!;
        Assert.Equal(1, function(0));
        Assert.Equal(9, Assert.Throws<WasmException>(() => function(1)).Payload[0].AsInt32());
    }

    [Fact]
    public void ExceptionsCrossInstancesAndTagIdentityDecides()
    {
        using var store = new Store();
        var thrower = Wasm.Instantiate(store, """
            (module
              (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (throw $e (local.get 0))))
            """);
        var linker = new Linker().DefineInstance("a", thrower);
        const string Catching = """
            (module
              (tag $imported (import "a" "e") (param i32))
              (func $throw (import "a" "throw") (param i32))
              (tag $own (export "own-tag") (param i32))
              (func (export "imported") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $imported $h) (call $throw (local.get 0)))
                  (i32.const -1)))
              (func (export "own") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $own $h) (call $throw (local.get 0)))
                  (i32.const -1))))
            """;
        var catcher = Wasm.Instantiate(store, Catching, linker);

        Assert.Equal(9, catcher.CallI32("imported", 9));
        // A structurally equal tag of another module is another tag: the exception passes through.
        var e = Assert.Throws<WasmException>(() => catcher.Call("own", 9));
        Assert.Same(thrower.GetTag("e"), e.Tag);

        // Two instances of one module have distinct tags.
        var second = Wasm.Instantiate(store, Catching, linker);
        Assert.NotSame(catcher.GetTag("own-tag"), second.GetTag("own-tag"));
        Assert.Equal(4, second.CallI32("imported", 4));
    }

    [Fact]
    public void WasmExceptionPassesThroughAHostFunctionThatCallsWasm()
    {
        using var store = new Store();
        Instance? inner = null;
        var linker = new Linker()
            .DefineFunction("host", "reenter", (Action<int>)(x => inner!.Call("throw", x)));
        inner = Wasm.Instantiate(store, """
            (module
              (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (throw $e (local.get 0))))
            """);
        linker.DefineInstance("inner", inner);
        var outer = Wasm.Instantiate(store, """
            (module
              (tag $e (import "inner" "e") (param i32))
              (func $reenter (import "host" "reenter") (param i32))
              (func (export "run") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h) (call $reenter (local.get 0)))
                  (i32.const -1))))
            """, linker);

        Assert.Equal(77, outer.CallI32("run", 77));
        // The store is usable afterwards and its entry bookkeeping is balanced.
        Assert.Equal(78, outer.CallI32("run", 78));
    }

    [Fact]
    public void HostCanCatchAWasmExceptionFromANestedCallAndCarryOn()
    {
        using var store = new Store();
        Instance? thrower = null;
        int seen = 0;
        var linker = new Linker().DefineFunction("host", "guarded", (Func<int, int>)(x =>
        {
            try
            {
                thrower!.Call("throw", x);
                return 0;
            }
            catch (WasmException e)
            {
                seen = e.Payload[0].AsInt32();
                return -seen;
            }
        }));
        thrower = Wasm.Instantiate(store, """
            (module (tag $e (param i32)) (func (export "throw") (param i32) (throw $e (local.get 0))))
            """);
        var outer = Wasm.Instantiate(store, """
            (module
              (func $guarded (import "host" "guarded") (param i32) (result i32))
              (func (export "run") (param i32) (result i32) (call $guarded (local.get 0))))
            """, linker);

        Assert.Equal(-12, outer.CallI32("run", 12));
        Assert.Equal(12, seen);
    }

    [Fact]
    public void ExnrefRoundTripsThroughTheHost()
    {
        using var store = new Store();
        var instance = Wasm.Instantiate(store, """
            (module
              (tag $e (export "e") (param i64))
              (func (export "capture") (param i64) (result exnref)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (throw $e (local.get 0)))
                  (unreachable)))
              (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))
            """);

        var captured = instance.Call("capture", 99L).Single().AsReference();
        var exception = Assert.IsType<WasmException>(captured);
        Assert.Same(instance.GetTag("e"), exception.Tag);
        Assert.Equal(99L, exception.Payload[0].AsInt64());

        var rethrown = Assert.Throws<WasmException>(() => instance.Call("rethrow", WasmValue.FromReference(captured)));
        Assert.Equal(99L, rethrown.Payload[0].AsInt64());

        var trap = Assert.Throws<TrapException>(() => instance.Call("rethrow", WasmValue.FromReference(null)));
        Assert.Equal(TrapKind.NullExceptionReference, trap.Kind);
        Assert.Equal("null exception reference", trap.Reason);
    }

    [Fact]
    public void HostExceptionMustFitItsTag()
    {
        var tag = new Tag(ValType.I32, ValType.FuncRef.WithNullable(false));
        Assert.Throws<ArgumentException>(() => new WasmException(tag, 1));
        Assert.Throws<ArgumentException>(() => new WasmException(tag, 1L, WasmValue.FromReference(null)));
        Assert.Throws<ArgumentException>(() => new WasmException(tag, 1, WasmValue.FromReference(null)));
        Assert.Throws<ArgumentNullException>(() => new WasmException(null!, 1));
        Assert.Throws<ArgumentException>(() => new Tag(ValType.Ref(HeapType.Concrete(uint.MaxValue - 1), true))); // names no canonical type

        var payload = new WasmValue[] { 1 };
        var e = new WasmException(new Tag(ValType.I32), payload);
        payload[0] = 2;
        Assert.Equal(1, e.Payload[0].AsInt32());
    }

    [Fact]
    public void HostTagLinksOnlyToAnEquivalentImport()
    {
        using var store = new Store();
        var linker = new Linker().Define("host", "tag", new Tag(ValType.I64));
        var e = Assert.Throws<LinkException>(() =>
            Wasm.Instantiate(store, """(module (tag (import "host" "tag") (param i32)))""", linker));
        Assert.Equal("incompatible import type", e.Reason);
    }
}
