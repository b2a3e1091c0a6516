using System.Reflection;
using System.Text;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Function splitting (Compilation/FunctionSplitter): functions over the threshold are compiled as several methods
/// so RyuJIT optimizes each. Every test runs the same code unsplit (threshold 0) and split (small thresholds force
/// splitting everywhere), and asserts that results, traps, backtraces and fuel are the same, and that splitting
/// really happened.
/// </summary>
public class FunctionSplittingTests
{
    // Branches out of runs of every kind: br and br_if to outer labels, br_table with outer targets, a loop's
    // continue, return with a value; traps in the middle (mode 2: unreachable, 3: out of bounds, 4: divide by zero).
    private const string Branchy = """
        (module
          (memory 1)
          (func $f (export "f") (param $n i32) (param $mode i32) (result i32)
            (local $acc i32) (local $i i32)
            (block $done
              (loop $top
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (local.get $i)))
                (if (i32.and (i32.eq (local.get $mode) (i32.const 1)) (i32.eq (local.get $i) (i32.const 5)))
                  (then (return (i32.add (local.get $acc) (i32.const 1000)))))
                (if (i32.and (i32.eq (local.get $mode) (i32.const 2)) (i32.eq (local.get $i) (i32.const 6)))
                  (then (unreachable)))
                (if (i32.and (i32.eq (local.get $mode) (i32.const 3)) (i32.eq (local.get $i) (i32.const 4)))
                  (then (local.set $acc (i32.load (i32.const 70000)))))
                (if (i32.eq (local.get $mode) (i32.const 4))
                  (then (local.set $acc (i32.div_u (local.get $acc) (i32.sub (i32.const 7) (local.get $i))))))
                (i32.store (i32.const 16) (local.get $acc))
                (block $a
                  (block $b
                    (block $c
                      (br_table $c $b $a $top $done
                        (select (i32.rem_u (local.get $i) (i32.const 4)) (i32.const 4) (i32.lt_u (local.get $i) (i32.const 10)))))
                    (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
                    (br $top))
                  (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55)))
                  (br_if $top (i32.and (local.get $i) (i32.const 1))))
                (local.set $acc (i32.sub (local.get $acc) (i32.load (i32.const 16))))
                (local.set $acc (i32.sub (local.get $acc) (i32.const 7)))
                (br $top)))
            (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 100000))))

          ;; Locals of every kind cross the call; a return exit carries three values.
          (func (export "mix") (param $x i64) (param $r externref) (result i64 f64 i32)
            (local $d f64) (local $v v128) (local $q externref)
            (local.set $d (f64.convert_i64_s (local.get $x)))
            (local.set $v (i64x2.splat (local.get $x)))
            (local.set $q (local.get $r))
            (local.set $d (f64.add (local.get $d) (f64.const 0.5)))
            (local.set $v (i64x2.add (local.get $v) (local.get $v)))
            (if (i64.eq (local.get $x) (i64.const 3))
              (then (return (i64.const 33) (f64.const 3.5) (ref.is_null (local.get $q)))))
            (local.set $d (f64.mul (local.get $d) (local.get $d)))
            (i64x2.extract_lane 1 (local.get $v))
            (local.get $d)
            (ref.is_null (local.get $q))))
        """;

    private static readonly int[] Thresholds = [8, 20, 40, 100, 250];

    private static int OutlinedMethods(WasmModule module, Store store) =>
        ((CompiledModule)module.CompiledFor(store.CodeOptions)).CodeTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Count(m => m.Name.StartsWith("outlined_", StringComparison.Ordinal));

    // What a call does, as text: the results, or the trap with its message and backtrace.
    private static string Outcome(Function function, params WasmValue[] arguments)
    {
        try
        {
            return string.Join(", ", function.Invoke(arguments).Select(v => v.ToString()));
        }
        catch (TrapException trap)
        {
            return $"trap {trap.Kind}: {trap.Message} at {string.Join(" < ", trap.Frames.Select(f => $"{f.FunctionIndex}:{f.FunctionName}"))}";
        }
    }

    private static (Instance Instance, int Outlined) Instantiate(Engine engine, string wat, int threshold, bool fuel = false)
    {
        var module = WasmModule.FromText(engine, wat);
        var store = new Store(engine) { SplitThreshold = threshold, ConsumeFuel = fuel };
        if (fuel) store.Fuel = 1_000_000;
        var instance = new Linker(engine).Instantiate(store, module);
        return (instance, OutlinedMethods(module, store));
    }

    [Fact]
    public void SplitCodeGivesTheSameResultsTrapsAndBacktraces()
    {
        var engine = new Engine();
        var (plain, none) = Instantiate(engine, Branchy, 0);
        Assert.Equal(0, none);
        var expected = new List<string>();
        for (int mode = 0; mode <= 4; mode++)
        {
            for (int n = 0; n <= 12; n++) expected.Add(Outcome(plain.GetFunction("f")!, WasmValue.FromInt32(n), WasmValue.FromInt32(mode)));
        }
        Assert.Contains(expected, e => e.StartsWith("trap Unreachable", StringComparison.Ordinal) && e.EndsWith(" at 0:f", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("trap OutOfBoundsMemoryAccess", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.StartsWith("trap IntegerDivideByZero", StringComparison.Ordinal));
        foreach (int threshold in Thresholds)
        {
            var (split, outlined) = Instantiate(engine, Branchy, threshold);
            Assert.True(outlined > 0, $"threshold {threshold}: nothing was split");
            var actual = new List<string>();
            for (int mode = 0; mode <= 4; mode++)
            {
                for (int n = 0; n <= 12; n++) actual.Add(Outcome(split.GetFunction("f")!, WasmValue.FromInt32(n), WasmValue.FromInt32(mode)));
            }
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void LocalsOfEveryKindAndMultipleResultsCrossTheSplit()
    {
        var engine = new Engine();
        var (plain, _) = Instantiate(engine, Branchy, 0);
        var host = new object();
        foreach (int threshold in Thresholds)
        {
            var (split, outlined) = Instantiate(engine, Branchy, threshold);
            Assert.True(outlined > 0);
            foreach (long x in new long[] { 0, 3, -5, 1L << 40 })
            {
                foreach (var r in new[] { WasmValue.FromReference(null), WasmValue.FromReference(host) })
                {
                    var args = new[] { WasmValue.FromInt64(x), r };
                    Assert.Equal(Outcome(plain.GetFunction("mix")!, args), Outcome(split.GetFunction("mix")!, args));
                }
            }
        }
    }

    [Fact]
    public void FuelIsSpentAsWithoutSplitting()
    {
        var engine = new Engine();
        var (plain, _) = Instantiate(engine, Branchy, 0, fuel: true);
        var (split, outlined) = Instantiate(engine, Branchy, 40, fuel: true);
        Assert.True(outlined > 0);
        foreach (int n in new[] { 3, 12, 40 })
        {
            Assert.Equal(Outcome(plain.GetFunction("f")!, WasmValue.FromInt32(n), WasmValue.FromInt32(0)),
                Outcome(split.GetFunction("f")!, WasmValue.FromInt32(n), WasmValue.FromInt32(0)));
            Assert.Equal(plain.Store.Fuel, split.Store.Fuel);
        }
        Assert.True(plain.Store.Fuel < 1_000_000);
    }

    [Fact]
    public void AHandlerOfTheCallerSeesLocalsWrittenBeforeAThrow()
    {
        const string wat = """
            (module
              (tag $e)
              (func $thrower (param i32) (if (local.get 0) (then (throw $e))))
              (func (export "g") (param $x i32) (result i32)
                (local $v i32)
                (block $h
                  (try_table (catch $e $h)
                    (local.set $v (i32.const 1))
                    (local.set $v (i32.add (local.get $v) (local.get $x)))
                    (local.set $v (i32.mul (local.get $v) (i32.const 3)))
                    (call $thrower (local.get $x))
                    (local.set $v (i32.const 100))
                    (local.set $v (i32.add (local.get $v) (local.get $x))))
                  (return (local.get $v)))
                (i32.mul (local.get $v) (i32.const 10))))
            """;
        var engine = new Engine();
        var (plain, _) = Instantiate(engine, wat, 0);
        var (split, _) = Instantiate(engine, wat, 2);
        foreach (int x in new[] { 0, 1, 5 })
        {
            Assert.Equal(Outcome(plain.GetFunction("g")!, WasmValue.FromInt32(x)), Outcome(split.GetFunction("g")!, WasmValue.FromInt32(x)));
        }
        Assert.Equal("60:i32", Outcome(split.GetFunction("g")!, WasmValue.FromInt32(1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATrapInsideAPartIsTheSameTrapNamingTheSplitFunction(bool lazy)
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = lazy });
        var (plain, _) = Instantiate(engine, Branchy, 0);
        var (split, _) = Instantiate(engine, Branchy, 40);
        for (int n = 0; n <= 12; n++)
        {
            var args = new[] { WasmValue.FromInt32(n), WasmValue.FromInt32(n % 5) };
            Assert.Equal(Outcome(plain.GetFunction("f")!, args), Outcome(split.GetFunction("f")!, args));
        }
        // The unreachable of mode 2 is in a part: the .NET stack shows the part's method, the wasm backtrace only f.
        var trap = Assert.Throws<TrapException>(() => split.GetFunction("f")!.Invoke(WasmValue.FromInt32(9), WasmValue.FromInt32(2)));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Contains("outlined_0_", trap.StackTrace, StringComparison.Ordinal);
        Assert.Equal(["f"], trap.Frames.Select(f => f.FunctionName));
    }

    // A function of about 6,000 instructions: over the default threshold.
    private static string LargeFunction()
    {
        var text = new StringBuilder("(module (memory 1) (func (export \"big\") (param $x i32) (result i32) (local $a i32) (local $b i32)\n");
        for (int k = 0; k < 500; k++)
        {
            text.Append($"(local.set $a (i32.add (local.get $a) (i32.mul (local.get $x) (i32.const {k}))))\n");
            text.Append($"(if (i32.gt_u (local.get $a) (i32.const {k * 977})) (then (local.set $b (i32.xor (local.get $b) (local.get $a)))))\n");
            text.Append($"(i32.store (i32.const {4 * (k % 64)}) (i32.add (local.get $b) (i32.load (i32.const {4 * ((k + 7) % 64)}))))\n");
        }
        text.Append("(i32.add (local.get $a) (i32.add (local.get $b) (i32.load (i32.const 12))))))");
        return text.ToString();
    }

    [Fact]
    public void FunctionsOverTheDefaultThresholdAreSplitWithTheSameResults()
    {
        var engine = new Engine();
        string wat = LargeFunction();
        var module = WasmModule.FromText(engine, wat);
        using var plainStore = new Store(engine) { SplitThreshold = 0 };
        using var splitStore = new Store(engine) { SplitThreshold = FunctionSplitter.DefaultThreshold };
        var plain = new Linker(engine).Instantiate(plainStore, module);
        var split = new Linker(engine).Instantiate(splitStore, module);
        Assert.Equal(0, OutlinedMethods(module, plainStore));
        Assert.True(OutlinedMethods(module, splitStore) >= 1);
        foreach (int x in new[] { 0, 1, 77, -3 })
        {
            Assert.Equal(Outcome(plain.GetFunction("big")!, WasmValue.FromInt32(x)), Outcome(split.GetFunction("big")!, WasmValue.FromInt32(x)));
        }
    }
}
