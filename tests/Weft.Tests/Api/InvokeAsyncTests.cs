namespace Weft.Tests.Api;

/// <summary>Function.InvokeAsync: calls on a big-stack worker, cancellable through the store's interruption.</summary>
public sealed class InvokeAsyncTests
{
    private const string Module = """
        (module
          (func $down (export "down") (param i32) (result i32)
            (local i64 i64 i64 i64 i64 i64 i64 i64)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
          (func (export "spin") (loop $l (br $l)))
          (func (export "trap") (unreachable))
          (func (export "seven") (result i32) (i32.const 7)))
        """;

    private static (Store Store, Instance Instance) Make(bool interruptible = false, ulong maxWasmStack = 4 << 20)
    {
        var store = new Store(new StoreLimits { MaxWasmStack = maxWasmStack }) { Interruptible = interruptible };
        return (store, new Linker().Instantiate(store, WasmModule.FromText(Module)));
    }

    private static Function Export(Instance instance, string name) => (Function)instance.Exports[name];

    [Fact]
    public async Task RecursionTooDeepForAPoolThreadRunsOnTheWorker()
    {
        // A store that lets wasm use more stack than a pool thread has (1.5 MiB on Windows, the OS default of
        // usually 8 MiB elsewhere).
        var (store, instance) = Make(maxWasmStack: 64 << 20);
        using var owner = store;
        var down = Export(instance, "down");
        // The first depth that a thread-pool thread cannot take: at most twice what it can.
        int depth = await Task.Run(() =>
        {
            for (int d = 1024; ; d *= 2)
            {
                try
                {
                    down.Invoke(WasmValue.FromInt32(d));
                }
                catch (TrapException e) when (e.Kind == TrapKind.CallStackExhausted)
                {
                    return d;
                }
                Assert.True(d < 1 << 24, "never exhausted the pool thread's stack");
            }
        });
        var results = await down.InvokeAsync([WasmValue.FromInt32(depth)]);
        Assert.Equal(depth, results[0].AsInt32());
    }

    [Fact]
    public async Task CancellingTheTokenCancelsTheTaskAndTheStoreStaysUsable()
    {
        var (store, instance) = Make(interruptible: true);
        using var owner = store;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var call = Export(instance, "spin").InvokeAsync([], cancel.Token);
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.True(call.IsCanceled);
        Assert.False(store.IsInterrupted);
        Assert.Equal(7, Export(instance, "seven").Invoke()[0].AsInt32());
        Assert.Equal(7, (await Export(instance, "seven").InvokeAsync([]))[0].AsInt32());
    }

    [Fact]
    public async Task ATrapFaultsTheTask()
    {
        var (store, instance) = Make();
        using var owner = store;
        var trap = await Assert.ThrowsAsync<TrapException>(() => Export(instance, "trap").InvokeAsync([]));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal(7, (await Export(instance, "seven").InvokeAsync([]))[0].AsInt32());
    }

    [Fact]
    public void ACancellableTokenNeedsAnInterruptibleStore()
    {
        var (store, instance) = Make();
        using var owner = store;
        using var cancel = new CancellationTokenSource();
        var e = Assert.Throws<InvalidOperationException>(() => { _ = Export(instance, "seven").InvokeAsync([], cancel.Token); });
        Assert.Contains("Interruptible", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenNeverStartsTheCall()
    {
        var (store, instance) = Make(interruptible: true);
        using var owner = store;
        var call = Export(instance, "spin").InvokeAsync([], new CancellationToken(canceled: true));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(call.IsCanceled);
    }

    [Fact]
    public async Task ManyConcurrentCallsOnSeparateStoresAllComplete()
    {
        var calls = Enumerable.Range(0, 32).Select(async i =>
        {
            var (store, instance) = Make();
            using var owner = store;
            return (await Export(instance, "down").InvokeAsync([WasmValue.FromInt32(i * 100)]))[0].AsInt32();
        });
        Assert.Equal(Enumerable.Range(0, 32).Select(i => i * 100), await Task.WhenAll(calls));
    }
}
