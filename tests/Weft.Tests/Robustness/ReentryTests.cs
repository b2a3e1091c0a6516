using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Xunit.Abstractions;

namespace Weft.Tests.Robustness;

/// <summary>
/// Host -> wasm -> host -> wasm ... recursion: at any depth, on any thread and stack size, it ends in a "call stack
/// exhausted" trap (never a .NET stack overflow, which kills the process), unwinding costs time linear in the depth,
/// and the store is usable afterwards.
/// </summary>
[Collection(ThreadHeavyCollection.Name)]
public sealed class ReentryTests(ITestOutputHelper output)
{
    // down(n, trap): n levels of wasm calling the host calling wasm again; at the bottom it returns 7, or traps
    // (unreachable) when trap is non-zero.
    private const string Recursive = """
        (module
          (import "host" "reenter" (func $reenter (param i32 i32) (result i32)))
          (func (export "down") (param $n i32) (param $trap i32) (result i32)
            (if (i32.eqz (local.get $n))
              (then
                (if (local.get $trap) (then unreachable))
                (return (i32.const 7))))
            (call $reenter (i32.sub (local.get $n) (i32.const 1)) (local.get $trap))))
        """;

    /// <summary>A store with the recursive module, re-entered through a typed delegate (or Function.Invoke).</summary>
    private sealed class Reentrant : IDisposable
    {
        public Reentrant(StoreLimits? limits = null, bool untyped = false, Func<int, int>? atBottom = null)
        {
            Store = new Store(limits);
            Func<int, int, int>? down = null;
            Function? function = null;
            var linker = new Linker().DefineFunction("host", "reenter", (Func<int, int, int>)((n, trap) =>
            {
                if (n == 0 && atBottom is not null) return atBottom(trap);
                return untyped
                    ? function!.Invoke(WasmValue.FromInt32(n), WasmValue.FromInt32(trap))[0].AsInt32()
                    : down!(n, trap);
            }));
            var instance = linker.Instantiate(Store, WasmModule.FromText(Recursive));
            function = instance.GetFunction("down")!;
            down = instance.GetFunction<int, int, int>("down")!;
            Down = down;
        }

        public Store Store { get; }

        public Func<int, int, int> Down { get; }

        public void Dispose() => Store.Dispose();
    }

    private static T OnThread<T>(int stackSize, Func<T> work) => TestThreads.Run(work, stackSize);

    private static void AssertExhausted(Func<int> call)
    {
        var trap = Assert.Throws<TrapException>(() => call());
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);
    }

    [Fact]
    public void ReentryOnA256KiBThreadTraps()
    {
        OnThread(256 * 1024, () =>
        {
            using var r = new Reentrant();
            AssertExhausted(() => r.Down(100_000, 0));
            AssertExhausted(() => r.Down(100_000, 0));
            Assert.Equal(7, r.Down(20, 0));
            return 0;
        });
    }

    [Fact]
    public void UntypedReentryOnA256KiBThreadTraps()
    {
        OnThread(256 * 1024, () =>
        {
            using var r = new Reentrant(untyped: true);
            AssertExhausted(() => r.Down(100_000, 0));
            Assert.Equal(7, r.Down(20, 0));
            return 0;
        });
    }

    [Fact]
    public void ReentryOnTheTestThreadTraps()
    {
        using var r = new Reentrant();
        AssertExhausted(() => r.Down(100_000, 0));
        Assert.Equal(7, r.Down(1_000, 0));
    }

    [Fact]
    public async Task ReentryOnAThreadPoolThreadTraps()
    {
        using var r = new Reentrant();
        await Task.Run(() =>
        {
            AssertExhausted(() => r.Down(100_000, 0));
            Assert.Equal(7, r.Down(1_000, 0));
        });
        // The store moves to another thread (this one) and is still usable there.
        Assert.Equal(7, r.Down(1_000, 0));
    }

    [Fact]
    public void ReentryWithTheWholeStackAllowedTrapsOnASmallThread()
    {
        // No wasm budget: only the thread's real stack stops the recursion.
        OnThread(256 * 1024, () =>
        {
            using var r = new Reentrant(new StoreLimits { MaxWasmStack = ulong.MaxValue });
            AssertExhausted(() => r.Down(100_000, 0));
            Assert.Equal(7, r.Down(20, 0));
            return 0;
        });
    }

    [Fact]
    public void HostExceptionAtTheBottomIsWrappedOnce()
    {
        using var r = new Reentrant(atBottom: fail => fail != 0 ? throw new InvalidOperationException("deep host failure") : 7);
        var trap = Assert.Throws<TrapException>(() => r.Down(500, 1));
        Assert.Equal(TrapKind.HostError, trap.Kind);
        // Wrapped where it left the host, then passed through the 500 levels above untouched.
        var inner = Assert.IsType<InvalidOperationException>(trap.InnerException);
        Assert.Equal("deep host failure", inner.Message);
        Assert.Equal(7, r.Down(500, 0));
    }

    [Fact]
    public void WasmTrapAtTheBottomReachesTheTopUnchanged()
    {
        using var r = new Reentrant();
        var trap = Assert.Throws<TrapException>(() => r.Down(500, 1));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Null(trap.InnerException);
    }

    [Fact]
    public void HostFunctionCallingItselfThroughWeftTraps()
    {
        // No wasm at all between the levels: the entry of a host function through the API checks the stack too.
        OnThread(256 * 1024, () =>
        {
            Function? self = null;
            using var store = new Store();
            var linker = new Linker().DefineFunction("host", "self", (Func<int, int>)(n => self!.AsFunc<int, int>()(n + 1)));
            var instance = linker.Instantiate(store, WasmModule.FromText("""
                (module (import "host" "self" (func $f (param i32) (result i32))) (export "f" (func $f)))
                """));
            self = instance.GetFunction("f")!;
            AssertExhausted(() => self.AsFunc<int, int>()(0));
            return 0;
        });
    }

    [Fact]
    public void UnwindingCostIsLinearInTheDepth()
    {
        // A 1 GiB thread and no wasm budget, so 100,000 levels fit; the trap at the bottom unwinds them all.
        const int big = 1 << 30;
        var times = OnThread(big, () =>
        {
            using var r = new Reentrant(new StoreLimits { MaxWasmStack = ulong.MaxValue });
            var result = new Dictionary<int, double>();
            foreach (int depth in new[] { 1_000, 10_000, 100_000 })
            {
                double best = double.MaxValue;
                for (int run = 0; run < (depth < 100_000 ? 3 : 2); run++)
                {
                    var clock = Stopwatch.StartNew();
                    var trap = Assert.Throws<TrapException>(() => r.Down(depth, 1));
                    best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                    Assert.Equal(TrapKind.Unreachable, trap.Kind);
                }
                result[depth] = best;
            }
            Assert.Equal(7, r.Down(100_000, 0));
            return result;
        });
        foreach (var (depth, ms) in times) output.WriteLine($"depth {depth}: {ms:F1} ms ({ms * 1e6 / depth:F0} ns per level)");
        // Linear means 10x the depth costs about 10x the time. Compared between 10k and 100k levels: 1k levels
        // unwind several times faster per level (measured 1.3-2 µs against 5-50 µs from 2k on; their stack
        // presumably stays in the caches), so 1k is reported, not compared. Allow 5x for a loaded machine (and 50 ms for noise); quadratic
        // unwinding (the old catch-and-rethrow at every level) costs 100x.
        Assert.True(times[100_000] < 50 * times[10_000] + 50, $"100k levels: {times[100_000]:F1} ms, 10k: {times[10_000]:F1} ms");
        // And absolutely: 100,000 levels unwind in seconds, not hours (2-5 s measured on the loaded 2-core machine,
        // 20-50 µs a level of 4 frames; 20,000 levels took over 200 s before).
        Assert.True(times[100_000] < 60_000, $"100k levels: {times[100_000]:F1} ms");
    }
}
