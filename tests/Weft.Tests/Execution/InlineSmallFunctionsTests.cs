using System.Reflection;
using Weft.Compilation;
using Weft.Compilation.Aot;
using Weft.Runtime;

namespace Weft.Tests.Execution;

/// <summary>
/// EngineOptions.InlineSmallFunctions: tiny functions are marked AggressiveInlining with the option on (without it only
/// safe leaves, which never appear in a backtrace), compute
/// what they compute without it, still trap with their kind and message when inlined, and the option is part of the
/// code options (the compile cache keeps one entry per setting, precompiled flags record it).
/// </summary>
public sealed class InlineSmallFunctionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("weft-inline-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // $step and $mix are tiny (well under 64 bytes); $big is over the threshold (12 adds of
    // 4-byte constants: 75 bytes).
    private const string Hot = """
        (module
          (memory 1)
          (func $step (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 1103515245)) (i32.const 12345)))
          (func $mix (param i32 i32) (result i32) (i32.xor (local.get 0) (i32.shr_u (local.get 1) (i32.const 7))))
          (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func $load (param i32) (result i32) (i32.load (local.get 0)))
          (func $big (param i32) (result i32)
            (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add
              (local.get 0) (i32.const 100000001)) (i32.const 100000002)) (i32.const 100000003)) (i32.const 100000004)) (i32.const 100000005)) (i32.const 100000006))
              (i32.const 100000007)) (i32.const 100000008)) (i32.const 100000009)) (i32.const 100000010)) (i32.const 100000011)) (i32.const 100000012)))
          (func (export "run") (param $n i32) (param $seed i32) (result i32)
            (local $x i32) (local $acc i32) (local $i i32)
            (local.set $x (local.get $seed))
            (block $done (loop $l
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $x (call $step (local.get $x)))
              (local.set $acc (call $mix (local.get $acc) (local.get $x)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
            (call $big (local.get $acc)))
          (func (export "divide") (param i32 i32) (result i32) (i32.add (call $div (local.get 0) (local.get 1)) (i32.const 1)))
          (func (export "load") (param i32) (result i32) (i32.add (call $load (local.get 0)) (i32.const 1))))
        """;

    // What "run" computes, in C#.
    private static int Expected(int n, int seed)
    {
        uint x = (uint)seed, acc = 0;
        for (int i = 0; i < n; i++)
        {
            x = unchecked(x * 1103515245u + 12345u);
            acc ^= x >> 7;
        }
        return unchecked((int)(acc + 1_200_000_078u));
    }

    private static Instance Instantiate(Engine engine, Store store) => new Linker(engine).Instantiate(store, WasmModule.FromText(engine, Hot));

    private static bool Inlined(MethodInfo method) => (method.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) != 0;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 7)]
    [InlineData(100_000, 42)]
    [InlineData(1_000_003, -5)]
    public void TinyFunctionsInAHotLoopComputeTheSameWithTheOptionOnAndOff(int n, int seed)
    {
        using var plain = new Engine();
        using var inlining = new Engine(new EngineOptions { InlineSmallFunctions = true });
        using var plainStore = new Store(plain);
        using var inliningStore = new Store(inlining);
        var off = Instantiate(plain, plainStore);
        var on = Instantiate(inlining, inliningStore);
        int expected = Expected(n, seed);
        Assert.Equal(expected, off.GetFunction<int, int, int>("run")!(n, seed));
        Assert.Equal(expected, on.GetFunction<int, int, int>("run")!(n, seed));
    }

    [Fact]
    public void OnlyTheOptionMarksSmallFunctionsAndTheCodeOptionsDiffer()
    {
        using var plain = new Engine();
        using var inlining = new Engine(new EngineOptions { InlineSmallFunctions = true });
        using var plainStore = new Store(plain);
        using var inliningStore = new Store(inlining);
        Assert.False(plainStore.CodeOptions.InlineSmallFunctions);
        Assert.True(inliningStore.CodeOptions.InlineSmallFunctions);
        Assert.NotEqual(plainStore.CodeOptions, inliningStore.CodeOptions);

        var off = Instantiate(plain, plainStore);
        var on = Instantiate(inlining, inliningStore);
        Assert.Equal(Expected(10, 3), on.GetFunction<int, int, int>("run")!(10, 3));
        var onCode = Assert.IsType<CompiledModule>(on.Module.CompiledFor(inliningStore.CodeOptions));
        var offCode = Assert.IsType<CompiledModule>(off.Module.CompiledFor(plainStore.CodeOptions));
        Assert.True(Inlined(Find(onCode, "step")));
        Assert.True(Inlined(Find(onCode, "div")));
        Assert.False(Inlined(Find(onCode, "big")));
        // Without the option only safe leaves are marked (LeafFunctions: no calls, no traps): $step and $mix, not the
        // trapping $div and $load nor $big (over the size limit).
        Assert.All(["step", "mix"], name => Assert.True(Inlined(Find(offCode, name))));
        Assert.All(["div", "load", "big"], name => Assert.False(Inlined(Find(offCode, name))));

        // One module, two option sets: two compilations, not one reused for the other.
        var module = WasmModule.FromText(inlining, Hot);
        var withOption = module.CompiledFor(inliningStore.CodeOptions);
        var without = module.CompiledFor(plainStore.CodeOptions);
        Assert.NotSame(withOption, without);
        Assert.True(Inlined(Find(Assert.IsType<CompiledModule>(withOption), "div")));
        Assert.False(Inlined(Find(Assert.IsType<CompiledModule>(without), "div")));
    }

    private static MethodInfo Find(CompiledModule code, string name) =>
        code.CodeTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Single(m => m.Name.StartsWith(name + "$", StringComparison.Ordinal));

    [Fact]
    public void ATrapInsideAnInlinedFunctionKeepsItsKindAndMessage()
    {
        using var inlining = new Engine(new EngineOptions { InlineSmallFunctions = true });
        using var store = new Store(inlining);
        var instance = Instantiate(inlining, store);
        var divide = instance.GetFunction<int, int, int>("divide")!;
        var load = instance.GetFunction<int, int>("load")!;
        // Warm the callers so that the JIT has compiled them with the callee inlined, then trap from inside it.
        for (int i = 1; i < 1000; i++) Assert.Equal(1000 / i + 1, divide(1000, i));
        var zero = Assert.Throws<TrapException>(() => divide(1, 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, zero.Kind);
        Assert.Equal("integer divide by zero", zero.Message);
        var overflow = Assert.Throws<TrapException>(() => divide(int.MinValue, -1));
        Assert.Equal(TrapKind.IntegerOverflow, overflow.Kind);
        Assert.Equal("integer overflow", overflow.Message);
        Assert.Equal(1, load(0));
        var bounds = Assert.Throws<TrapException>(() => load(65536));
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, bounds.Kind);
        Assert.Equal("out of bounds memory access", bounds.Message);
        // The store is still usable after the traps.
        Assert.Equal(Expected(1000, 9), instance.GetFunction<int, int, int>("run")!(1000, 9));
    }

    [Fact]
    public void TheCompileCacheKeepsOneEntryPerSettingAndPrecompiledFlagsRecordIt()
    {
        var inlineOptions = CodeOptions.Default with { InlineSmallFunctions = true };
        Assert.Equal(inlineOptions, AotFormat.Options(AotFormat.Flags(inlineOptions)));
        Assert.Equal(CodeOptions.Default, AotFormat.Options(AotFormat.Flags(CodeOptions.Default)));
        byte[] bytes = WasmModule.FromText(Hot).ToBinary();
        Assert.NotEqual(CompileCache.Key(bytes, CodeOptions.Default), CompileCache.Key(bytes, inlineOptions));

        foreach (bool inline in new[] { false, true, false, true })
        {
            using var engine = new Engine(new EngineOptions { CacheDirectory = _directory, InlineSmallFunctions = inline });
            using var store = new Store(engine);
            var instance = Instantiate(engine, store);
            Assert.Equal(Expected(500, 11), instance.GetFunction<int, int, int>("run")!(500, 11));
            Assert.Equal(TrapKind.IntegerDivideByZero, Assert.Throws<TrapException>(() => instance.GetFunction<int, int, int>("divide")!(1, 0)).Kind);
        }
        Assert.Equal(2, Directory.GetFiles(_directory, "*.weftaot").Length);
    }
}
