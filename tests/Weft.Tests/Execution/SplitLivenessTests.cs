using System.Reflection;
using System.Text;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Split parts pass only live locals (FunctionSplitter.Liveness): a part gets the locals it reads before writing
/// them and returns those read after it. Each test compares split code with the same code unsplit, on programs where
/// a wrong liveness shows: a local written in a part on one path only and read after it, a value carried around a
/// loop's back edge, locals dead after a part and overwritten later, branches out of parts (with values, which stay
/// in the caller), try regions, and many locals of every type (more than 64, so the bit sets span several words).
/// </summary>
public class SplitLivenessTests
{
    private static readonly int[] Thresholds = [8, 20, 40, 100, 250, 600];

    private static MethodInfo[] OutlinedMethods(WasmModule module, Store store) =>
        [.. ((CompiledModule)module.CompiledFor(store.CodeOptions)).CodeTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.StartsWith("outlined_", StringComparison.Ordinal))];

    private static string Outcome(Function function, params WasmValue[] arguments)
    {
        try
        {
            return string.Join(", ", function.Invoke(arguments).Select(v => v.ToString()));
        }
        catch (TrapException trap)
        {
            return $"trap {trap.Kind} at {string.Join(" < ", trap.Frames.Select(f => f.FunctionName))}";
        }
    }

    private static (Instance Instance, MethodInfo[] Parts) Instantiate(Engine engine, string wat, int threshold)
    {
        var module = WasmModule.FromText(engine, wat);
        // Fuel bounds every run: a lost loop counter ends in a fuel trap rather than a hang.
        var store = new Store(engine) { SplitThreshold = threshold, ConsumeFuel = true, Fuel = 50_000_000 };
        var instance = new Linker(engine).Instantiate(store, module);
        return (instance, OutlinedMethods(module, store));
    }

    private static void AssertSameEverywhere(string wat, string export, IEnumerable<WasmValue[]> calls)
    {
        var engine = new Engine();
        var (plain, none) = Instantiate(engine, wat, 0);
        Assert.Empty(none);
        var argumentLists = calls.ToList();
        var expected = argumentLists.Select(a => Outcome(plain.GetFunction(export)!, a)).ToList();
        int splitAt = 0;
        foreach (int threshold in Thresholds)
        {
            var (split, parts) = Instantiate(engine, wat, threshold);
            if (parts.Length > 0) splitAt++;
            Assert.Equal(expected, argumentLists.Select(a => Outcome(split.GetFunction(export)!, a)).ToList());
        }
        // The smallest thresholds outline only the lightest statements (a part weighs at most two thirds of it).
        Assert.True(splitAt >= Thresholds.Length / 2, $"split at only {splitAt} thresholds");
    }

    // $keep is written on one path of an if only: its old value must still go into the part. $t is a temporary
    // (written before read in every statement); $c carries a value around the loop, written at the end of the body
    // and read at its head; a br with a value to $out and a br_table leave from inside.
    private const string Paths = """
        (module
          (memory 1)
          (func (export "f") (param $n i32) (result i32)
            (local $i i32) (local $t i32) (local $keep i32) (local $c i32) (local $dead i32)
            (local.set $keep (i32.const 7))
            (block $out (result i32)
              (loop $top
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $t (i32.mul (local.get $i) (i32.const 3)))
                (local.set $t (i32.add (local.get $t) (local.get $c)))
                (if (i32.and (local.get $i) (i32.const 1))
                  (then (local.set $keep (i32.add (local.get $keep) (local.get $t)))))
                (local.set $dead (i32.xor (local.get $keep) (i32.const 0x5a)))
                (i32.store (i32.const 8) (local.get $dead))
                (local.set $dead (i32.const 0))
                (local.set $t (i32.load (i32.const 8)))
                (drop (br_if $out (i32.add (local.get $keep) (i32.const 1000)) (i32.gt_u (local.get $keep) (i32.const 5000))))
                (block $a
                  (block $b
                    (br_table $a $b $top (i32.rem_u (local.get $i) (i32.const 3))))
                  (local.set $c (i32.add (local.get $c) (local.get $t))))
                (local.set $c (i32.rotl (local.get $c) (i32.const 3)))
                (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
              (i32.add (local.get $c) (i32.mul (local.get $keep) (i32.const 31))))
            (i32.add (local.get $i))))
        """;

    [Fact]
    public void LocalsWrittenOnOnePathOrAroundALoopKeepTheirValues()
    {
        AssertSameEverywhere(Paths, "f", Enumerable.Range(0, 40).Select(n => new[] { WasmValue.FromInt32(n * 3) }));
    }

    // A try_table region (the liveness is not computed for it: every touched local crosses) with a part that traps.
    private const string Handlers = """
        (module
          (tag $e (param i32))
          (func $maybe (param i32) (if (i32.eq (local.get 0) (i32.const 4)) (then (throw $e (i32.const 99)))))
          (func (export "g") (param $n i32) (result i32)
            (local $i i32) (local $acc i32) (local $t i32)
            (loop $top
              (block $h (result i32)
                (try_table (catch $e $h)
                  (local.set $t (i32.add (local.get $i) (i32.const 11)))
                  (local.set $acc (i32.add (local.get $acc) (local.get $t)))
                  (call $maybe (local.get $i))
                  (local.set $acc (i32.mul (local.get $acc) (i32.const 3))))
                (i32.const 0))
              (local.set $acc (i32.add (local.get $acc)))
              (local.set $t (i32.div_u (local.get $acc) (i32.sub (i32.const 9) (local.get $i))))
              (local.set $acc (i32.xor (local.get $acc) (local.get $t)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc)))
        """;

    [Fact]
    public void PartsInsideLoopsAndTryRegionsKeepHandlersAndTrapsExact()
    {
        AssertSameEverywhere(Handlers, "g", Enumerable.Range(0, 12).Select(n => new[] { WasmValue.FromInt32(n) }));
    }

    // 90 locals of every type in a loop; statements read and write them in a fixed pseudo-random order, some inside
    // ifs (written on one path), some leaving a block early; the result folds all of them.
    private static string ManyLocals()
    {
        string[] kinds = ["i32", "i64", "f32", "f64", "v128", "externref", "funcref", "(ref func)"];
        int count = 90;
        var types = Enumerable.Range(0, count).Select(k => kinds[k % kinds.Length]).ToArray();
        var text = new StringBuilder("(module (memory 1) (elem declare func $id) (func $id)\n");
        text.Append("(func (export \"h\") (param $n i32) (param $r externref) (result i64)\n");
        text.Append("(local $i i32) (local $acc i64)\n");
        for (int k = 0; k < count; k++) text.Append($"(local $l{k} {types[k]})\n");
        // The non-nullable locals get a value before anything reads them.
        for (int k = 0; k < count; k++)
        {
            if (types[k] == "(ref func)") text.Append($"(local.set $l{k} (ref.func $id))\n");
        }
        text.Append("(loop $top\n");
        uint seed = 12345;
        int Next(int bound)
        {
            seed = seed * 1103515245 + 12345;
            return (int)((seed >> 8) % (uint)bound);
        }
        string Value(int k, string type) => type switch
        {
            "i32" => $"(i32.add (local.get $l{k}) (i32.mul (local.get $i) (i32.const {Next(100) + 1})))",
            "i64" => $"(i64.add (local.get $l{k}) (i64.extend_i32_u (i32.add (local.get $i) (i32.const {Next(100)}))))",
            "f32" => $"(f32.add (local.get $l{k}) (f32.convert_i32_u (local.get $i)))",
            "f64" => $"(f64.mul (f64.add (local.get $l{k}) (f64.const 1.5)) (f64.const 0.75))",
            "v128" => $"(i32x4.add (local.get $l{k}) (i32x4.splat (local.get $i)))",
            "externref" => $"(select (result externref) (local.get $r) (local.get $l{k}) (i32.and (local.get $i) (i32.const {Next(3) + 1})))",
            "funcref" => $"(select (result funcref) (ref.func $id) (local.get $l{k}) (i32.and (local.get $i) (i32.const 1)))",
            _ => $"(local.get $l{k})",
        };
        for (int s = 0; s < 260; s++)
        {
            int target = Next(count);
            string type = types[target];
            // The source: another local of the same type, so values flow between locals.
            int source = target;
            for (int tries = 0; tries < 8; tries++)
            {
                int c = Next(count);
                if (types[c] == type) { source = c; break; }
            }
            string set = $"(local.set $l{target} {Value(source, type)})";
            switch (Next(4))
            {
                case 0:
                    text.Append($"(if (i32.and (local.get $i) (i32.const {1 << Next(3)})) (then {set}))\n");
                    break;
                case 1:
                    text.Append($"(block $skip (br_if $skip (i32.eq (i32.rem_u (local.get $i) (i32.const 5)) (i32.const {Next(5)}))) {set})\n");
                    break;
                default:
                    text.Append(set).Append('\n');
                    break;
            }
        }
        text.Append("(local.set $i (i32.add (local.get $i) (i32.const 1)))\n");
        text.Append("(br_if $top (i32.lt_u (local.get $i) (local.get $n))))\n");
        for (int k = 0; k < count; k++)
        {
            string fold = types[k] switch
            {
                "i32" => $"(i64.extend_i32_u (local.get $l{k}))",
                "i64" => $"(local.get $l{k})",
                "f32" => $"(i64.trunc_sat_f32_s (local.get $l{k}))",
                "f64" => $"(i64.trunc_sat_f64_s (local.get $l{k}))",
                "v128" => $"(i64x2.extract_lane 1 (local.get $l{k}))",
                "(ref func)" => $"(i64.extend_i32_u (ref.is_null (local.get $l{k})))",
                _ => $"(i64.extend_i32_u (ref.is_null (local.get $l{k})))",
            };
            text.Append($"(local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 7)) {fold}))\n");
        }
        text.Append("(local.get $acc)))");
        return text.ToString();
    }

    [Fact]
    public void ManyLocalsOfEveryTypeIncludingV128AndReferencesCrossParts()
    {
        var host = new object();
        var calls = new List<WasmValue[]>();
        foreach (int n in new[] { 1, 2, 3, 7, 20 })
        {
            calls.Add([WasmValue.FromInt32(n), WasmValue.FromReference(null)]);
            calls.Add([WasmValue.FromInt32(n), WasmValue.FromReference(host)]);
        }
        AssertSameEverywhere(ManyLocals(), "h", calls);
    }

    // Every statement's temporaries are written before they are read: with liveness, a part gets only the loop's
    // counters and its sum, not the 40 temporaries it touches.
    [Fact]
    public void APartIsPassedOnlyTheLocalsLiveAcrossIt()
    {
        var text = new StringBuilder("(module (func (export \"s\") (param $n i32) (result i32) (local $i i32) (local $sum i32)");
        for (int k = 0; k < 40; k++) text.Append($" (local $t{k} i32)");
        text.Append("\n(loop $top\n");
        for (int k = 0; k < 40; k++)
        {
            text.Append($"(local.set $t{k} (i32.mul (local.get $i) (i32.const {k + 3})))\n");
            text.Append($"(local.set $sum (i32.add (local.get $sum) (i32.xor (local.get $t{k}) (i32.const {k}))))\n");
        }
        text.Append("(local.set $i (i32.add (local.get $i) (i32.const 1)))\n(br_if $top (i32.lt_u (local.get $i) (local.get $n))))\n(local.get $sum)))");
        string wat = text.ToString();
        var engine = new Engine();
        var (plain, _) = Instantiate(engine, wat, 0);
        var (split, parts) = Instantiate(engine, wat, 600);
        Assert.NotEmpty(parts);
        // The context, then $i, $sum and $n at most (a part's temporaries are its own locals; passing every touched
        // local would pass a dozen).
        Assert.All(parts, p => Assert.True(p.GetParameters().Length <= 4, $"{p.Name} has {p.GetParameters().Length} parameters"));
        foreach (int n in new[] { 0, 1, 5, 100 })
        {
            Assert.Equal(Outcome(plain.GetFunction("s")!, WasmValue.FromInt32(n)), Outcome(split.GetFunction("s")!, WasmValue.FromInt32(n)));
        }
    }
}
