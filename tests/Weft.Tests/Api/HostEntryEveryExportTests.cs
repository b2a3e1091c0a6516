using Weft.Runtime;

namespace Weft.Tests.Api;

/// <summary>
/// Compiled host entries for every numeric export (Compilation/HostEntries.cs, HostEntryReplay.cs): functions that
/// call get an entry that calls the body by calli (RyuJIT inlines none), trapping leaves one that calls the body
/// directly (NoInlining) or, when the leaf only reads, an inlined copy replayed through the leaf itself on a throw.
/// Each case: the delegate is on the entry, results are right, and a trap has the kind and exactly the frames of the
/// untyped call (which goes through the general entry).
/// </summary>
public sealed class HostEntryEveryExportTests : IDisposable
{
    private const string Module = """
        (module (@name "m")
          (import "env" "host" (func $host (param i32) (result i32)))
          (memory 1)
          (global $count (mut i32) (i32.const 0))
          (data (i32.const 16) "\2a\00\00\00")
          ;; trapping leaves that only read: an inlined copy, replayed on a trap
          (func $div4 (@name "div4") (export "div4") (param i32 i32 i32 i32) (result i32)
            (i32.div_u (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
          (func $load (@name "load") (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func $rem64 (@name "rem64") (export "rem64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func $trunc (@name "trunc") (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          ;; assigns its parameter before it traps: the replay must start from the original arguments
          (func $shifted (@name "shifted") (export "shifted") (param i32) (result i32)
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (i32.div_s (i32.const 12) (local.get 0)))
          (func $nothing (@name "nothing") (export "nothing") (param i32)
            (drop (i32.div_u (i32.const 1) (local.get 0))))
          ;; a trapping leaf that writes: never replayed (the count must go up once per call)
          (func $counted (@name "counted") (export "counted") (param i32) (result i32)
            (global.set $count (i32.add (global.get $count) (i32.const 1)))
            (i32.div_u (i32.const 100) (local.get 0)))
          (func (export "count") (result i32) (global.get $count))
          ;; a reading leaf with a loop: no copy (the call is long anyway), a direct call of the NoInlining body
          (func $scan (@name "scan") (export "scan") (param i32 i32) (result i32) (local $s i32)
            (loop $l
              (local.set $s (i32.add (local.get $s) (i32.load (local.get 0))))
              (local.set 0 (i32.add (local.get 0) (i32.const 4)))
              (br_if $l (i32.lt_u (local.get 0) (local.get 1))))
            (local.get $s))
          ;; functions that call: calli of the body
          (func $inner (@name "inner") (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (call $host (local.get 0)))
          (func $outer (@name "outer") (export "outer") (param i32) (result i32)
            (i32.add (call $inner (local.get 0)) (i32.const 1)))
          (func $reenter (@name "reenter") (export "reenter") (param i32 i32 i32 i32) (result i32)
            (i32.add (call $host (local.get 0)) (call $div4 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))
        """;

    private readonly Store _store = new();
    private Func<int, int> _host = x => x * 2;
    private readonly Instance _instance;

    public HostEntryEveryExportTests()
    {
        _instance = new Linker().DefineFunction("env", "host", (Func<int, int>)(x => _host(x))).Instantiate(_store, WasmModule.FromText(Module));
    }

    public void Dispose() => _store.Dispose();

    private static bool EveryExportHasAnEntry => TypedCallEntry.Enabled && TypedCallEntry.AllExports;

    private static bool OnHostEntry(Delegate d) => d.Method.Name.StartsWith("hostentry_", StringComparison.Ordinal);

    // The trap of the typed call must equal the untyped call's (the general path): kind and frames.
    private void SameTrap(TrapKind kind, string[] frames, Action typed, params WasmValue[] untypedArguments)
    {
        var viaTyped = Assert.Throws<TrapException>(typed);
        Assert.Equal(kind, viaTyped.Kind);
        Assert.Equal(frames, viaTyped.Frames.Select(f => f.FunctionName));
        var viaUntyped = Assert.Throws<TrapException>(() => _instance.GetFunction(frames[^1])!.Invoke(untypedArguments));
        Assert.Equal(viaUntyped.Kind, viaTyped.Kind);
        Assert.Equal(viaUntyped.Frames.Select(f => (f.FunctionName, f.FunctionIndex)), viaTyped.Frames.Select(f => (f.FunctionName, f.FunctionIndex)));
    }

    [Fact]
    public void TrappingLeavesAndCallersGetEntries()
    {
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(_instance.GetFunction<int, int, int, int, int>("div4")!));
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(_instance.GetFunction<int, int>("load")!));
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(_instance.GetFunction<int, int>("counted")!));
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(_instance.GetFunction<int, int>("outer")!));
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(_instance.GetAction<int>("nothing")!));
    }

    [Fact]
    public void AReplayedLeafReturnsItsResultAndTrapsInItsOwnFrame()
    {
        var div4 = _instance.GetFunction<int, int, int, int, int>("div4")!;
        Assert.Equal(6, div4(7, 8, 9, 4));
        Assert.Equal(unchecked((int)(0xFFFFFFFEu / 2u)), div4(-1, -1, 0, 2));
        SameTrap(TrapKind.IntegerDivideByZero, ["div4"], () => div4(1, 2, 3, 0), 1, 2, 3, 0);
        // The store is usable after the trap, on the fast path again.
        Assert.Equal(1, div4(1, 1, 1, 3));

        var rem64 = _instance.GetFunction<long, long, long>("rem64")!;
        Assert.Equal(1L, rem64(7, 3));
        Assert.Equal(0L, rem64(long.MinValue, -1));
        SameTrap(TrapKind.IntegerDivideByZero, ["rem64"], () => rem64(5, 0), 5L, 0L);

        var trunc = _instance.GetFunction<double, int>("trunc")!;
        Assert.Equal(-3, trunc(-3.9));
        SameTrap(TrapKind.IntegerOverflow, ["trunc"], () => trunc(3e9), 3e9);
        SameTrap(TrapKind.InvalidConversionToInteger, ["trunc"], () => trunc(double.NaN), double.NaN);

        var nothing = _instance.GetAction<int>("nothing")!;
        nothing(1);
        SameTrap(TrapKind.IntegerDivideByZero, ["nothing"], () => nothing(0), 0);
    }

    [Fact]
    public void AReplayedLoadTrapsOutOfBoundsInItsOwnFrame()
    {
        var load = _instance.GetFunction<int, int>("load")!;
        Assert.Equal(42, load(16));
        SameTrap(TrapKind.OutOfBoundsMemoryAccess, ["load"], () => load(65534), 65534);
        SameTrap(TrapKind.OutOfBoundsMemoryAccess, ["load"], () => load(-1), -1);
        Assert.Equal(42, load(16));

        var scan = _instance.GetFunction<int, int, int>("scan")!;
        Assert.Equal(EveryExportHasAnEntry, OnHostEntry(scan));
        Assert.Equal(42, scan(16, 20));
        SameTrap(TrapKind.OutOfBoundsMemoryAccess, ["scan"], () => scan(65528, 65540), 65528, 65540);
    }

    [Fact]
    public void TheReplayStartsFromTheOriginalArguments()
    {
        var shifted = _instance.GetFunction<int, int>("shifted")!;
        Assert.Equal(4, shifted(4));
        SameTrap(TrapKind.IntegerDivideByZero, ["shifted"], () => shifted(1), 1);
    }

    [Fact]
    public void ALeafThatWritesRunsOncePerCall()
    {
        var counted = _instance.GetFunction<int, int>("counted")!;
        var count = _instance.GetFunction<int>("count")!;
        Assert.Equal(50, counted(2));
        Assert.Equal(1, count());
        Assert.Throws<TrapException>(() => counted(0));
        Assert.Equal(2, count());
        SameTrap(TrapKind.IntegerDivideByZero, ["counted"], () => counted(0), 0);
        Assert.Equal(4, count());
    }

    [Fact]
    public void ACallerKeepsEveryFrameOfATrapAndOfAHostException()
    {
        var outer = _instance.GetFunction<int, int>("outer")!;
        Assert.Equal(11, outer(5));
        SameTrap(TrapKind.Unreachable, ["inner", "outer"], () => outer(0), 0);
        _host = _ => throw new InvalidOperationException("from the host");
        var fromHost = Assert.Throws<TrapException>(() => outer(3));
        var fromHostUntyped = Assert.Throws<TrapException>(() => _instance.GetFunction("outer")!.Invoke(3));
        Assert.Equal(fromHostUntyped.Kind, fromHost.Kind);
        Assert.Equal(fromHostUntyped.Message, fromHost.Message);
        Assert.Contains("from the host", fromHost.Message, StringComparison.Ordinal);
        Assert.Equal(fromHostUntyped.Frames.Select(f => f.FunctionName), fromHost.Frames.Select(f => f.FunctionName));
        _host = x => x * 2;
        Assert.Equal(7, outer(3));
    }

    [Fact]
    public void ANestedEntryThroughTheHostTakesTheSlowPathAndTrapsExactly()
    {
        var div4 = _instance.GetFunction<int, int, int, int, int>("div4")!;
        var reenter = _instance.GetFunction<int, int, int, int, int>("reenter")!;
        // reenter calls the host, which calls div4 through its typed delegate: a nested entry (the slow twin).
        int nested = 0;
        _host = x =>
        {
            nested = div4(x, x, x, 3);
            return nested;
        };
        long slowBefore = TypedCallEntry.SlowEntries;
        Assert.Equal(3 + 3, reenter(3, 3, 3, 3));
        Assert.Equal(3, nested);
        if (EveryExportHasAnEntry) Assert.True(TypedCallEntry.SlowEntries > slowBefore);
        _host = x => div4(x, 0, 0, 0);
        var trap = Assert.Throws<TrapException>(() => reenter(1, 1, 1, 1));
        Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
        Assert.Equal("div4", trap.Frames[0].FunctionName);
        Assert.Contains("reenter", trap.Frames.Select(f => f.FunctionName));
        _host = x => x;
        Assert.Equal(1 + 3, reenter(1, 1, 1, 1));
    }
}
