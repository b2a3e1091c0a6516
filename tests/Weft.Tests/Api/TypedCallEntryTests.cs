using System.Runtime.ExceptionServices;

namespace Weft.Tests.Api;

/// <summary>
/// The typed callers' entry (TypedCallers.cs, Store.TryEnterWasmFast): a fast path for the outermost call from the
/// owner thread that sets the store's Active flag and clears it on the way out, and a general path for everything
/// else. Each test warms a typed delegate up first (thousands of calls, so the fast path is the one running when it
/// matters) and then checks that a slow case still behaves: another thread, a trap, a nested call, deep
/// recursion, fuel and interrupts.
/// </summary>
public sealed class TypedCallEntryTests
{
    private const string Module = """
        (module
          (import "env" "host" (func $host (param i32) (result i32)))
          (global $g (mut i32) (i32.const 0))
          (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
          (func (export "get") (result i32) (global.get $g))
          (func (export "trap") (param i32) (result i32) (if (i32.eq (local.get 0) (i32.const -1)) (then unreachable)) (local.get 0))
          (func (export "viaHost") (param i32) (result i32) (call $host (local.get 0)))
          (func (export "spin") (param i32) (result i32)
            (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (local.get 0)))
        """;

    private const int WarmUp = 20_000;

    private sealed class Setup : IDisposable
    {
        public Setup(Func<int, int> host, Store? store = null)
        {
            Store = store ?? new Store();
            var linker = new Linker().DefineFunction("env", "host", host);
            Instance = linker.Instantiate(Store, WasmModule.FromText(Module));
            Bump = Instance.GetAction("bump")!;
            Get = Instance.GetFunction<int>("get")!;
            Trap = Instance.GetFunction<int, int>("trap")!;
            ViaHost = Instance.GetFunction<int, int>("viaHost")!;
            Spin = Instance.GetFunction<int, int>("spin")!;
        }

        public Store Store { get; }
        public Instance Instance { get; }
        public Action Bump { get; }
        public Func<int> Get { get; }
        public Func<int, int> Trap { get; }
        public Func<int, int> ViaHost { get; }
        public Func<int, int> Spin { get; }

        public void Dispose() => Store.Dispose();
    }

    private static T OnThread<T>(Func<T> work, int stackSize = 0) => Robustness.TestThreads.Run(work, stackSize);

    [Fact]
    public void FastCallsCountAndLeaveTheStoreIdle()
    {
        using var s = new Setup(x => x);
        for (int i = 0; i < WarmUp; i++) s.Bump();
        Assert.Equal(WarmUp, s.Get());
        Assert.False(s.Store.CallActive);
        // An idle store moves to another thread and back.
        Assert.Equal(WarmUp, OnThread(() => s.Get()));
        s.Bump();
        Assert.Equal(WarmUp + 1, s.Get());
    }

    [Fact]
    public void ATrapOnTheFastPathClearsTheFlagSoAnotherThreadMayTakeTheStore()
    {
        using var s = new Setup(x => x);
        for (int i = 0; i < WarmUp; i++) Assert.Equal(0, s.Trap(0));
        for (int i = 0; i < 1_000; i++) Assert.Equal(TrapKind.Unreachable, Assert.Throws<TrapException>(() => s.Trap(-1)).Kind);
        Assert.False(s.Store.CallActive);
        // A flag left set would make every other thread's call a StoreInUseException.
        Assert.Equal(0, OnThread(() => s.Trap(0)));
        Assert.Equal(5, s.Trap(5));
    }

    [Fact]
    public void AnotherThreadIsRefusedWhileAFastCallRunsAndAfterANestedCallReturned()
    {
        Setup? s = null;
        Exception? refusedBefore = null, refusedAfter = null;
        bool activeAfterNested = false;
        s = new Setup(x =>
        {
            if (x != 1) return x;
            refusedBefore = Record(() => OnThread(() => s!.Get()));
            // A nested call through the host enters and leaves without touching the outermost call's flag.
            Assert.Equal(7, s!.Trap(7));
            activeAfterNested = s.Store.CallActive;
            refusedAfter = Record(() => OnThread(() => s.Get()));
            return 2;
        });
        using (s)
        {
            for (int i = 0; i < WarmUp; i++) Assert.Equal(0, s.ViaHost(0));
            Assert.Equal(2, s.ViaHost(1));
            Assert.IsType<StoreInUseException>(refusedBefore);
            Assert.True(activeAfterNested);
            Assert.IsType<StoreInUseException>(refusedAfter);
            Assert.False(s.Store.CallActive);
            Assert.Equal(3, OnThread(() => s.ViaHost(3)));
        }
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public void DeepRecursionThroughTypedCallsTrapsAndTheStoreStaysUsable()
    {
        Setup? s = null;
        s = new Setup(x => x <= 0 ? 0 : s!.ViaHost(x - 1) + 1);
        using (s)
        {
            OnThread(() =>
            {
                for (int i = 0; i < WarmUp; i++) Assert.Equal(3, s.ViaHost(3));
                Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => s.ViaHost(10_000_000)).Kind);
                Assert.False(s.Store.CallActive);
                Assert.Equal(50, s.ViaHost(50));
                return 0;
            }, 1 << 20);
            // Another thread takes the store: the recursion left no call active.
            Assert.Equal(4, s.ViaHost(4));
        }
    }

    [Fact]
    public void FuelAndInterruptsStopTypedCallsAfterWarmUp()
    {
        using var s = new Setup(x => x, new Store { ConsumeFuel = true, Interruptible = true });
        s.Store.Fuel = long.MaxValue / 2;
        for (int i = 0; i < WarmUp; i++) s.Bump();
        s.Store.Fuel = 1_000;
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => s.Spin(1_000_000)).Kind);
        Assert.False(s.Store.CallActive);
        s.Store.Fuel = 10_000_000;
        Assert.Equal(0, s.Spin(1_000));
        s.Store.Interrupt();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => s.Spin(1_000)).Kind);
        Assert.False(s.Store.CallActive);
        s.Store.ClearDeadline();
        Assert.Equal(0, s.Spin(1_000));
    }

    [Fact]
    public void ADisposedStoreRefusesTheWarmDelegate()
    {
        using var s = new Setup(x => x);
        for (int i = 0; i < WarmUp; i++) s.Bump();
        s.Store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Bump());
    }
}
