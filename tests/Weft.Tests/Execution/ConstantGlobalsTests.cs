using System.Globalization;
using System.Text;
using Weft.Compilation;
using Weft.Syntax;
using Weft.Tests.Aot;

namespace Weft.Tests.Execution;

/// <summary>
/// A module with more immutable reference globals of its own than ModuleCompiler.ConstantFieldLimit keeps them in one
/// array of the instance (InstanceContext.Constants) instead of a field each; numeric, mutable, imported and exported
/// globals are unchanged. The globals read the same in every compilation mode, in constant expressions (later globals,
/// tables, element segments), per instance, and from precompiled code (which keeps fields).
/// </summary>
public class ConstantGlobalsTests
{
    // $c0..$c{n-1}: a chain of structs, each pointing at the one before; four more constants of other reference types.
    private static string Text(int n)
    {
        var t = new StringBuilder();
        t.Append("""
            (module
              (type $pair (struct (field i32) (field (ref null $pair))))
              (type $unary (func (param i32) (result i32)))
              (import "host" "ext" (global $ext externref))
              (import "host" "counter" (global $counter (mut i32)))
              (global $n i32 (i32.const 7))
              (global $m (mut (ref null $pair)) (ref.null $pair))
              (global $exp (export "exp") (ref $pair) (struct.new $pair (i32.const 99) (ref.null $pair)))
              (global $c0 (ref $pair) (struct.new $pair (i32.const 0) (ref.null $pair)))

            """);
        for (int k = 1; k < n; k++) t.Append(CultureInfo.InvariantCulture, $"  (global $c{k} (ref $pair) (struct.new $pair (i32.const {k * 3}) (global.get $c{k - 1})))\n");
        t.Append(CultureInfo.InvariantCulture, $$"""
              (global $f (ref $unary) (ref.func $double))
              (global $x externref (global.get $ext))
              (global $i (ref i31) (ref.i31 (i32.const -5)))
              (global $nul (ref null eq) (ref.null eq))
              (table $t 2 funcref)
              (elem (table $t) (i32.const 0) funcref (item (global.get $f)))
              (elem $e funcref (item (global.get $f)))
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func (export "last") (result i32) (struct.get $pair 0 (global.get $c{{n - 1}})))
              (func (export "mid") (result i32) (struct.get $pair 0 (global.get $c{{n / 2}})))
              (func (export "chain") (result i32) (local $p (ref null $pair)) (local $d i32)
                (local.set $p (global.get $c{{n - 1}}))
                (loop $l
                  (if (i32.eqz (ref.is_null (local.get $p)))
                    (then
                      (local.set $d (i32.add (local.get $d) (i32.const 1)))
                      (local.set $p (struct.get $pair 1 (local.get $p)))
                      (br $l))))
                (local.get $d))
              (func (export "callf") (param i32) (result i32) (call_ref $unary (local.get 0) (global.get $f)))
              (func (export "ext") (result externref) (global.get $x))
              (func (export "i31") (result i32) (i31.get_s (global.get $i)))
              (func (export "nul") (result i32) (ref.is_null (global.get $nul)))
              (func (export "num") (result i32) (global.get $n))
              (func (export "first") (result anyref) (global.get $c0))
              (func (export "setm") (result i32)
                (global.set $m (global.get $c1))
                (ref.eq (global.get $m) (global.get $c1)))
              (func (export "bump") (result i32)
                (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
                (global.get $counter))
              (func (export "table") (param i32) (result i32)
                (table.set $t (i32.const 1) (ref.null func))
                (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 1))
                (i32.add
                  (call_indirect $t (type $unary) (local.get 0) (i32.const 0))
                  (call_indirect $t (type $unary) (local.get 0) (i32.const 1))))
              (func (export "exp_first") (result i32) (struct.get $pair 0 (global.get $exp))))
            """);
        return t.ToString();
    }

    private const int Many = 400;

    private static int CallI32(Instance instance, string name, params WasmValue[] args) => instance.GetFunction(name)!.Invoke(args)[0].AsInt32();

    private static (Instance Instance, Global Counter) Instantiate(Engine engine, Store store, WasmModule module, object ext, Global? counter = null)
    {
        counter ??= new Global(store, new GlobalType(ValType.I32, true), 10);
        var linker = new Linker(engine)
            .Define("host", "ext", new Global(store, new GlobalType(ValType.ExternRef, false), WasmValue.FromReference(ext)))
            .Define("host", "counter", counter);
        return (linker.Instantiate(store, module), counter);
    }

    private static void AssertReadsRight(Instance instance, object ext, int n)
    {
        Assert.Equal((n - 1) * 3, CallI32(instance, "last"));
        Assert.Equal(n / 2 * 3, CallI32(instance, "mid"));
        Assert.Equal(n, CallI32(instance, "chain"));
        Assert.Equal(42, CallI32(instance, "callf", WasmValue.FromInt32(21)));
        Assert.Same(ext, instance.GetFunction("ext")!.Invoke()[0].AsReference());
        Assert.Equal(-5, CallI32(instance, "i31"));
        Assert.Equal(1, CallI32(instance, "nul"));
        Assert.Equal(7, CallI32(instance, "num"));
        Assert.Equal(1, CallI32(instance, "setm"));
        Assert.Equal(24, CallI32(instance, "table", WasmValue.FromInt32(6)));
        Assert.Equal(99, CallI32(instance, "exp_first"));
        // The exported one stays a shared cell that the host reads.
        var exported = Assert.IsAssignableFrom<GcStruct>(instance.GetGlobal("exp")!.Value.AsReference());
        Assert.Equal(99, exported.GetField(0).AsInt32());
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void ManyConstantGlobalsLiveInOneArrayAndReadTheSameInEveryMode(bool lazy, bool tiered)
    {
        using var engine = new Engine(new EngineOptions { LazyCompilation = lazy, TieredCompilation = tiered, Collectible = !tiered });
        var module = WasmModule.FromText(engine, Text(Many));
        using var store = new Store(engine);
        var ext = new object();
        var (instance, counter) = Instantiate(engine, store, module, ext);
        // $c0..$c399, $f, $x, $i, $nul; not $n (numeric), $m (mutable), $exp (exported), the imports.
        Assert.Equal(Many + 4, ((CompiledModule)module.CompiledFor(store.CodeOptions)).ConstantCount);
        AssertReadsRight(instance, ext, Many);
        // Twice, so that lazy code runs its second tier too where it has one.
        for (int i = 0; i < 3 * LazyCompiler.TierUpCalls; i++) Assert.Equal(Many, CallI32(instance, "chain"));
        AssertReadsRight(instance, ext, Many);

        // A mutable imported global stays shared: a second instance sees and changes the same cell.
        var (second, _) = Instantiate(engine, store, module, ext, counter);
        Assert.Equal(11, CallI32(instance, "bump"));
        Assert.Equal(12, CallI32(second, "bump"));
        Assert.Equal(12, counter.Value.AsInt32());
        // Each instance has its own constants: initializers that allocate run per instance.
        var a = instance.GetFunction("first")!.Invoke()[0].AsReference();
        var b = second.GetFunction("first")!.Invoke()[0].AsReference();
        Assert.NotNull(a);
        Assert.NotSame(a, b);
        Assert.Same(a, instance.GetFunction("first")!.Invoke()[0].AsReference());
    }

    [Fact]
    public void AFewConstantGlobalsStayFields()
    {
        using var engine = new Engine();
        var module = WasmModule.FromText(engine, Text(3));
        using var store = new Store(engine);
        var ext = new object();
        var (instance, _) = Instantiate(engine, store, module, ext);
        Assert.Equal(0, ((CompiledModule)module.CompiledFor(store.CodeOptions)).ConstantCount);
        AssertReadsRight(instance, ext, 3);
    }

    // Precompiled code has no GC struct types yet: constants of i31 and function references.
    private static string I31Text(int n)
    {
        var t = new StringBuilder("(module\n  (type $unary (func (param i32) (result i32)))\n");
        for (int k = 0; k < n; k++) t.Append(CultureInfo.InvariantCulture, $"  (global $c{k} (ref i31) (ref.i31 (i32.const {k * 5})))\n");
        t.Append(CultureInfo.InvariantCulture, $$"""
              (global $f (ref $unary) (ref.func $double))
              (elem declare func $double)
              (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
              (func (export "run") (param i32) (result i32)
                (i32.add (i31.get_s (global.get $c{{n - 1}}))
                  (i32.add (i31.get_u (global.get $c1)) (call_ref $unary (local.get 0) (global.get $f))))))
            """);
        return t.ToString();
    }

    [Fact]
    public void PrecompiledCodeOfAModuleWithManyConstantGlobalsKeepsFieldsAndReadsTheSame()
    {
        using var engine = new Engine();
        var jit = WasmModule.FromText(engine, I31Text(Many));
        int expected = ((Many - 1) * 5) + 5 + 42;
        using (var store = new Store(engine))
        {
            Assert.Equal(Many + 1, ((CompiledModule)jit.CompiledFor(store.CodeOptions)).ConstantCount);
            Assert.Equal(expected, CallI32(new Linker(engine).Instantiate(store, jit), "run", WasmValue.FromInt32(21)));
        }
        var entry = PrecompiledModuleTests.LoadInFreshContext(PrecompiledModuleTests.Precompile(jit), out var context);
        try
        {
            var precompiled = WasmModule.FromPrecompiled(engine, entry, jit.ToBinary());
            using var store = new Store(engine);
            Assert.Equal(expected, CallI32(new Linker(engine).Instantiate(store, precompiled), "run", WasmValue.FromInt32(21)));
        }
        finally
        {
            context.Unload();
        }
    }
}
