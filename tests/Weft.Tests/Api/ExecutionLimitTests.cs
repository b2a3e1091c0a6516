namespace Weft.Tests.Api;

/// <summary>Fuel, deadlines, cancellation and store limits stop wasm with a trap, never the host.</summary>
public sealed class ExecutionLimitTests
{
    private const string Loops = """
        (module
          (func (export "spin") (loop $l (br $l)))
          (func (export "count") (param i32) (result i32) (local i32)
            (block $done (loop $l
              (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br $l)))
            (local.get 1)))
        """;

    [Fact]
    public void FuelRunsOutWithATrapAndCanBeRefilled()
    {
        using var store = new Store { ConsumeFuel = true };
        var instance = new Linker().Instantiate(store, WasmModule.FromText(Loops));
        store.Fuel = 1_000;
        var count = instance.GetFunction<int, int>("count")!;
        Assert.Equal(100, count(100));
        long left = store.Fuel;
        Assert.InRange(left, 1, 1_000 - 100);
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("spin")!());
        Assert.Equal(TrapKind.OutOfFuel, trap.Kind);
        Assert.Equal(0, store.Fuel);
        store.Fuel = 500;
        Assert.Equal(10, count(10));
    }

    [Fact]
    public void StoresWithoutFuelRefuseFuelAndCompileNoChecks()
    {
        using var store = new Store();
        Assert.Throws<InvalidOperationException>(() => store.Fuel = 10);
        Assert.Throws<InvalidOperationException>(() => store.SetDeadline(TimeSpan.FromSeconds(1)));
        var module = WasmModule.FromText(Loops);
        var plain = new Linker().Instantiate(store, module);
        using var fueled = new Store { ConsumeFuel = true };
        fueled.Fuel = 1_000_000;
        var checkedInstance = new Linker().Instantiate(fueled, module);
        Assert.Equal(1000, plain.GetFunction<int, int>("count")!(1000));
        Assert.Equal(1000, checkedInstance.GetFunction<int, int>("count")!(1000));
        Assert.NotSame(module.Compiled, module.CompiledFor(fueled.CodeOptions));
        Assert.Same(module.CompiledFor(fueled.CodeOptions), module.CompiledFor(fueled.CodeOptions));
    }

    [Fact]
    public void TieredStoresRunTheirOwnNonCollectibleCopy()
    {
        var module = WasmModule.FromText(Loops);
        using var tiered = new Store { TieredCompilation = true, ConsumeFuel = true };
        tiered.Fuel = 1_000_000;
        var instance = new Linker().Instantiate(tiered, module);
        Assert.Equal(1000, instance.GetFunction<int, int>("count")!(1000));
        var code = (Weft.Compilation.CompiledModule)module.CompiledFor(tiered.CodeOptions);
        Assert.NotSame(module.Compiled, code);
        Assert.False(code.ContextType.Assembly.IsCollectible);
        Assert.True(((Weft.Compilation.CompiledModule)module.Compiled).ContextType.Assembly.IsCollectible);
        Assert.True(tiered.Fuel < 1_000_000); // the tiered copy still has the store's other options compiled in
    }

    [Fact]
    public void ADeadlineStopsAnInfiniteLoop()
    {
        using var store = new Store { Interruptible = true };
        var spin = new Linker().Instantiate(store, WasmModule.FromText(Loops)).GetAction("spin")!;
        store.SetDeadline(TimeSpan.FromMilliseconds(50));
        var trap = Assert.Throws<TrapException>(() => spin());
        Assert.Equal(TrapKind.Interrupted, trap.Kind);
        Assert.True(store.IsInterrupted);
        store.ClearDeadline();
        Assert.False(store.IsInterrupted);
    }

    [Fact]
    public void CancellationStopsRecursionAndLoops()
    {
        using var store = new Store { Interruptible = true };
        var instance = new Linker().Instantiate(store, WasmModule.FromText("""
            (module (func $f (export "f") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $f (i32.sub (local.get 0) (i32.const 1)))))))
            """));
        using var cts = new CancellationTokenSource();
        store.SetDeadline(cts.Token);
        var f = instance.GetFunction<int, int>("f")!;
        Assert.Equal(0, f(1000));
        cts.Cancel();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => f(1000)).Kind);
    }

    [Fact]
    public void InterruptFromAnotherThreadStopsWasm()
    {
        using var store = new Store { Interruptible = true };
        var linker = new Linker();
        var started = new ManualResetEventSlim();
        linker.Define("env", "started", () => started.Set());
        var spin = linker.Instantiate(store, WasmModule.FromText("""
            (module (import "env" "started" (func $s)) (func (export "spin") (call $s) (loop $l (br $l))))
            """)).GetAction("spin")!;
        var interrupter = new Thread(() =>
        {
            started.Wait();
            store.Interrupt();
        });
        interrupter.Start();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => spin()).Kind);
        interrupter.Join();
    }

    [Fact]
    public void StoreLimitsCapMemoryTablesAndInstances()
    {
        using var store = new Store(new StoreLimits { MaxMemoryBytes = 2 * 65536, MaxTableElements = 10, MaxInstances = 1 });
        var instance = new Linker().Instantiate(store, WasmModule.FromText("""
            (module (memory (export "m") 1) (table (export "t") 1 funcref)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """));
        var grow = instance.GetFunction<int, int>("grow")!;
        Assert.Equal(1, grow(1));
        Assert.Equal(-1, grow(1));
        Assert.Equal(-1, instance.GetFunction<int, int>("tgrow")!(10));
        Assert.Equal(1, instance.GetFunction<int, int>("tgrow")!(9));
        Assert.Throws<LinkException>(() => new Linker().Instantiate(store, WasmModule.FromText("(module)")));
    }
}
