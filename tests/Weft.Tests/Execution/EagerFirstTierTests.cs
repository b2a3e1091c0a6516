using System.Reflection;
using System.Text;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Start-only code in the default (eager) mode (RunOnceFunctions): the start function and the loop-free functions only
/// it reaches, that nothing can reference, are compiled without optimization (their methods are NoOptimization); every
/// other function is compiled as before. Results, traps and backtraces are unchanged. In lazy mode the same functions
/// stay in the first tier however often the start function calls them.
/// </summary>
public class EagerFirstTierTests
{
    // Defined function indices: 0 start, 1 init, 2 helper (run once); 3 shared, 4 looped, 5 rec, 6 tabled, 7 exported,
    // 8 underLoop, 9 mutualA, 10 mutualB (not: called from outside, a loop, recursion, referenced).
    private const string Text = """
        (module
          (global $g (mut i32) (i32.const 0))
          (table 1 funcref)
          (elem (i32.const 0) $tabled)
          (func $start
            (call $init) (call $init) (call $shared) (call $looped) (call $rec (i32.const 3)) (call $tabled)
            (drop (call $exported)) (call $mutualA (i32.const 2)))
          (func $init (global.set $g (i32.add (i32.mul (global.get $g) (i32.const 10)) (call $helper (i32.const 4)))))
          (func $helper (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func $shared (global.set $g (i32.add (global.get $g) (i32.const 100))))
          (func $looped (local $i i32)
            (loop $l (call $underLoop) (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))))
          (func $rec (param i32)
            (if (local.get 0) (then (call $rec (i32.sub (local.get 0) (i32.const 1))))
              (else (global.set $g (i32.add (global.get $g) (i32.const 1000))))))
          (func $tabled (global.set $g (i32.add (global.get $g) (i32.const 10000))))
          (func $exported (export "get") (result i32) (call $shared) (global.get $g))
          (func $underLoop (global.set $g (i32.add (global.get $g) (i32.const 1))))
          (func $mutualA (param i32) (if (local.get 0) (then (call $mutualB (i32.sub (local.get 0) (i32.const 1))))))
          (func $mutualB (param i32) (call $mutualA (local.get 0)))
          (start $start))
        """;

    private static CompiledModule CodeOf(WasmModule module, Store store) => (CompiledModule)module.CompiledFor(store.CodeOptions);

    private static bool Unoptimized(CompiledModule code, int defined) =>
        (code.ImplementationFlags(defined) & MethodImplAttributes.NoOptimization) != 0;

    [Fact]
    public void OnlyTheStartFunctionAndWhatOnlyItReachesAreCompiledWithoutOptimization()
    {
        Assert.True(RunOnceFunctions.Enabled);
        var engine = new Engine();
        var module = WasmModule.FromText(engine, Text);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var code = CodeOf(module, store);
        Assert.Null(code.Lazy);
        Assert.Equal([true, true, true, false, false, false, false, false, false, false, false], code.RunOnce!);
        for (int f = 0; f < 11; f++) Assert.Equal(f <= 2, Unoptimized(code, f));
        // 55 (init twice) + 100 + 3 + 1000 + 10000 + 100 (exported's shared), then the host's call: + 100.
        Assert.Equal(11358, instance.GetFunction("get")!.Invoke()[0].AsInt32());
        // A second instance runs the start function (and its unoptimized code) again.
        Assert.Equal(11358, new Linker(engine).Instantiate(store, module).GetFunction("get")!.Invoke()[0].AsInt32());
    }

    [Fact]
    public void AStartFunctionThatAFunctionCallsIsNotRunOnce()
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, """
            (module
              (global $g (mut i32) (i32.const 0))
              (func $start (call $init))
              (func $init (global.set $g (i32.add (global.get $g) (i32.const 1))))
              (func (export "again") (result i32) (call $start) (global.get $g))
              (start $start))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var code = CodeOf(module, store);
        Assert.Null(code.RunOnce);
        Assert.False(Unoptimized(code, 0));
        Assert.Equal(2, instance.GetFunction("again")!.Invoke()[0].AsInt32());
    }

    [Fact]
    public void ATrapInRunOnceCodeFailsTheInstantiationWithItsKindAndBacktrace()
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, """
            (module
              (global $d (mut i32) (i32.const 0))
              (func $start (call $init))
              (func $init (drop (call $boom (i32.const 7))))
              (func $boom (param i32) (result i32) (i32.div_s (local.get 0) (global.get $d)))
              (start $start))
            """);
        using var store = new Store(engine);
        var e = Assert.Throws<TrapException>(() => new Linker(engine).Instantiate(store, module));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
        Assert.Equal(["boom", "init", "start"], e.Frames.Select(f => f.FunctionName).Take(3));
        var code = CodeOf(module, store);
        Assert.Equal([true, true, true], code.RunOnce!);
        Assert.True(Unoptimized(code, 2));
    }

    [Fact]
    public void ALoopInTheStartFunctionLeavesEverythingOptimized()
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, """
            (module
              (global $g (mut i32) (i32.const 0))
              (func $start (local $i i32)
                (loop $l (call $init) (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 5)))))
              (func $init (global.set $g (i32.add (global.get $g) (i32.const 2))))
              (func (export "get") (result i32) (global.get $g))
              (start $start))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        Assert.Null(CodeOf(module, store).RunOnce);
        Assert.Equal(10, instance.GetFunction("get")!.Invoke()[0].AsInt32());
    }

    [Fact]
    public void LazyCodeKeepsRunOnceFunctionsInTheFirstTier()
    {
        // The start function calls its helper more often than the tier-up threshold, without a loop.
        int calls = 2 * LazyCompiler.TierUpCalls + 5;
        var text = new StringBuilder("(module (global $g (mut i32) (i32.const 0)) (func $start");
        for (int i = 0; i < calls; i++) text.Append(" (call $helper)");
        text.Append(") (func $helper (global.set $g (i32.add (global.get $g) (i32.const 3)))) (func (export \"get\") (result i32) (global.get $g)) (start $start))");
        var engine = new Engine(new EngineOptions { LazyCompilation = true });
        var module = WasmModule.FromText(engine, text.ToString());
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var code = CodeOf(module, store);
        var lazy = code.Lazy!;
        Assert.Equal([true, true, false], code.RunOnce!);
        Assert.Equal(3 * calls, instance.GetFunction("get")!.Invoke()[0].AsInt32());
        if (!lazy.FirstTier) return;
        Assert.False(lazy.IsOptimized(1));
        Assert.Equal(0, lazy.TieredUpFunctions);
    }
}
