using System.Globalization;
using System.Text;

namespace Weft.Benchmarks;

/// <summary>
/// Generates a large module that validates, from a few realistic function templates (loops over memory, arithmetic,
/// calls, branches, locals), for decode+validate throughput. Constants vary so bodies are not identical. Every loop
/// ends (its br_table targets a block, not the loop: the --aot benchmark calls the first function).
/// </summary>
internal static class ValidModuleGenerator
{
    /// <param name="targetBytes">About how large the module is.</param>
    /// <param name="exportFirst">Export the first function (which calls nothing) as "first", for first-call timings.</param>
    public static byte[] Generate(int targetBytes, bool exportFirst = false)
    {
        var text = new StringBuilder("(module (memory 1) (table 16 funcref) (global $g (mut i32) (i32.const 0))\n");
        text.Append("(type $bin (func (param i32 i32) (result i32)))\n");
        int functions = Math.Max(8, targetBytes / 130);
        for (int f = 0; f < functions; f++)
        {
            string k = (f * 7919 % 1000).ToString(CultureInfo.InvariantCulture);
            string previous = f == 0 ? "" : $"(drop (call {f - 1} (local.get 0) (i32.const {k})))";
            text.Append(CultureInfo.InvariantCulture, $$"""
                (func {{(exportFirst && f == 0 ? "(export \"first\")" : "")}} (type $bin) (local $i i32) (local $acc i32) (local $x i64) (local $d f64)
                  {{previous}}
                  (local.set $i (i32.const 0))
                  (block $out
                    (loop $top
                      (br_if $out (i32.ge_u (local.get $i) (local.get 1)))
                      (local.set $acc (i32.add (local.get $acc)
                        (i32.load offset={{k}} (i32.and (i32.add (local.get 0) (local.get $i)) (i32.const 4095)))))
                      (i32.store8 (i32.and (local.get $i) (i32.const 1023)) (local.get $acc))
                      (local.set $x (i64.mul (i64.extend_i32_u (local.get $acc)) (i64.const {{k}})))
                      (local.set $d (f64.add (local.get $d) (f64.convert_i64_s (local.get $x))))
                      (if (i32.and (local.get $i) (i32.const 1))
                        (then (global.set $g (i32.xor (global.get $g) (local.get $i))))
                        (else (local.set $acc (i32.rotl (local.get $acc) (i32.const 3)))))
                      (block $next (br_table $next $next (i32.and (local.get $i) (i32.const 1))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $top)))
                  (i32.add (local.get $acc) (i32.trunc_sat_f64_s (local.get $d))))

                """);
        }
        text.Append(')');
        return WasmModule.FromText(text.ToString()).ToBinary();
    }
}
