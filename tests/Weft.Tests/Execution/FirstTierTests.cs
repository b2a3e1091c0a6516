using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// The first tier of lazy code (LazyCompiler.FirstTier): a function without loops is first compiled unoptimized and,
/// after LazyCompiler.TierUpCalls calls through its stub, again optimized; functions with loops are optimized at once.
/// Results, traps, backtraces, fuel and interrupts are the same in both tiers, and the swap is safe while other
/// threads call the function.
/// </summary>
public class FirstTierTests
{
    // Defined function indices: 0 leaf, 1 hot, 2 looped, 3 down.
    private const string Text = """
        (module
          (func $leaf (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
          (func $hot (export "hot") (param i32) (result i32) (i32.xor (call $leaf (local.get 0)) (i32.const 5)))
          (func $looped (export "looped") (param i32) (result i32) (local $s i32)
            (loop $l (local.set $s (i32.add (local.get $s) (local.get 0)))
              (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (local.get $s))
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (local.get 0)
              (then (call $down (i32.sub (local.get 0) (i32.const 1))))
              (else (i32.const 0)))))
        """;

    private static int Hot(int x) => ((x * 3) + 1) ^ 5;

    private static LazyCompiler LazyOf(WasmModule module, Store store) =>
        ((CompiledModule)module.CompiledFor(store.CodeOptions)).Lazy ?? throw new InvalidOperationException("not lazy");

    private static int Call(Instance instance, string name, int argument) =>
        instance.GetFunction(name)!.Invoke(WasmValue.FromInt32(argument))[0].AsInt32();

    private static Engine LazyEngine() => new(new EngineOptions { LazyCompilation = true });

    [Fact]
    public void AHotFunctionIsCompiledAgainOptimizedAndGivesTheSameResults()
    {
        var engine = LazyEngine();
        var module = WasmModule.FromText(engine, Text);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        Assert.True(lazy.FirstTier);

        Assert.Equal(Hot(7), Call(instance, "hot", 7));
        Assert.False(lazy.IsOptimized(1));
        Assert.False(lazy.IsOptimized(0));
        Assert.Equal(0, lazy.TieredUpFunctions);

        for (int i = 0; i < 4 * LazyCompiler.TierUpCalls; i++) Assert.Equal(Hot(i), Call(instance, "hot", i));
        Assert.True(lazy.IsOptimized(1));
        // leaf ran in the first tier and is called by hot directly: compiled optimized in hot's tier-up batch.
        Assert.True(lazy.IsOptimized(0));
        Assert.True(lazy.TieredUpFunctions >= 1);
        Assert.Equal(Hot(-12345), Call(instance, "hot", -12345));
        // A later instance's function objects start at the optimized code.
        Assert.Equal(Hot(3), Call(new Linker(engine).Instantiate(store, module), "hot", 3));
    }

    [Fact]
    public void AFunctionWithALoopIsOptimizedAtItsFirstCall()
    {
        var engine = LazyEngine();
        var module = WasmModule.FromText(engine, Text);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        Assert.Equal(55, Call(instance, "looped", 10));
        Assert.True(lazy.IsOptimized(2));
        Assert.Equal(0, lazy.TieredUpFunctions);
    }

    [Fact]
    public void TrapsAndBacktracesAreTheSameInBothTiers()
    {
        var engine = LazyEngine();
        var module = WasmModule.FromText(engine, """
            (module
              (func $boom (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
              (func $via (export "via") (param i32) (result i32) (i32.add (call $boom (local.get 0)) (i32.const 1))))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        bool sawFirstTier = false;
        for (int i = 0; i < 3 * LazyCompiler.TierUpCalls; i++)
        {
            sawFirstTier |= !lazy.IsOptimized(1);
            var e = Assert.Throws<TrapException>(() => Call(instance, "via", 0));
            Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
            Assert.Equal("boom via", string.Join(" ", e.Frames.Select(f => f.FunctionName)));
            Assert.Equal(2, Call(instance, "via", 1));
        }
        Assert.True(sawFirstTier);
        Assert.True(lazy.IsOptimized(1));
    }

    [Fact]
    public void FuelIsSpentTheSameInBothTiersAndRunsOut()
    {
        var engine = LazyEngine();
        var module = WasmModule.FromText(engine, Text);
        using var store = new Store(engine) { ConsumeFuel = true };
        store.Fuel = 1_000_000;
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        long before = store.Fuel;
        Assert.Equal(0, Call(instance, "down", 10));
        long perCall = before - store.Fuel;
        Assert.True(perCall >= 11, $"one unit per entry at least: {perCall}");
        Assert.False(lazy.IsOptimized(3));
        for (int i = 0; i < 2 * LazyCompiler.TierUpCalls; i++)
        {
            before = store.Fuel;
            Assert.Equal(0, Call(instance, "down", 10));
            Assert.Equal(perCall, before - store.Fuel);
        }
        Assert.True(lazy.IsOptimized(3));
        store.Fuel = 5;
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => Call(instance, "down", 100)).Kind);
    }

    [Fact]
    public void AnInterruptStopsFirstTierCode()
    {
        var engine = LazyEngine();
        var module = WasmModule.FromText(engine, Text);
        using var store = new Store(engine) { Interruptible = true };
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        Assert.Equal(0, Call(instance, "down", 3));
        Assert.False(lazy.IsOptimized(3));
        store.Interrupt();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => Call(instance, "down", 1000)).Kind);
        Assert.False(lazy.IsOptimized(3));
    }

    [Fact]
    public void CallsOnOtherThreadsDuringTheTierUpGetTheRightResults()
    {
        for (int round = 0; round < 3; round++)
        {
            var engine = LazyEngine();
            var module = WasmModule.FromText(engine, Text);
            ConcurrentThreads.Run(3, (t, start) =>
            {
                using var store = new Store(engine);
                var instance = new Linker(engine).Instantiate(store, module);
                start.SignalAndWait();
                for (int i = 0; i < 20 * LazyCompiler.TierUpCalls; i++)
                {
                    int x = (t * 100_000) + i;
                    Assert.Equal(Hot(x), Call(instance, "hot", x));
                    if (i % 7 == 0) Assert.Equal(0, Call(instance, "down", i % 50));
                }
            });
            using var check = new Store(engine);
            var lazy = LazyOf(module, check);
            Assert.True(lazy.IsOptimized(0) && lazy.IsOptimized(1) && lazy.IsOptimized(3));
        }
    }
}
