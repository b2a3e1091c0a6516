using System.Reflection;
using System.Text;
using Weft.Binary;
using Weft.Compilation;
using Weft.Syntax;

namespace Weft.Tests.Execution;

/// <summary>
/// An interpreter's dispatch stays in the split function (FunctionSplitter, docs/RATIONALE.md "Split parts: what
/// lua's interpreter loop needs"): the run holding a br_table with many labels is not outlined whole, and the
/// heaviest runs are outlined first, so the dispatch loop and its light arms stay in the caller and only heavy arms
/// become parts. The interpreter below has light arms (no f64.sqrt) and heavy ones (each with f64.sqrt): some heavy
/// arms trap, throw a wasm exception, grow the memory (a managed memory's base moves), loop, or return from the
/// function. Every behaviour is compared with the same code unsplit.
/// </summary>
public class SplitDispatchTests
{
    private const int LightArms = 12;
    private const int HeavyArms = 6;
    private static readonly int[] Thresholds = [8, 20, 40, 100, 250, 600, 2000, 6000, 12_000];

    // Arm 0 halts; 1..12 are light; 13..18 heavy; 19 returns from the function. The heavy arms:
    // 14 divides by $x (traps for x = 0), 15 grows the memory and stores at its new end, 16 throws $boom when x = 7,
    // 17 is unreachable when x = 99, 18 loops and loads out of bounds when x = 98.
    private static string Interpreter()
    {
        var text = new StringBuilder("""
            (module
              (tag $boom (param i32))
              (memory 1 100)
              (data (i32.const 0) "\01\02\0d\03\0e\04\0f\05\10\06\11\07\12\08\09\0a\0b\0c\0d\0e\01\02\00")
              (data (i32.const 64) "\01\0d\0e\0f\10\11\12\13")
              (func $run (export "run") (param $pc i32) (param $x i32) (result i32)
                (local $acc i32) (local $op i32) (local $y i64) (local $d f64) (local $k i32)
                (local.set $acc (local.get $x))
                (block $halt
                  (loop $next
                    (local.set $op (i32.load8_u (local.get $pc)))
                    (local.set $pc (i32.add (local.get $pc) (i32.const 1)))

            """);
        int arms = 1 + LightArms + HeavyArms + 1;
        for (int a = arms - 1; a >= 0; a--) text.Append($"(block $a{a}\n");
        text.Append("(br_table");
        for (int a = 0; a < arms; a++) text.Append($" $a{a}");
        text.Append(" $halt (local.get $op)))\n");
        for (int a = 0; a < arms; a++)
        {
            // After the end of block $a{a}: the arm of opcode a.
            if (a == 0) text.Append("(br $halt)");
            else if (a <= LightArms)
            {
                for (int s = 0; s < 4; s++)
                {
                    text.Append($"(local.set $acc (i32.add (i32.load offset={4 * s} (i32.const 0)) (i32.mul (local.get $acc) (i32.const {a * 7 + s}))))\n");
                }
            }
            else if (a <= LightArms + HeavyArms)
            {
                int heavy = a - LightArms;
                switch (heavy)
                {
                    case 2: text.Append("(local.set $acc (i32.div_u (local.get $acc) (local.get $x)))\n"); break;
                    case 3:
                        text.Append("(drop (memory.grow (i32.const 1)))\n");
                        text.Append("(i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (local.get $acc))\n");
                        break;
                    case 4: text.Append("(if (i32.eq (local.get $x) (i32.const 7)) (then (throw $boom (local.get $acc))))\n"); break;
                    case 5: text.Append("(if (i32.eq (local.get $x) (i32.const 99)) (then (unreachable)))\n"); break;
                    case 6:
                        text.Append("(local.set $k (i32.const 0))\n");
                        text.Append("(loop $spin (local.set $acc (i32.add (local.get $acc) (local.get $k))) (local.set $k (i32.add (local.get $k) (i32.const 1))) (br_if $spin (i32.lt_u (local.get $k) (i32.const 50))))\n");
                        text.Append("(if (i32.eq (local.get $x) (i32.const 98)) (then (local.set $acc (i32.load (i32.const 0x7fff0000)))))\n");
                        break;
                }
                // Heavier arms first in the body, lighter later: the choice is by weight, not position.
                for (int s = 0; s < 20 + 8 * heavy; s++)
                {
                    text.Append($"(local.set $y (i64.add (local.get $y) (i64.popcnt (i64.extend_i32_u (i32.add (local.get $acc) (i32.const {s}))))))\n");
                    text.Append("(local.set $d (f64.add (local.get $d) (f64.sqrt (f64.convert_i32_u (local.get $acc)))))\n");
                    text.Append("(local.set $acc (i32.xor (local.get $acc) (i32.wrap_i64 (local.get $y))))\n");
                }
                text.Append("(local.set $acc (i32.add (local.get $acc) (i32.trunc_sat_f64_s (local.get $d))))\n");
                text.Append("(i32.store (i32.const 32) (i32.add (i32.load (i32.const 32)) (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))))\n");
            }
            else text.Append("(return (i32.add (local.get $acc) (i32.load (i32.const 32))))");
            // Closes the block around the next arm (the last arm is directly in the loop).
            text.Append(a < arms - 1 ? "(br $next))\n" : "(br $next)\n");
        }
        text.Append("""
                  ))
                (i32.add (local.get $acc) (i32.load (i32.const 32))))
              (func (export "catching") (param $pc i32) (param $x i32) (result i32)
                (block $caught (result i32)
                  (return (try_table (result i32) (catch $boom $caught) (call $run (local.get $pc) (local.get $x)))))
                (i32.add (i32.const 1000000)))
              (func (export "memsize") (result i32) (memory.size)))
            """);
        return text.ToString();
    }

    private static readonly (int Pc, int X)[] Calls = [(0, 3), (0, 0), (0, 7), (0, 99), (0, 98), (64, 5), (64, 7), (64, 0), (13, 2), (2, 11)];

    private static string Outcome(Instance instance, string export, int pc, int x)
    {
        try
        {
            var result = instance.GetFunction(export)!.Invoke(WasmValue.FromInt32(pc), WasmValue.FromInt32(x));
            return $"{string.Join(", ", result.Select(v => v.ToString()))} pages {instance.GetFunction("memsize")!.Invoke()[0]}";
        }
        catch (TrapException trap)
        {
            return $"trap {trap.Kind}: {trap.Message} at {string.Join(" < ", trap.Frames.Select(f => $"{f.FunctionIndex}:{f.FunctionName}"))}";
        }
        catch (WasmException exception)
        {
            return $"exception {string.Join(", ", exception.Payload.Select(v => v.ToString()))}: {exception.Message}";
        }
    }

    private static (List<string> Outcomes, int Parts, long FuelLeft) RunAll(string wat, int threshold, bool managed)
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, wat);
        var store = new Store(engine) { SplitThreshold = threshold, ConsumeFuel = true, Fuel = 50_000_000, ManagedMemories = managed };
        var outcomes = new List<string>();
        long fuelLeft = 0;
        foreach (var (pc, x) in Calls)
        {
            // A new instance for every call: memory and its data as at the start.
            var instance = new Linker(engine).Instantiate(store, module);
            outcomes.Add(Outcome(instance, "run", pc, x));
            outcomes.Add(Outcome(instance, "catching", pc, x));
        }
        fuelLeft = store.Fuel;
        int parts = ((CompiledModule)module.CompiledFor(store.CodeOptions)).CodeTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Count(m => m.Name.StartsWith("outlined_", StringComparison.Ordinal));
        return (outcomes, parts, fuelLeft);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrapsExceptionsGrowthAndFuelInOutlinedArmsAreAsUnsplit(bool managed)
    {
        string wat = Interpreter();
        var (expected, none, fuel) = RunAll(wat, 0, managed);
        Assert.Equal(0, none);
        string all = string.Join("\n", expected);
        // The calls do reach every kind of end: a trap of each kind, the exception caught and uncaught, a return.
        Assert.True(expected.Any(o => o.StartsWith("trap IntegerDivideByZero", StringComparison.Ordinal)), all);
        Assert.True(expected.Any(o => o.StartsWith("trap Unreachable", StringComparison.Ordinal)), all);
        Assert.True(expected.Any(o => o.StartsWith("trap OutOfBoundsMemoryAccess", StringComparison.Ordinal)), all);
        Assert.True(expected.Any(o => o.StartsWith("exception ", StringComparison.Ordinal)), all);
        Assert.Contains(expected, o => o.Contains(" pages ", StringComparison.Ordinal));
        foreach (int threshold in Thresholds)
        {
            var (outcomes, parts, fuelLeft) = RunAll(wat, threshold, managed);
            Assert.True(parts > 0, $"nothing outlined at {threshold}");
            Assert.Equal(expected, outcomes);
            Assert.Equal(fuel, fuelLeft);
        }
    }

    // The br_table label counts, and whether f64.sqrt and i32.load occur, in an encoded body.
    private static (List<int> Tables, bool Sqrt, bool Loads) Contents(FunctionBody body)
    {
        var tables = new List<int>();
        bool sqrt = false, loads = false;
        var reader = new InstructionReader(body.Code.Span);
        while (!reader.AtEnd)
        {
            reader.Read(out var ins);
            if (ins.Opcode == Opcode.BrTable) tables.Add((int)ins.VectorCount + 1);
            if (ins.Opcode == Opcode.F64Sqrt) sqrt = true;
            if (ins.Opcode == Opcode.I32Load) loads = true;
        }
        return (tables, sqrt, loads);
    }

    private static FunctionSplitter.Result? SplitRun(string wat, int threshold)
    {
        var module = WasmModule.FromText(new Engine(), wat);
        var syntax = module.Syntax;
        var types = syntax.FunctionSpace.Select(t => (FuncType)syntax.Types[(int)t].Composite).ToArray();
        int run = syntax.ImportCount(ExternKind.Func); // $run is the first defined function
        return FunctionSplitter.Split(module.Valid, types[run], syntax.Codes[0], run, threshold, types.Length);
    }

    [Fact]
    public void TheDispatchAndItsLightArmsStayInTheCallerAndTheHeaviestArmsAreOutlined()
    {
        string wat = Interpreter();
        int arms = 1 + LightArms + HeavyArms + 1;
        // Big enough that light arms (weight ~200, over the smallest part) could be parts, small enough that the
        // caller must lose several heavy arms.
        var split = SplitRun(wat, 9_000);
        Assert.NotNull(split);
        Assert.Contains(arms + 1, Contents(split.Body).Tables);
        Assert.InRange(split.Parts.Count, 2, HeavyArms);
        foreach (var part in split.Parts)
        {
            var (tables, sqrt, _) = Contents(part.Body);
            Assert.True(sqrt, "a light arm was outlined");
            Assert.DoesNotContain(arms + 1, tables);
        }
        // The heaviest first: the parts are the biggest heavy arms (heavy arm k grows with k).
        var sizes = split.Parts.Select(p => p.Body.Code.Length).ToList();
        var smaller = SplitRun(wat, 12_000);
        Assert.NotNull(smaller);
        Assert.True(smaller.Parts.Count < split.Parts.Count, $"{smaller.Parts.Count} parts at 12,000, {split.Parts.Count} at 9,000");
        Assert.True(smaller.Parts.Min(p => p.Body.Code.Length) >= sizes.Order().ElementAt(sizes.Count - smaller.Parts.Count),
            "a lighter arm was outlined before a heavier one");
    }

    [Fact]
    public void AFunctionWhoseDispatchMustGoIsStillSplit()
    {
        // The arms are too light to be parts and the weight is in the dispatch's operand: only a run holding the
        // dispatch brings the caller under its target, so the splitter falls back to outlining it with its arms.
        const int arms = 40;
        var text = new StringBuilder("(module (memory 1) (func (export \"f\") (param $x i32) (result i32) (local $acc i32) (local $i i32)\n");
        text.Append("(loop $next\n");
        for (int a = arms; a >= 0; a--) text.Append($"(block $a{a}\n");
        text.Append("(br_table");
        for (int a = 0; a <= arms; a++) text.Append($" $a{a}");
        text.Append(" (i32.and (i32.const 63)");
        for (int s = 0; s < 20; s++) text.Append($" (i32.add (i32.load offset={4 * s} (local.get $i))");
        text.Append(" (local.get $i)").Append(')', 20).Append(")))\n");
        for (int a = 0; a <= arms; a++)
        {
            text.Append($"(local.set $acc (i32.xor (local.get $acc) (i32.const {a})))");
            text.Append("(local.set $i (i32.add (local.get $i) (i32.const 1)))");
            text.Append(a < arms ? "(br_if $next (i32.lt_u (local.get $i) (local.get $x))))\n" : "(br_if $next (i32.lt_u (local.get $i) (local.get $x)))\n");
        }
        text.Append(") (local.get $acc)))");
        string wat = text.ToString();
        var split = SplitRun(wat, 1_500);
        Assert.NotNull(split);
        // The dispatch's operand is the only code that loads: it went to a part, with the br_table of the arms (the
        // caller keeps a br_table of as many labels too, on the part's exit code).
        Assert.False(Contents(split.Body).Loads);
        Assert.Contains(split.Parts, p => Contents(p.Body) is { Loads: true } c && c.Tables.Contains(arms + 1));
        var engine = new Engine();
        var module = WasmModule.FromText(engine, wat);
        var plain = new Linker(engine).Instantiate(new Store(engine) { SplitThreshold = 0 }, module);
        var other = new Linker(engine).Instantiate(new Store(engine) { SplitThreshold = 1_500 }, module);
        foreach (int x in new[] { 0, 1, 5, 100 })
        {
            Assert.Equal(plain.GetFunction("f")!.Invoke(WasmValue.FromInt32(x))[0].ToString(), other.GetFunction("f")!.Invoke(WasmValue.FromInt32(x))[0].ToString());
        }
    }
}
