using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Weft.Benchmarks.Harness;

/// <summary>One micro measurement: ns per operation on each engine (NaN where not measured) and a note.</summary>
internal sealed record MicroResult(string Name, double WeftNs, double WasmtimeNs, double CSharpNs, string Note);

/// <summary>
/// Stopwatch versions of the micro benchmarks (the BenchmarkDotNet classes measure the same things more carefully):
/// host-to-wasm calls through the typed APIs, a wasm-to-host call, a memory load/store loop, call_indirect, GC
/// allocation, and exception throw and catch, on Weft and on Wasmtime where it has the same operation. Each figure
/// is the best of several batches, in ns per operation (per call, or per loop iteration of a loop inside wasm).
/// </summary>
internal static class MicroBenchmarks
{
    private const int Iterations = 10_000_000;
    private const int Batches = 7;

    // Host->wasm call rows loop in a C# lambda: with 8 calls of 10 million iterations the lambda never leaves Tier0
    // and its loop runs as on-stack-replaced code, which measured every engine and the C# delegate 30-60% slower
    // (typed no-argument call 3.9-4.5 ns against 2.7 ns, C# 2.5-2.9 against 2.0, at load 1). 300 batches of 200,000
    // get the lambda to Tier1, as a host's hot loop is (docs/RATIONALE.md "Typed host->wasm calls at delegate speed").
    private const int CallBatch = 200_000;
    private const int CallBatches = 300;

    internal const string CoreModule = """
        (module
          (import "env" "host" (func $host (param i32) (result i32)))
          (memory (export "memory") 1)
          (type $op (func (param i64 i32) (result i64)))
          (table 4 funcref)
          (elem (i32.const 0) $add $xor $mul $rot)
          (func $add (type $op) (i64.add (local.get 0) (i64.extend_i32_u (local.get 1))))
          (func $xor (type $op) (i64.xor (local.get 0) (i64.const 0x5bd1e995)))
          (func $mul (type $op) (i64.mul (local.get 0) (i64.const 31)))
          (func $rot (type $op) (i64.rotl (local.get 0) (i64.extend_i32_u (local.get 1))))

          (func (export "nop"))
          ;; An export that may trap (division by zero), so it is not a safe leaf: its host entry inlines a copy replayed on a trap.
          (func (export "div4") (param i32 i32 i32 i32) (result i32)
            (i32.div_u (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
          (func (export "add4") (param i32 i32 i32 i32) (result i32)
            (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))

          ;; n calls of the imported host function, each result fed to the next call
          (func (export "call_host") (param $n i32) (result i32)
            (local $acc i32)
            (loop $l
              (local.set $acc (call $host (local.get $acc)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $acc))

          ;; n iterations of: load a word, mix, store it back, over the first 64 KiB
          (func (export "memory_loop") (param $n i32) (result i32)
            (local $i i32) (local $acc i32) (local $a i32)
            (loop $l
              (local.set $a (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0xfffc)))
              (local.set $acc (i32.add (local.get $acc)
                (i32.xor (i32.load (local.get $a)) (i32.mul (local.get $i) (local.get $i)))))
              (i32.store (local.get $a) (local.get $acc))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          ;; n call_indirect dispatches over a table of four functions of one type
          (func (export "dispatch") (param $n i32) (result i64)
            (local $i i32) (local $acc i64)
            (loop $l
              (local.set $acc
                (call_indirect (type $op) (local.get $acc) (local.get $i) (i32.and (local.get $i) (i32.const 3))))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc)))
        """;

    internal const string GcModule = """
        (module
          (type $node (struct (field i32) (field (ref null $node))))
          (global $last (mut (ref null $node)) (ref.null $node))
          ;; n allocations of a two-field struct, each garbage at the next iteration
          (func (export "alloc") (param $n i32) (result i32)
            (loop $l
              (global.set $last (struct.new $node (local.get $n) (ref.null $node)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (struct.get $node 0 (ref.as_non_null (global.get $last)))))
        """;

    internal const string ExceptionModule = """
        (module
          (tag $e (param i32))
          (func $thrower (param i32) (throw $e (local.get 0)))
          ;; n throws in a callee, each caught in the caller
          (func (export "throw_callee") (param $n i32) (result i32)
            (local $sum i32)
            (loop $l
              (local.set $sum (i32.add (local.get $sum)
                (block $h (result i32)
                  (try_table (catch $e $h) (call $thrower (local.get $n)))
                  (i32.const 0))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))
          ;; n throws caught in the same function
          (func (export "throw_local") (param $n i32) (result i32)
            (local $sum i32)
            (loop $l
              (local.set $sum (i32.add (local.get $sum)
                (block $h (result i32)
                  (try_table (catch $e $h) (throw $e (local.get $n)))
                  (i32.const 0))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum)))
        """;

    public static List<MicroResult> Run(Action<string> log)
    {
        var results = new List<MicroResult>();
        void Add(MicroResult r)
        {
            results.Add(r);
            log($"  {r.Name}: Weft {Report.Ns(r.WeftNs)}, Wasmtime {Report.Ns(r.WasmtimeNs)}, C# {Report.Ns(r.CSharpNs)}");
        }

        var weftModule = WasmModule.FromText(CoreModule);
        using var weftStore = new Store();
        var weft = new Linker().DefineFunction("env", "host", (Func<int, int>)HostIncrement).Instantiate(weftStore, weftModule);

        using var engine = new Wasmtime.Engine();
        using var wtModule = Wasmtime.Module.FromBytes(engine, "micro", weftModule.ToBinary());
        using var wtLinker = new Wasmtime.Linker(engine);
        wtLinker.DefineFunction("env", "host", (Func<int, int>)HostIncrement);
        using var wtStore = new Wasmtime.Store(engine);
        var wt = wtLinker.Instantiate(wtStore, wtModule);

        // host -> wasm, no arguments
        var weftNop = weft.GetAction("nop")!;
        var wtNop = wt.GetAction("nop")!;
        Action csNop = EmptyMethod;
        Add(new("host->wasm call, no arguments (typed: GetAction)",
            PerOp(() => { for (int i = 0; i < CallBatch; i++) weftNop(); return 0; }, CallBatch, CallBatches),
            PerOp(() => { for (int i = 0; i < CallBatch; i++) wtNop(); return 0; }, CallBatch, CallBatches),
            PerOp(() => { for (int i = 0; i < CallBatch; i++) csNop(); return 0; }, CallBatch, CallBatches),
            "C#: an Action delegate to an empty static method"));

        // host -> wasm, four arguments
        var weftAdd4 = weft.GetFunction<int, int, int, int, int>("add4")!;
        var wtAdd4 = wt.GetFunction<int, int, int, int, int>("add4")!;
        Func<int, int, int, int, int> csAdd4 = Add4;
        Add(new("host->wasm call, four i32 arguments (typed: GetFunction<int,int,int,int,int>)",
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += weftAdd4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += wtAdd4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += csAdd4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            "C#: a Func delegate to a static method"));

        // host -> wasm, four arguments, an export that may trap (its compiled host entry inlines a replayable copy)
        var weftDiv4 = weft.GetFunction<int, int, int, int, int>("div4")!;
        var wtDiv4 = wt.GetFunction<int, int, int, int, int>("div4")!;
        Func<int, int, int, int, int> csDiv4 = Div4;
        Check("div4", weftDiv4(7, 8, 9, 4), wtDiv4(7, 8, 9, 4));
        Add(new("host->wasm call, four i32 arguments, an export that may trap (typed: GetFunction<int,int,int,int,int>)",
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += weftDiv4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += wtDiv4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch; i++) s += csDiv4(i, 2, 3, 4); return s; }, CallBatch, CallBatches),
            "i32.div_u of a sum: not a safe leaf; its host entry inlines a copy, replayed through the function itself on a trap (WEFT_HOST_ENTRY_ALL=0: the typed caller). C#: a Func delegate to a static method"));

        // host -> wasm, untyped
        var weftAddFunction = weft.GetFunction("add4")!;
        var untypedArgs = new WasmValue[] { 1, 2, 3, 4 };
        Add(new("host->wasm call, four arguments, untyped (Function.Invoke(WasmValue[]))",
            PerOp(() => { int s = 0; for (int i = 0; i < CallBatch / 10; i++) s += weftAddFunction.Invoke(untypedArgs)[0].AsInt32(); return s; }, CallBatch / 10, CallBatches),
            double.NaN, double.NaN, "Weft's boxed entry point, for comparison"));

        // The compiled method through its function pointer: what a typed call costs below any API.
        var nopFunction = weft.GetFunction("nop")!;
        object nopContext = nopFunction.Context;
        nint nopCode = nopFunction.Code;
        Add(new("host->wasm call, no arguments, raw entry point (internal)",
            PerOp(() => CallRaw(nopCode, nopContext, CallBatch), CallBatch, CallBatches), double.NaN, double.NaN,
            "Weft's compiled method called through its function pointer with its context: the floor under the typed API"));

        // wasm -> host
        var weftCallHost = weft.GetFunction<int, int>("call_host")!;
        var wtCallHost = wt.GetFunction<int, int>("call_host")!;
        Check("call_host", weftCallHost(1000), wtCallHost(1000));
        Add(new("wasm->host call (typed Func<int,int> host function), per call",
            PerOp(() => weftCallHost(Iterations), Iterations),
            PerOp(() => wtCallHost(Iterations), Iterations),
            double.NaN, "a wasm loop calling an imported host function; loop overhead included"));

        // memory loop
        var weftMemory = weft.GetFunction<int, int>("memory_loop")!;
        var wtMemory = wt.GetFunction<int, int>("memory_loop")!;
        Check("memory_loop", weftMemory(100_000), wtMemory(100_000));
        Add(new("memory load/store loop, per iteration",
            PerOp(() => weftMemory(Iterations), Iterations),
            PerOp(() => wtMemory(Iterations), Iterations),
            double.NaN, "i32.load, xor, mul, add, i32.store over 64 KiB"));

        // call_indirect
        var weftDispatch = weft.GetFunction<int, long>("dispatch")!;
        var wtDispatch = wt.GetFunction<int, long>("dispatch")!;
        Check("dispatch", weftDispatch(100_000), wtDispatch(100_000));
        Add(new("call_indirect, per call",
            PerOp(() => weftDispatch(Iterations), Iterations),
            PerOp(() => wtDispatch(Iterations), Iterations),
            double.NaN, "a loop dispatching over a table of four small functions"));

        Add(GcAllocation());
        foreach (var r in Exceptions(log)) Add(r);
        return results;
    }

    private static MicroResult GcAllocation()
    {
        var weftModule = WasmModule.FromText(GcModule);
        using var store = new Store();
        var weftAlloc = new Linker().Instantiate(store, weftModule).GetFunction<int, int>("alloc")!;
        double weft = PerOp(() => weftAlloc(Iterations), Iterations);
        double wasmtime = double.NaN;
        string note = "struct.new of a 2-field struct that dies young";
        try
        {
            using var engine = new Wasmtime.Engine(new Wasmtime.Config().WithGc(true).WithFunctionReferences(true));
            using var module = Wasmtime.Module.FromBytes(engine, "gc", weftModule.ToBinary());
            using var wtStore = new Wasmtime.Store(engine);
            var wtAlloc = new Wasmtime.Linker(engine).Instantiate(wtStore, module).GetFunction<int, int>("alloc")!;
            Check("alloc", weftAlloc(1000), wtAlloc(1000));
            wasmtime = PerOp(() => wtAlloc(Iterations), Iterations);
            note += "; Wasmtime with its GC enabled (Config.WithGc)";
        }
        catch (Exception e) when (e is Wasmtime.WasmtimeException or InvalidOperationException)
        {
            note += $"; Wasmtime: {FirstLine(e.Message)}";
        }
        return new MicroResult("GC allocation (struct.new), per allocation", weft, wasmtime, double.NaN, note);
    }

    private static List<MicroResult> Exceptions(Action<string> log)
    {
        const int Throws = 100_000;
        var weftModule = WasmModule.FromText(ExceptionModule);
        using var store = new Store();
        var weft = new Linker().Instantiate(store, weftModule);
        var weftCallee = weft.GetFunction<int, int>("throw_callee")!;
        var weftLocal = weft.GetFunction<int, int>("throw_local")!;
        Func<int, int>? wtCallee = null, wtLocal = null;
        string note = "";
        Wasmtime.Engine? engine = null;
        Wasmtime.Store? wtStore = null;
        try
        {
            engine = new Wasmtime.Engine(new Wasmtime.Config().WithExceptions(true).WithGc(true).WithFunctionReferences(true));
            using var module = Wasmtime.Module.FromBytes(engine, "eh", weftModule.ToBinary());
            wtStore = new Wasmtime.Store(engine);
            var wt = new Wasmtime.Linker(engine).Instantiate(wtStore, module);
            wtCallee = wt.GetFunction<int, int>("throw_callee");
            wtLocal = wt.GetFunction<int, int>("throw_local");
            Check("throw_callee", weftCallee(100), wtCallee!(100));
            Check("throw_local", weftLocal(100), wtLocal!(100));
        }
        catch (Exception e) when (e is Wasmtime.WasmtimeException or InvalidOperationException)
        {
            note = $"Wasmtime: {FirstLine(e.Message)}";
            log("  (Wasmtime exceptions: " + note + ")");
            wtCallee = wtLocal = null;
        }
        try
        {
            return
            [
                new MicroResult("exception: throw in a callee, catch in the caller (try_table), per throw",
                PerOp(() => weftCallee(Throws), Throws),
                wtCallee is null ? double.NaN : PerOp(() => wtCallee(Throws), Throws),
                double.NaN, Join("a Weft throw that leaves a function is a .NET throw", note)),
                new MicroResult("exception: throw and catch in the same function, per throw",
                PerOp(() => weftLocal(Throws), Throws),
                wtLocal is null ? double.NaN : PerOp(() => wtLocal(Throws), Throws),
                double.NaN, Join("Weft branches to the handler without a .NET exception", note)),
            ];
        }
        finally
        {
            wtStore?.Dispose();
            engine?.Dispose();
        }
    }

    /// <summary>
    /// Only the host->wasm call rows of <see cref="Run"/> (`-- --micro-calls [rounds]`), measured the same way, with the
    /// C# delegate figures of the same round next to them: on a loaded machine the ratio to C# is the figure to compare.
    /// No Wasmtime, so a round takes a few seconds. Under heavy load, many small batches (`--micro-calls 5 200000 300`)
    /// find an unpreempted batch more often than 7 of 10 million calls.
    /// </summary>
    public static void RunCalls(int rounds, int calls = CallBatch, int batches = CallBatches)
    {
        var weftModule = WasmModule.FromText(CoreModule);
        using var weftStore = new Store();
        var weft = new Linker().DefineFunction("env", "host", (Func<int, int>)HostIncrement).Instantiate(weftStore, weftModule);
        var weftNop = weft.GetAction("nop")!;
        var weftAdd4 = weft.GetFunction<int, int, int, int, int>("add4")!;
        var weftDiv4 = weft.GetFunction<int, int, int, int, int>("div4")!;
        var nopFunction = weft.GetFunction("nop")!;
        object nopContext = nopFunction.Context;
        nint nopCode = nopFunction.Code;
        Action csNop = EmptyMethod;
        Func<int, int, int, int, int> csAdd4 = Add4;
        Func<int, int, int, int, int> csDiv4 = Div4;
        Console.WriteLine("round  typed-nop  typed-add4  typed-div4  raw-nop  C#-nop  C#-add4  C#-div4  nop/C#  add4/C#  div4/C#  load");
        for (int r = 0; r < rounds; r++)
        {
            double nop = PerOp(() => { for (int i = 0; i < calls; i++) weftNop(); return 0; }, calls, batches);
            double add4 = PerOp(() => { int s = 0; for (int i = 0; i < calls; i++) s += weftAdd4(i, 2, 3, 4); return s; }, calls, batches);
            double div4 = PerOp(() => { int s = 0; for (int i = 0; i < calls; i++) s += weftDiv4(i, 2, 3, 4); return s; }, calls, batches);
            double raw = PerOp(() => CallRaw(nopCode, nopContext, calls), calls, batches);
            double csN = PerOp(() => { for (int i = 0; i < calls; i++) csNop(); return 0; }, calls, batches);
            double csA = PerOp(() => { int s = 0; for (int i = 0; i < calls; i++) s += csAdd4(i, 2, 3, 4); return s; }, calls, batches);
            double csD = PerOp(() => { int s = 0; for (int i = 0; i < calls; i++) s += csDiv4(i, 2, 3, 4); return s; }, calls, batches);
            string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{r,5}  {nop,9:F2}  {add4,10:F2}  {div4,10:F2}  {raw,7:F2}  {csN,6:F2}  {csA,7:F2}  {csD,7:F2}  {nop / csN,6:F2}  {add4 / csA,7:F2}  {div4 / csD,7:F2}  {load}"));
        }
    }

    private static unsafe int CallRaw(nint code, object context, int calls)
    {
        var entry = (delegate* managed<object, void>)code;
        for (int i = 0; i < calls; i++) entry(context);
        return calls;
    }

    private static string Join(string a, string b) => b.Length == 0 ? a : a + "; " + b;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    internal static int HostIncrement(int x) => x + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EmptyMethod()
    {
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Add4(int a, int b, int c, int d) => a + b + c + d;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Div4(int a, int b, int c, int d) => (int)((uint)(a + b + c) / (uint)d);

    private static void Check<T>(string what, T weft, T wasmtime)
        where T : IEquatable<T>
    {
        if (!weft.Equals(wasmtime)) throw new InvalidOperationException($"micro benchmark {what}: Weft returned {weft}, Wasmtime {wasmtime}");
    }

    /// <summary>The best of several batches, in ns per operation, after one warm-up batch.</summary>
    internal static double PerOp<T>(Func<T> batch, long operations, int batches = Batches)
    {
        GC.KeepAlive(batch());
        double best = double.MaxValue;
        for (int i = 0; i < batches; i++)
        {
            long start = Stopwatch.GetTimestamp();
            GC.KeepAlive(batch());
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations);
        }
        return best;
    }
}
