using System.Runtime.CompilerServices;
using System.Text;
using Weft.Tests.Execution;

namespace Weft.Tests.JitBugs;

/// <summary>
/// dotnet/runtime#129288: RyuJIT let a compare of a constant-count rotate with zero read the flags of the rotate
/// itself, which x86 ROL/ROR never set, so <c>(i32.eqz (i32.rotr x 1))</c> was 0 for x = 0. Every rotate (and an
/// or of two shifts, which RyuJIT turns into a rotate) is checked here under every consumer that tests a value
/// against zero: eqz, eq/ne, all eight orderings (as a value and as a branch, either operand order), if, br_if,
/// select, br_table, through a local, local.tee, a block result, a call result (inlined), a callee's parameter and a
/// division's zero check.
/// </summary>
public class RotateFlagsTests
{
    private static readonly string[] s_orders = ["lt_s", "ge_s", "gt_s", "le_s", "lt_u", "ge_u", "gt_u", "le_u"];
    private static readonly string[] s_ops = ["rotl", "rotr", "orpair"];

    private static readonly long[] s_counts32 = [1, 3, 7, 31, 0, 32, -32, 33];
    private static readonly long[] s_counts64 = [1, 7, 32, 63, 0, 64, -64, 65];
    private static readonly long[] s_varCounts32 = [0, 1, 7, 31, 32, -32];
    private static readonly long[] s_varCounts64 = [0, 1, 7, 63, 64, 32];
    private static readonly ulong[] s_values32 = [0, 1, 2, 0x80000000, 0xFFFFFFFF, 0x10000000, 0x40000000, 0x100, 0x12345678, 0x8000];
    private static readonly ulong[] s_values64 =
        [0, 1, 0x8000000000000000, ulong.MaxValue, 0x1000000000000000, 0x100000000, 0x123456789ABCDEF0, 0x80000000, 0x4000000000000000];

    /// <summary>The consumers: name and the wasm around R (the rotate), with C the i32 condition made from R.</summary>
    private static IEnumerable<(string Name, string Body)> Consumers(string t)
    {
        yield return ("eqz", $"({t}.eqz R)");
        yield return ("eq0", $"({t}.eq R ({t}.const 0))");
        yield return ("eq0l", $"({t}.eq ({t}.const 0) R)");
        yield return ("ne0", $"({t}.ne R ({t}.const 0))");
        foreach (var order in s_orders)
        {
            yield return ($"v_{order}", $"({t}.{order} R ({t}.const 0))");
            yield return ($"b_{order}", $"(if (result i32) ({t}.{order} R ({t}.const 0)) (then (i32.const 1)) (else (i32.const 0)))");
            yield return ($"r_{order}", $"(if (result i32) ({t}.{order} ({t}.const 0) R) (then (i32.const 1)) (else (i32.const 0)))");
        }
        yield return ("if", "(if (result i32) C (then (i32.const 1)) (else (i32.const 0)))");
        yield return ("brif", "(block (result i32) (drop (br_if 0 (i32.const 1) C)) (i32.const 0))");
        yield return ("select", "(select (i32.const 1) (i32.const 0) C)");
        yield return ("brtable", "(block (block (br_table 1 0 C)) (return (i32.const 1))) (i32.const 0)");
        yield return ("local", $"(local.set $t R) (if (result i32) ({t}.ne (local.get $t) ({t}.const 0)) (then (i32.const 1)) (else (i32.const 0)))");
        yield return ("tee", $"(if (result i32) ({t}.eqz (local.tee $t R)) (then (i32.const 0)) (else (i32.const 1)))");
        yield return ("block", $"({t}.eqz (block (result {t}) R))");
        yield return ("call", $"({t}.eqz (call $H (local.get $x) (local.get $c)))");
        yield return ("callee", "(call $is_zero R)");
        yield return ("div", t == "i32" ? "(i32.div_u (i32.const 1000) R)" : "(i32.wrap_i64 (i64.div_u (i64.const 1000) R))");
    }

    private static string Rotation(string t, int width, string op, string count) => op switch
    {
        "orpair" => $"({t}.or ({t}.shl (local.get $x) {count}) ({t}.shr_u (local.get $x) ({t}.sub ({t}.const {width}) {count})))",
        _ => $"({t}.{op} (local.get $x) {count})",
    };

    private static string Name(string op, string count, string consumer) => $"{op}_{count}_{consumer}";

    private static string Module(int width, long[] counts)
    {
        string t = width == 32 ? "i32" : "i64";
        var text = new StringBuilder("(module\n");
        text.Append($"  (func $is_zero (param {t}) (result i32) ({t}.eqz (local.get 0)))\n");
        foreach (var op in s_ops)
        {
            foreach (var count in counts.Select(c => c.ToString()).Append("var"))
            {
                string countExpr = count == "var" ? "(local.get $c)" : $"({t}.const {count})";
                string rotation = Rotation(t, width, op, countExpr);
                string helper = $"$h_{op}_{count.Replace('-', 'm')}";
                text.Append($"  (func {helper} (param $x {t}) (param $c {t}) (result {t}) {rotation})\n");
                string condition = t == "i32" ? rotation : $"(i32.wrap_i64 {rotation})";
                foreach (var (name, body) in Consumers(t))
                {
                    string code = body.Replace("$H", helper).Replace("C", condition).Replace("R", rotation);
                    text.Append($"  (func (export \"{Name(op, count, name)}\") (param $x {t}) (param $c {t}) (result i32) (local $t {t}) {code})\n");
                }
            }
        }
        return text.Append(')').ToString();
    }

    /// <summary>What the consumer must give for rotation result r (wasm semantics; null for a trap).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    private static int? Expected(string consumer, ulong r, int width)
    {
        long signed = width == 32 ? (int)(uint)r : (long)r;
        bool low32 = (uint)r != 0;
        static int B(bool b) => b ? 1 : 0;
        int Order(string order, long a, ulong ua, long b, ulong ub) => order switch
        {
            "lt_s" => B(a < b), "ge_s" => B(a >= b), "gt_s" => B(a > b), "le_s" => B(a <= b),
            "lt_u" => B(ua < ub), "ge_u" => B(ua >= ub), "gt_u" => B(ua > ub), "le_u" => B(ua <= ub),
            _ => throw new ArgumentOutOfRangeException(nameof(order)),
        };
        if (consumer.StartsWith("v_", StringComparison.Ordinal) || consumer.StartsWith("b_", StringComparison.Ordinal))
            return Order(consumer[2..], signed, r, 0, 0);
        if (consumer.StartsWith("r_", StringComparison.Ordinal)) return Order(consumer[2..], 0, 0, signed, r);
        return consumer switch
        {
            "eqz" or "eq0" or "eq0l" or "block" or "call" or "callee" => B(r == 0),
            "ne0" or "local" or "tee" => B(r != 0),
            "if" or "brif" or "select" or "brtable" => B(width == 32 ? r != 0 : low32),
            "div" => r == 0 ? null : (int)(uint)(1000 / r),
            _ => throw new ArgumentOutOfRangeException(nameof(consumer)),
        };
    }

    private static ulong Rotate(string op, ulong x, long count, int width) => (op, width) switch
    {
        ("rotl" or "orpair", 32) => Ref.Rotl32((uint)x, count),
        ("rotr", 32) => Ref.Rotr32((uint)x, count),
        ("rotl" or "orpair", 64) => Ref.Rotl64(x, count),
        ("rotr", 64) => Ref.Rotr64(x, count),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static void Check(string kind, int width)
    {
        long[] counts = width == 32 ? s_counts32 : s_counts64;
        long[] varCounts = width == 32 ? s_varCounts32 : s_varCounts64;
        ulong[] values = width == 32 ? s_values32 : s_values64;
        var instance = JitBugStores.Instantiate(kind, Module(width, counts));
        var consumers = Consumers("i32").Select(c => c.Name).ToArray();
        var cases = new List<(Function Function, string Name, string Op, string Consumer, long Count, bool Variable)>();
        foreach (var op in s_ops)
        {
            foreach (var consumer in consumers)
            {
                foreach (var count in counts) cases.Add((instance.GetFunction(Name(op, count.ToString(), consumer))!, Name(op, count.ToString(), consumer), op, consumer, count, false));
                cases.Add((instance.GetFunction(Name(op, "var", consumer))!, Name(op, "var", consumer), op, consumer, 0, true));
            }
        }
        var failures = new List<string>();
        foreach (var c in cases)
        {
            foreach (var count in c.Variable ? varCounts : [c.Count])
            {
                foreach (var x in values)
                {
                    WasmValue wx = width == 32 ? WasmValue.FromInt32((int)(uint)x) : WasmValue.FromInt64((long)x);
                    WasmValue wc = width == 32 ? WasmValue.FromInt32((int)count) : WasmValue.FromInt64(count);
                    int? expected = Expected(c.Consumer, Rotate(c.Op, x, count, width), width);
                    int? actual;
                    try { actual = c.Function.Invoke(wx, wc)[0].AsInt32(); }
                    catch (TrapException trap) when (trap.Kind == TrapKind.IntegerDivideByZero) { actual = null; }
                    if (actual != expected) failures.Add($"{c.Name}(x=0x{x:X}, count={count}): {actual?.ToString() ?? "trap"}, expected {expected?.ToString() ?? "trap"}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} wrong results under the {kind} store:\n" + string.Join('\n', failures.Take(40)));
    }

    [Theory]
    [MemberData(nameof(JitBugStores.Kinds), MemberType = typeof(JitBugStores))]
    public void I32RotatesTestedAgainstZeroGiveTheRotatedValuesAnswer(string kind) => Check(kind, 32);

    [Theory]
    [MemberData(nameof(JitBugStores.Kinds), MemberType = typeof(JitBugStores))]
    public void I64RotatesTestedAgainstZeroGiveTheRotatedValuesAnswer(string kind) => Check(kind, 64);

    [Fact]
    public void TheReportedCasesGiveTheirHandDerivedResults()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "eqz_rotr") (param i32) (result i32) (i32.eqz (i32.rotr (local.get 0) (i32.const 1))))
              (func (export "if_rotl") (param i32) (result i32) (if (result i32) (i32.rotl (local.get 0) (i32.const 7)) (then (i32.const 1)) (else (i32.const 0))))
              (func (export "lt_s_rotl") (param i32) (result i32) (if (result i32) (i32.lt_s (i32.rotl (local.get 0) (i32.const 3)) (i32.const 0)) (then (i32.const 1)) (else (i32.const 0))))
              (func (export "eqz_rotl64") (param i64) (result i32) (i64.eqz (i64.rotl (local.get 0) (i64.const 13))))
            )
            """);
        Assert.Equal(1, instance.CallI32("eqz_rotr", 0));
        Assert.Equal(0, instance.CallI32("eqz_rotr", 5));
        Assert.Equal(0, instance.CallI32("if_rotl", 0));
        Assert.Equal(1, instance.CallI32("if_rotl", 1));
        Assert.Equal(1, instance.CallI32("lt_s_rotl", 0x10000000)); // rotl 3 puts bit 28 into bit 31
        Assert.Equal(0, instance.CallI32("lt_s_rotl", 0x20000000)); // ... and bit 29 into bit 0
        Assert.Equal(1, instance.CallI32("eqz_rotl64", 0L));
        Assert.Equal(0, instance.CallI32("eqz_rotl64", long.MinValue));
    }
}
