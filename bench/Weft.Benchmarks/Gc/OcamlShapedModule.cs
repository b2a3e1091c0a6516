using System.Globalization;
using System.Text;

namespace Weft.Benchmarks.Gc;

/// <summary>
/// Generates a large WasmGC module shaped like wasm_of_ocaml output, for start-up measurements: a global section of
/// about 1 MB of constant initializers (OCaml blocks as arrays of eq references holding i31 values, strings as
/// (array i8), closures as structs with a funcref, and references to earlier globals), thousands of small functions
/// that test, cast and call each other (directly and through call_ref), most of them never called at start-up, and a
/// start function that runs a few hundred straight-line module initializers once. Export "main" runs a short chain.
/// </summary>
internal static class OcamlShapedModule
{
    public static byte[] Generate(int globals = 17_000, int functions = 22_000, int initializers = 300) =>
        WasmModule.FromText(Text(globals, functions, initializers)).ToBinary();

    public static string Text(int globals, int functions, int initializers)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = new StringBuilder(16 << 20);
        t.Append("""
            (module
              (rec
                (type $block (sub (array (mut (ref null eq)))))
                (type $string (array (mut i8)))
                (type $fn (func (param (ref eq) (ref eq)) (result (ref eq))))
                (type $closure (sub (struct (field (ref $fn)))))
                (type $closure_env (sub final $closure (struct (field (ref $fn)) (field (ref null eq))))))
              (global $sink (mut (ref null eq)) (ref.null eq))

            """);
        for (int g = 0; g < globals; g++)
        {
            string previous = g == 0 ? "(ref.null eq)" : $"(global.get $c{(g * 7) / 8})";
            var chars = new StringBuilder();
            for (int c = 0; c < 8; c++) chars.Append(inv, $" (i32.const {97 + (g + c) % 26})");
            t.Append(inv, $"  (global $c{g} (ref $block) (array.new_fixed $block 6 (ref.i31 (i32.const {g})) {previous} (array.new_fixed $string 8{chars}) (ref.i31 (i32.const {g * 31 % 1000})) (struct.new $closure_env (ref.func $f{g % functions}) (ref.i31 (i32.const 1))) (ref.null eq)))\n");
        }
        for (int f = 0; f < functions; f++)
        {
            int next = (f + 1) % functions;
            int g = f * 13 % globals;
            t.Append(inv, $$"""
                  (func $f{{f}} (type $fn) (param $x (ref eq)) (param $env (ref eq)) (result (ref eq))
                    (local $b (ref null $block)) (local $i i32)
                    (if (ref.test (ref $block) (local.get $x))
                      (then
                        (local.set $b (ref.cast (ref $block) (local.get $x)))
                        (local.set $i (i31.get_s (ref.cast (ref i31) (array.get $block (local.get $b) (i32.const 0)))))
                        (array.set $block (local.get $b) (i32.const 5) (ref.i31 (i32.add (local.get $i) (i32.const {{f % 97}}))))
                        (return (ref.i31 (local.get $i)))))
                    (local.set $i (i31.get_s (ref.cast (ref i31) (local.get $x))))
                    (if (i32.gt_s (local.get $i) (i32.const 1000))
                      (then (return (call_ref $fn (ref.i31 (i32.sub (local.get $i) (i32.const 1000))) (local.get $env)
                        (struct.get $closure 0 (ref.cast (ref $closure) (array.get $block (global.get $c{{g}}) (i32.const 4))))))))
                    (if (i32.gt_s (local.get $i) (i32.const 0))
                      (then (return (call $f{{next}} (ref.i31 (i32.sub (local.get $i) (i32.const 1))) (global.get $c{{g}})))))
                    (ref.i31 (i32.add (local.get $i) (i32.const {{f % 89}}))))

                """);
        }
        for (int k = 0; k < initializers; k++)
        {
            t.Append(inv, $"  (func $init{k}\n");
            for (int s = 0; s < 10; s++)
            {
                int f = (k * 10 + s) % Math.Min(functions, 2_000);
                int g = (k * 10 + s) * 5 % globals;
                t.Append(inv, $"    (global.set $sink (array.new_fixed $block 3 (ref.i31 (i32.const {s})) (global.get $c{g}) (call $f{f} (ref.i31 (i32.const 2)) (global.get $c{g}))))\n");
                t.Append(inv, $"    (drop (call $f{f} (global.get $c{g}) (ref.i31 (i32.const 0))))\n");
            }
            t.Append("  )\n");
        }
        t.Append("  (func $start\n");
        for (int k = 0; k < initializers; k++) t.Append(inv, $"    (call $init{k})\n");
        t.Append("  )\n  (start $start)\n");
        t.Append("""
              (func (export "main") (param $n i32) (result i32)
                (i31.get_s (ref.cast (ref i31) (call $f0 (ref.i31 (local.get $n)) (ref.i31 (i32.const 0))))))
            )
            """);
        return t.ToString();
    }
}
