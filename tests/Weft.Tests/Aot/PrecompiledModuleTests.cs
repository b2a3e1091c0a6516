using System.Runtime.Loader;
using Weft.Compilation.Aot;

namespace Weft.Tests.Aot;

/// <summary>
/// Ahead-of-time compilation through the public API: a module precompiled into an assembly, the assembly loaded in a
/// fresh AssemblyLoadContext, and the module run from it with the same results as on the JIT path.
/// </summary>
public sealed class PrecompiledModuleTests
{
    // Kept and exported globals, memory and data, a table with call_indirect, a typed host import, several results.
    internal const string Sample = """
        (module
          (import "host" "twice" (func $twice (param i32) (result i32)))
          (memory (export "mem") 1)
          (data (i32.const 16) "weft")
          (global $counter (mut i32) (i32.const 40))
          (global $scale (export "scale") (mut i64) (i64.const 3))
          (global $pi f64 (f64.const 3.25))
          (table 2 funcref)
          (elem (i32.const 0) $inc $twice)
          (type $unary (func (param i32) (result i32)))
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "run") (param i32) (result i32 i64 f64)
            (global.set $counter (i32.add (global.get $counter) (call_indirect (type $unary) (local.get 0) (i32.const 1))))
            (global.get $counter)
            (i64.mul (global.get $scale) (i64.extend_i32_u (i32.load8_u (i32.const 17))))
            (f64.mul (global.get $pi) (f64.convert_i32_s (call_indirect (type $unary) (i32.const 1) (i32.const 0)))))
          (func $fact (export "fact") (param i64 i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
              (else (return_call $fact (i64.sub (local.get 0) (i64.const 1)) (i64.mul (local.get 0) (local.get 1)))))))
        """;

    internal static Type LoadInFreshContext(byte[] assembly, out AssemblyLoadContext context)
    {
        context = new AssemblyLoadContext("precompiled-test", isCollectible: true);
        return context.LoadFromStream(new MemoryStream(assembly)).GetType(WasmModule.PrecompiledEntryTypeName)!;
    }

    internal static byte[] Precompile(WasmModule module, PrecompileOptions? options = null)
    {
        using var output = new MemoryStream();
        module.Precompile(output, options);
        return output.ToArray();
    }

    private static WasmValue[] RunSample(Engine engine, WasmModule module)
    {
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineFunction("host", "twice", (int x) => x * 2);
        var instance = linker.Instantiate(store, module);
        var run = instance.GetFunction("run")!;
        var first = run.Invoke(WasmValue.FromInt32(5));
        var second = run.Invoke(WasmValue.FromInt32(7));
        var fact = instance.GetFunction("fact")!.Invoke(WasmValue.FromInt64(20), WasmValue.FromInt64(1));
        return [.. first, .. second, .. fact, instance.GetGlobal("scale")!.Value];
    }

    [Fact]
    public void SampleRunsTheSameFromAPrecompiledAssemblyInAFreshLoadContext()
    {
        using var engine = new Engine();
        var jit = WasmModule.FromText(engine, Sample);
        var expected = RunSample(engine, jit);
        var entry = LoadInFreshContext(Precompile(jit), out var context);
        try
        {
            var precompiled = WasmModule.FromPrecompiled(engine, entry, jit.ToBinary());
            Assert.IsType<PrecompiledCode>(precompiled.Compiled);
            var actual = RunSample(engine, precompiled);
            Assert.Equal(expected.Select(v => (v.Kind, v.Bits)), actual.Select(v => (v.Kind, v.Bits)));
            // The values themselves, so that equal-but-wrong results cannot pass both paths: 40 + twice(5), ...
            Assert.Equal(50, actual[0].AsInt32());
            Assert.Equal(6.5, actual[2].AsDouble());
            Assert.Equal(64, actual[3].AsInt32());
            Assert.Equal(3L * 'e', actual[1].AsInt64());
            Assert.Equal(2432902008176640000L, actual[6].AsInt64());
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void AStaleAssemblyIsRefusedWithTheHashesOfBoth()
    {
        using var engine = new Engine();
        var module = WasmModule.FromText(engine, Sample);
        var entry = LoadInFreshContext(Precompile(module), out var context);
        try
        {
            var changed = WasmModule.FromText(engine, Sample.Replace("(i32.const 40)", "(i32.const 41)", StringComparison.Ordinal)).ToBinary();
            var e = Assert.Throws<CompilationException>(() => WasmModule.FromPrecompiled(engine, entry, changed));
            Assert.Contains("stale", e.Message);
            Assert.Contains(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(changed)), e.Message);
            // The bytes it was compiled from are accepted.
            Assert.NotNull(WasmModule.FromPrecompiled(engine, entry, module.ToBinary()));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void CodeWrittenByAnotherWeftIsRefused()
    {
        using var engine = new Engine();
        var entry = LoadInFreshContext(Precompile(WasmModule.FromText(engine, Sample)), out var context);
        try
        {
            var parts = (PrecompiledParts)entry.GetMethod(AotFormat.GetPartsMethod)!.Invoke(null, null)!;
            var other = new PrecompiledParts(parts.FormatVersion, "0.0.1+other", parts.OptionFlags, parts.Module, parts.ContextType, parts.Factory,
                parts.EntryPoints, parts.KeptGlobals, parts.SetGlobal, parts.Invokers, parts.HostAdapters);
            var e = Assert.Throws<CompilationException>(() => WasmModule.FromParts(engine, other, "test", default));
            Assert.Contains("precompiled by Weft 0.0.1+other", e.Message);
            Assert.Contains("recompile", e.Message);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void AnAssemblyThatIsNotPrecompiledIsRefused()
    {
        using var engine = new Engine();
        var e = Assert.Throws<CompilationException>(() => WasmModule.FromPrecompiled(engine, typeof(PrecompiledModuleTests).Assembly));
        Assert.Contains("not a Weft precompiled assembly", e.Message);
        Assert.Throws<CompilationException>(() => WasmModule.FromPrecompiled(engine, typeof(string)));
    }

    [Fact]
    public void ModulesWithGcStructTypesAreRefusedClearly()
    {
        using var engine = new Engine();
        var module = WasmModule.FromText(engine, "(module (type $p (struct (field i32))) (func (export \"f\") (result i32) (struct.get $p 0 (struct.new $p (i32.const 7)))))");
        var e = Assert.Throws<CompilationException>(() => Precompile(module));
        Assert.Contains("GC struct types cannot be precompiled", e.Message);
    }

    [Fact]
    public void FuelCodeIsUsedByStoresWithFuel()
    {
        using var engine = new Engine();
        var module = WasmModule.FromText(engine, "(module (func (export \"spin\") (loop (br 0))))");
        var entry = LoadInFreshContext(Precompile(module, new PrecompileOptions { ConsumeFuel = true }), out var context);
        try
        {
            var precompiled = WasmModule.FromPrecompiled(engine, entry);
            Assert.IsType<PrecompiledCode>(precompiled.CompiledFor(AotFormat.Options(consumeFuel: true, interruptible: false)));
            using var store = new Store(engine) { ConsumeFuel = true, Fuel = 1000 };
            var spin = new Linker(engine).Instantiate(store, precompiled).GetFunction("spin")!;
            var trap = Assert.Throws<TrapException>(() => spin.Invoke());
            Assert.Equal(TrapKind.OutOfFuel, trap.Kind);
        }
        finally
        {
            context.Unload();
        }
    }
}
