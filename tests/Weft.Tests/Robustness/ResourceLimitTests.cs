using System.Diagnostics;
using System.Text;

namespace Weft.Tests.Robustness;

/// <summary>
/// Limits that hold against a guest that allocates or does bulk work: the GC allocation budget, fuel charged by the
/// length of bulk instructions, and deadlines that stop a multi-gigabyte instruction part-way. Several tests bound how
/// soon a deadline stops work, so the class runs alone in the timing collection (under the parallel tests' load one
/// such bound was missed once: 1,332 ms against 1,000).
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class ResourceLimitTests
{
    // (struct i32 i64): 24 + 4 + 8 = 36, rounded up to 40 bytes.
    private const long PairBytes = 40;

    private const string Allocator = """
        (module
          (type $pair (struct (field i32) (field i64)))
          (type $longs (array (mut i64)))
          (global $count (export "count") (mut i32) (i32.const 0))
          (func (export "structs") (param $n i32)
            (loop $l
              (drop (struct.new $pair (local.get $n) (i64.const 7)))
              (global.set $count (i32.add (global.get $count) (i32.const 1)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func (export "longs") (param i32) (result i32)
            (array.len (array.new_default $longs (local.get 0))))
          (func (export "filled") (param i32) (result i32)
            (array.len (array.new $longs (i64.const -1) (local.get 0)))))
        """;

    private static Instance Instantiate(Store store, string text) => new Linker().Instantiate(store, WasmModule.FromText(text));

    [Fact]
    public void StructNewInALoopStopsAtTheBudgetAndTheStoreStaysUsable()
    {
        using var store = new Store(new StoreLimits { MaxGcAllocatedBytes = 1 << 20 });
        var instance = Instantiate(store, Allocator);
        var structs = instance.GetAction<int>("structs")!;
        var trap = Assert.Throws<TrapException>(() => structs(50_000_000));
        Assert.Equal(TrapKind.GcAllocationLimitExceeded, trap.Kind);
        Assert.Equal("GC allocation limit exceeded", trap.Reason);
        // Deterministic: exactly as many structs as the budget holds were made, and the rest of the budget is left.
        long made = instance.GetGlobal("count")!.Value.AsInt32();
        Assert.Equal((1 << 20) / PairBytes, made);
        Assert.Equal((1 << 20) - made * PairBytes, store.GcAllocationBudget);

        // The host refills the budget, as it refills fuel, and the same store goes on.
        store.GcAllocationBudget = 10 * PairBytes;
        structs(10);
        Assert.Equal(0, store.GcAllocationBudget);
        Assert.Equal(TrapKind.GcAllocationLimitExceeded, Assert.Throws<TrapException>(() => structs(1)).Kind);
    }

    [Fact]
    public void OneHugeArrayNewTrapsAtOnceWithoutAllocating()
    {
        const long budget = 64 << 20;
        using var store = new Store(new StoreLimits { MaxGcAllocatedBytes = budget });
        var instance = Instantiate(store, Allocator);
        var longs = instance.GetFunction<int, int>("longs")!;
        var filled = instance.GetFunction<int, int>("filled")!;
        Assert.Equal(10, longs(10)); // compiled and warm
        Assert.Equal(budget - (64 + 80), store.GcAllocationBudget);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Assert.Equal(TrapKind.GcAllocationLimitExceeded, Assert.Throws<TrapException>(() => longs(1 << 29)).Kind);
        Assert.Equal(TrapKind.GcAllocationLimitExceeded, Assert.Throws<TrapException>(() => filled(1 << 29)).Kind);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"the traps allocated {allocated} bytes"); // 4 GiB each without the check
        Assert.True(clock.ElapsedMilliseconds < 2_000, $"took {clock.ElapsedMilliseconds} ms");
        // A failed allocation charges nothing, so smaller ones still fit.
        Assert.Equal(budget - (64 + 80), store.GcAllocationBudget);
        Assert.Equal(1000, filled(1000));
        Assert.Equal(budget - (64 + 80) - (64 + 8000), store.GcAllocationBudget);
    }

    [Fact]
    public void EveryAllocatingInstructionIsChargedItsDocumentedSize()
    {
        using var store = new Store(new StoreLimits { MaxGcAllocatedBytes = 1 << 20 });
        var instance = Instantiate(store, """
            (module
              (type $ints (array i32))
              (type $shorts (array i16))
              (type $funcs (array funcref))
              (type $bytes (array (mut i8)))
              (type $point (struct (field f64) (field f64) (field i8)))
              (type $vec (struct (field v128) (field anyref)))
              ;; constant expressions allocate at instantiation: 64 + 100 * 4 = 464, and a struct (40 -> 40)
              (global $table (ref $ints) (array.new_default $ints (i32.const 100)))
              (global $origin (ref $point) (struct.new_default $point))
              (data $d "0123456789abcdefghij")
              (elem $e func $f $f)
              (func $f)
              (func (export "fixed") (drop (array.new_fixed $ints 3 (i32.const 1) (i32.const 2) (i32.const 3))))
              (func (export "data") (drop (array.new_data $shorts $d (i32.const 0) (i32.const 10))))
              (func (export "elem") (drop (array.new_elem $funcs $e (i32.const 0) (i32.const 2))))
              (func (export "bytes") (drop (array.new $bytes (i32.const 1) (i32.const 3))))
              (func (export "point") (drop (struct.new $point (f64.const 1) (f64.const 2) (i32.const 3))))
              (func (export "vec") (drop (struct.new_default $vec)))
              (func (export "i31") (param i32) (drop (ref.i31 (local.get 0)))))
            """);
        long left = 1 << 20;
        void Costs(long bytes, Action run)
        {
            run();
            left -= bytes;
            Assert.Equal(left, store.GcAllocationBudget);
        }
        Costs(464 + 48, () => { });                                 // globals: 64 + 400; 24 + 8 + 8 + 1 = 41 -> 48
        Costs(64 + 12 + 4, instance.GetAction("fixed")!);           // 76 -> 80
        Costs(64 + 20 + 4, instance.GetAction("data")!);            // 84 -> 88
        Costs(64 + 16, instance.GetAction("elem")!);                // 80
        Costs(64 + 3 + 5, instance.GetAction("bytes")!);            // 67 -> 72
        Costs(48, instance.GetAction("point")!);
        Costs(48, instance.GetAction("vec")!);                      // 24 + 16 + 8
        Costs(0, () => instance.GetAction<int>("i31")!(5));         // a cached i31 allocates nothing
        Costs(24, () => instance.GetAction<int>("i31")!(1 << 20));
    }

    [Fact]
    public void TheEstimateIsCloseToWhatDotNetAllocates()
    {
        using var store = new Store(new StoreLimits { MaxGcAllocatedBytes = 1L << 40 });
        var instance = Instantiate(store, """
            (module
              (type $pair (struct (field i32) (field i64)))
              (type $ints (array (mut i32)))
              (global $keep (mut anyref) (ref.null any))
              (func (export "run") (param $n i32)
                (loop $l
                  ;; kept in a global so that .NET cannot allocate them on the stack
                  (global.set $keep (struct.new $pair (local.get $n) (i64.const 7)))
                  (global.set $keep (array.new_default $ints (i32.and (local.get $n) (i32.const 63))))
                  (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
            """);
        var run = instance.GetAction<int>("run")!;
        run(10);
        long budgetBefore = store.GcAllocationBudget;
        long before = GC.GetAllocatedBytesForCurrentThread();
        run(100_000);
        double actual = GC.GetAllocatedBytesForCurrentThread() - before;
        double charged = budgetBefore - store.GcAllocationBudget;
        Assert.InRange(actual / charged, 0.8, 1.25);
    }

    [Fact]
    public void ArraysTooLargeForDotNetAreTrapsInEveryStore()
    {
        const string module = """
            (module
              (type $bytes (array i8))
              (type $vectors (array v128))
              (func (export "bytes") (param i32) (result i32) (array.len (array.new_default $bytes (local.get 0))))
              (func (export "vectors") (param i32) (result i32) (array.len (array.new_default $vectors (local.get 0)))))
            """;
        foreach (var store in new[] { new Store(), new Store { Interruptible = true } })
        {
            using (store)
            {
                var instance = Instantiate(store, module);
                // 4 GiB - 1 elements: more than a .NET array may hold.
                Assert.Equal(TrapKind.ArrayTooLarge, Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("bytes")!(-1)).Kind);
                Assert.Equal(TrapKind.ArrayTooLarge, Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("vectors")!(-1)).Kind);
            }
        }
    }

    [Fact]
    public void ConstantExpressionsAreChargedAndWatchTheDeadlineButSpendNoFuel()
    {
        static string WithGlobal(int length) => $$"""
            (module (type $longs (array i64))
              (global (export "g") (ref $longs) (array.new $longs (i64.const -1) (i32.const {{length}}))))
            """;
        // No fuel yet, as hosts often instantiate first: a small array in a global still instantiates.
        using (var fueled = new Store { ConsumeFuel = true })
        {
            var array = (GcArray)Instantiate(fueled, WithGlobal(1000)).GetGlobal("g")!.Value.AsReference()!;
            Assert.Equal(-1L, array.GetElement(999).AsInt64());
        }
        using (var limited = new Store(new StoreLimits { MaxGcAllocatedBytes = 1 << 20 }))
        {
            var trap = Assert.Throws<TrapException>(() => Instantiate(limited, WithGlobal(1 << 28)));
            Assert.Equal(TrapKind.GcAllocationLimitExceeded, trap.Kind);
            Assert.Equal(1 << 20, limited.GcAllocationBudget);
        }
        // 2 GiB written in pieces: a deadline stops the instantiation part-way.
        using var interruptible = new Store { Interruptible = true };
        TrapsOnDeadline(interruptible, () => Instantiate(interruptible, WithGlobal(1 << 28)));
    }

    [Fact]
    public void StoresWithoutABudgetRefuseItAndCompileNoCounting()
    {
        using var plain = new Store();
        Assert.Throws<InvalidOperationException>(() => plain.GcAllocationBudget);
        Assert.Throws<InvalidOperationException>(() => plain.GcAllocationBudget = 1);
        Assert.False(plain.CodeOptions.LimitGcAllocations);
        Assert.False(plain.CodeOptions.MetersBulkWork);
        using var limited = new Store(new StoreLimits { MaxGcAllocatedBytes = 100 });
        Assert.True(limited.CodeOptions.LimitGcAllocations);
        Assert.Throws<ArgumentOutOfRangeException>(() => limited.GcAllocationBudget = -1);
        var module = WasmModule.FromText(Allocator);
        Assert.NotSame(module.Compiled, module.CompiledFor(limited.CodeOptions));
        // The unlimited store allocates freely (30,000 * 40 bytes is far past the other store's 100).
        Instantiate(plain, Allocator).GetAction<int>("structs")!(30_000);
    }

    // ---- fuel by length

    /// <summary>A module whose export "run" does one bulk instruction of the length it is given.</summary>
    private static string BulkModule(string body)
    {
        string data = new('x', 40_000);
        string funcs = string.Join(" ", Enumerable.Repeat("$f", 5_000));
        return $$"""
            (module
              (memory 4)
              (table $t 10000 funcref)
              (type $ints (array (mut i32)))
              (type $refs (array (mut funcref)))
              (data $d "{{data}}")
              (elem $e func {{funcs}})
              (func $f)
              (global $ints (mut (ref null $ints)) (ref.null $ints))
              (global $refs (mut (ref null $refs)) (ref.null $refs))
              (func (export "prepare")
                (global.set $ints (array.new_default $ints (i32.const 10000)))
                (global.set $refs (array.new_default $refs (i32.const 10000))))
              (func (export "run") (param $n i32) {{body}}))
            """;
    }

    public static TheoryData<string, string, int> BulkInstructions => new()
    {
        // instruction, body, bytes per unit of length
        { "memory.fill", "(memory.fill (i32.const 0) (i32.const 1) (local.get $n))", 1 },
        { "memory.copy", "(memory.copy (i32.const 100000) (i32.const 0) (local.get $n))", 1 },
        { "memory.init", "(memory.init $d (i32.const 0) (i32.const 0) (local.get $n))", 1 },
        { "table.fill", "(table.fill $t (i32.const 0) (ref.func $f) (local.get $n))", 8 },
        { "table.copy", "(table.copy $t $t (i32.const 1) (i32.const 0) (local.get $n))", 8 },
        { "table.init", "(table.init $t $e (i32.const 0) (i32.const 0) (local.get $n))", 8 },
        { "array.new", "(drop (array.new $ints (i32.const 5) (local.get $n)))", 4 },
        { "array.new_default", "(drop (array.new_default $ints (local.get $n)))", 4 },
        { "array.new_data", "(drop (array.new_data $ints $d (i32.const 0) (local.get $n)))", 4 },
        { "array.new_elem", "(drop (array.new_elem $refs $e (i32.const 0) (local.get $n)))", 8 },
        { "array.fill", "(array.fill $ints (global.get $ints) (i32.const 0) (i32.const 9) (local.get $n))", 4 },
        { "array.copy", "(array.copy $ints $ints (global.get $ints) (i32.const 1) (global.get $ints) (i32.const 0) (local.get $n))", 4 },
        { "array.init_data", "(array.init_data $ints $d (global.get $ints) (i32.const 0) (i32.const 0) (local.get $n))", 4 },
        { "array.init_elem", "(array.init_elem $refs $e (global.get $refs) (i32.const 0) (i32.const 0) (local.get $n))", 8 },
    };

    [Theory]
    [MemberData(nameof(BulkInstructions))]
    public void BulkInstructionsSpendFuelInProportionToTheirLength(string instruction, string body, int bytesPerElement)
    {
        using var store = new Store { ConsumeFuel = true };
        store.Fuel = 1_000_000;
        var instance = Instantiate(store, BulkModule(body));
        instance.GetAction("prepare")!();
        var run = instance.GetAction<int>("run")!;
        long Spent(int length)
        {
            long before = store.Fuel;
            run(length);
            return before - store.Fuel;
        }
        // 1 unit per 64 bytes, rounded up: 320 elements are 5 * bytesPerElement units, 640 twice that.
        long small = Spent(320), large = Spent(640), none = Spent(0);
        Assert.True(large - small == 5 * bytesPerElement, $"{instruction}: {small} for 320 elements, {large} for 640");
        Assert.Equal(small - none, 5 * bytesPerElement);
        Assert.Equal(none + 1, Spent(1)); // a partial unit costs a whole one
    }

    [Fact]
    public void FuelThatDoesNotCoverABulkInstructionTrapsBeforeItStarts()
    {
        using var store = new Store { ConsumeFuel = true };
        var instance = Instantiate(store, """
            (module (memory (export "m") 1)
              (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 0xAB) (local.get 0))))
            """);
        var fill = instance.GetAction<int>("fill")!;
        store.Fuel = 500;
        fill(64 * 100); // 100 units and the function entry
        Assert.Equal(399, store.Fuel);
        instance.GetMemory("m")!.Span.Clear();
        store.Fuel = 500;
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => fill(65536)).Kind); // 1024 units
        Assert.Equal(0, store.Fuel);
        Assert.Equal(0, instance.GetMemory("m")!.Span[0]); // nothing was written
        store.Fuel = 2_000; // refilled, the same store does it
        fill(65536);
        Assert.Equal(2_000 - 1 - 1024, store.Fuel);
        Assert.Equal(0xAB, instance.GetMemory("m")!.Span[65535]);
    }

    // ---- deadlines inside one instruction

    private const string HugeBulk = """
        (module
          (memory (export "m") 65536)
          (type $longs (array (mut i64)))
          (global $a (mut (ref null $longs)) (ref.null $longs))
          (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 0xAB) (local.get 0)))
          (func (export "copy") (param i32) (memory.copy (i32.const 0x80000000) (i32.const 0) (local.get 0)))
          (func (export "make") (param i32) (global.set $a (array.new_default $longs (local.get 0))))
          (func (export "afill") (param i32) (array.fill $longs (global.get $a) (i32.const 0) (i64.const -1) (local.get 0)))
          (func (export "aget") (param i32) (result i64) (array.get $longs (global.get $a) (local.get 0))))
        """;

    /// <summary>Runs <paramref name="work"/> under a 50 ms deadline and returns how long it took to trap.</summary>
    private static long TrapsOnDeadline(Store store, Action work)
    {
        TimingCollection.CollectEarlierGarbage();
        store.SetDeadline(TimeSpan.FromMilliseconds(50));
        var clock = Stopwatch.StartNew();
        var trap = Assert.Throws<TrapException>(work);
        clock.Stop();
        store.ClearDeadline();
        Assert.Equal(TrapKind.Interrupted, trap.Kind);
        // Measured at about 50-60 ms; the bound allows for a loaded machine, while a 4 GiB fill run to its end takes
        // seconds.
        Assert.True(clock.ElapsedMilliseconds < 1_000, $"took {clock.ElapsedMilliseconds} ms");
        return clock.ElapsedMilliseconds;
    }

    [Fact]
    public void ADeadlineStopsAHugeMemoryFillPartWay()
    {
        using var store = new Store { Interruptible = true };
        var instance = Instantiate(store, HugeBulk);
        var fill = instance.GetAction<int>("fill")!;
        fill(16); // compiled and warm
        TrapsOnDeadline(store, () => fill(-65536)); // 4 GiB - 64 KiB
        var memory = instance.GetMemory("m")!;
        Assert.Equal(0xAB, memory.GetSpan(0, 1)[0]);
        Assert.Equal(0, memory.GetSpan(0xFFFE_FFFF, 1)[0]); // the last byte was never reached
    }

    [Fact]
    public void ADeadlineFiresWhileEveryThreadPoolThreadIsBusy()
    {
        // A host running wasm on all its pool threads is the case deadlines exist for; a deadline served by the
        // pool (System.Threading.Timer) waited for the pool to grow, about one thread per half second.
        using var store = new Store { Interruptible = true };
        var spin = Instantiate(store, "(module (func (export \"spin\") (loop $l (br $l))))").GetAction("spin")!;
        ThreadPool.GetMinThreads(out int workers, out _);
        int running = 0, released = 0;
        // More blocking items than threads: those queued ahead of a pool-served deadline would each need a new
        // thread first.
        for (int i = 0; i < workers + 40; i++)
        {
            // Sleeping, not waiting on an event: the pool adds threads at once for blocking waits it recognises.
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                Interlocked.Increment(ref running);
                while (Volatile.Read(ref released) == 0) Thread.Sleep(1);
            }, null);
        }
        try
        {
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref running) >= workers, TimeSpan.FromSeconds(60)), "the pool never ran the blocking items");
            // Measured 43-52 ms; served by the pool (System.Threading.Timer) it took 0.5-1 s on an idle machine and
            // 28-37 s under load.
            long ms = TrapsOnDeadline(store, spin);
            Assert.True(ms < 400, $"took {ms} ms");
        }
        finally
        {
            Volatile.Write(ref released, 1);
        }
    }

    [Fact]
    public void ManyClearedLongDeadlinesLeaveAShortOneOnTime()
    {
        // A host that sets a long deadline around every call and clears it after: the cancelled entries are dropped
        // (DeadlineScheduler rebuilds its queue), and a later short deadline still fires.
        using var store = new Store { Interruptible = true };
        var spin = Instantiate(store, "(module (func (export \"spin\") (loop $l (br $l))))").GetAction("spin")!;
        for (int i = 0; i < 100_000; i++)
        {
            store.SetDeadline(TimeSpan.FromHours(1));
            store.ClearDeadline();
        }
        Assert.False(store.IsInterrupted);
        Assert.True(Weft.Runtime.DeadlineScheduler.PendingCount < 1_000, $"{Weft.Runtime.DeadlineScheduler.PendingCount} entries kept");
        TrapsOnDeadline(store, spin);
    }

    [Fact]
    public void ADeadlineStopsAHugeMemoryCopyPartWay()
    {
        using var store = new Store { Interruptible = true };
        var instance = Instantiate(store, HugeBulk);
        var memory = instance.GetMemory("m")!;
        memory.GetSpan(0, 1)[0] = 1;
        memory.GetSpan(0x7FFF_FFFF, 1)[0] = 2;
        var copy = instance.GetAction<int>("copy")!;
        copy(16);
        TrapsOnDeadline(store, () => copy(int.MinValue)); // 2 GiB
        Assert.Equal(1, memory.GetSpan(0x8000_0000, 1)[0]);
        Assert.Equal(0, memory.GetSpan(0xFFFF_FFFF, 1)[0]);
    }

    [Fact]
    public void ADeadlineStopsAHugeArrayFillPartWay()
    {
        using var store = new Store { Interruptible = true };
        var instance = Instantiate(store, HugeBulk);
        instance.GetAction<int>("make")!(1 << 28); // 2 GiB of i64
        var fill = instance.GetAction<int>("afill")!;
        fill(16);
        TrapsOnDeadline(store, () => fill(1 << 28));
        var get = instance.GetFunction<int, long>("aget")!;
        Assert.Equal(-1, get(0));
        Assert.Equal(0, get((1 << 28) - 1));
    }

    [Fact]
    public void AnInterruptStopsAMemoryFillWithinMilliseconds()
    {
        using var store = new Store { Interruptible = true };
        var instance = Instantiate(store, HugeBulk);
        var fill = instance.GetAction<int>("fill")!;
        fill(16);
        var memory = instance.GetMemory("m")!;
        memory.GetSpan(0, 1)[0] = 0;
        var interrupted = new Stopwatch();
        // Interrupt once the fill is seen to have started, and time from there: no timer latency in the measure.
        var watcher = new Thread(() =>
        {
            while (Volatile.Read(ref memory.GetSpan(0, 1)[0]) == 0) Thread.Yield();
            interrupted.Start();
            store.Interrupt();
        });
        watcher.Start();
        Assert.Equal(TrapKind.Interrupted, Assert.Throws<TrapException>(() => fill(-65536)).Kind);
        interrupted.Stop();
        watcher.Join();
        store.ClearDeadline();
        Assert.True(interrupted.ElapsedMilliseconds < 250, $"stopped {interrupted.ElapsedMilliseconds} ms after the interrupt");
        Assert.Equal(0, memory.GetSpan(0xFFFE_FFFF, 1)[0]);
    }

    [Fact]
    public void WeftRunWithFuelAndATimeoutStopsHugeBulkWorkPromptly()
    {
        string path = Path.Combine(Path.GetTempPath(), $"weft-bulk-{Guid.NewGuid():N}.wat");
        File.WriteAllText(path, """
            (module
              (memory 65536)
              (type $longs (array i64))
              (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const -65536)))
              (func (export "huge") (result i32) (array.len (array.new $longs (i64.const 1) (i32.const 0x20000000)))))
            """);
        try
        {
            (int, string, long) Weft(params string[] args)
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var clock = Stopwatch.StartNew();
                int exit = global::Weft.Cli.Program.Run(args, output, error);
                return (exit, error.ToString(), clock.ElapsedMilliseconds);
            }
            // 4 GiB of fill and a 4 GiB array need 64 Mi units of fuel: both trap before doing anything.
            foreach (string export in new[] { "fill", "huge" })
            {
                var (exit, error, ms) = Weft("run", path, "--invoke", export, "--fuel", "10", "--timeout", "1s");
                Assert.Equal(1, exit);
                Assert.Contains("out of fuel", error);
                Assert.True(ms < 5_000, $"{export} took {ms} ms");
            }
            // Without fuel the deadline stops the fill part-way (run to its end it takes tens of seconds here).
            var (code, message, elapsed) = Weft("run", path, "--invoke", "fill", "--timeout", "200ms");
            Assert.Equal(1, code);
            Assert.Contains("interrupted", message);
            Assert.True(elapsed < 5_000, $"fill took {elapsed} ms");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
