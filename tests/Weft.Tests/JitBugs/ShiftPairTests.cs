using System.Text;
using Weft.Tests.Execution;

namespace Weft.Tests.JitBugs;

/// <summary>
/// dotnet/runtime#133864: RyuJIT turns <c>(x &lt;&lt; y) ^ (x &gt;&gt;&gt; (N - y))</c> into a rotate, which is wrong when y is a
/// multiple of N (both shifts are x, so the xor is 0). Checked for xor, or and add, i32 and i64, with and without the
/// program's own masks, either operand order, the `0 - y` form, through locals, and with constant counts.
/// </summary>
public class ShiftPairTests
{
    private static readonly string[] s_joins = ["xor", "or", "add"];
    private static readonly long[] s_counts = [0, 1, 4, 31, 32, 33, 63, 64, 65, -32, -64, -1];
    private static readonly ulong[] s_values = [0x12345678, 0x123456789ABCDEF0, 1, ulong.MaxValue, 0x8000000000000001];

    /// <summary>Forms of a shift pair: name, and the wasm with X the value, Y the count, LEFT/RIGHT the two shifts.</summary>
    private static IEnumerable<(string Name, string Body)> Forms(string t, int width)
    {
        string m = $"({t}.const {width - 1})";
        yield return ("plain", $"(J (T.shl X Y) (T.shr_u X (T.sub (T.const {width}) Y)))");
        yield return ("masked", $"(J (T.shl X (T.and Y {m})) (T.shr_u X (T.and (T.sub (T.const {width}) Y) {m})))");
        yield return ("swapped", $"(J (T.shr_u X (T.and (T.sub (T.const {width}) Y) {m})) (T.shl X (T.and Y {m})))");
        yield return ("right", $"(J (T.shr_u X Y) (T.shl X (T.sub (T.const {width}) Y)))");
        yield return ("negated", $"(J (T.shl X Y) (T.shr_u X (T.sub (T.const 0) Y)))");
        yield return ("locals", $"(local.set $a (T.shl X Y)) (local.set $b (T.shr_u X (T.sub (T.const {width}) Y))) (J (local.get $a) (local.get $b))");
    }

    /// <summary>The same computed by the reference: each shift on its own, then joined.</summary>
    private static ulong Expected(string form, string join, ulong x, long y, int width)
    {
        ulong mask = width == 32 ? uint.MaxValue : ulong.MaxValue;
        ulong Shl(long n) => width == 32 ? Ref.Shl32((uint)x, n) : Ref.Shl64(x, n);
        ulong ShrU(long n) => width == 32 ? Ref.ShrU32((uint)x, n) : Ref.ShrU64(x, n);
        return form switch
        {
            "right" => Ref.Combine(join, ShrU(y), Shl(width - y), mask),
            "negated" => Ref.Combine(join, Shl(y), ShrU(-y), mask),
            _ => Ref.Combine(join, Shl(y), ShrU(width - y), mask),
        };
    }

    private static string Module(int width)
    {
        string t = width == 32 ? "i32" : "i64";
        var text = new StringBuilder("(module\n");
        foreach (var join in s_joins)
        {
            foreach (var (name, body) in Forms(t, width))
            {
                string code = body.Replace("J", $"{t}.{join}").Replace("T.", $"{t}.").Replace("X", "(local.get $x)");
                text.Append($"  (func (export \"{join}_{name}\") (param $x {t}) (param $y {t}) (result {t}) (local $a {t}) (local $b {t}) {code.Replace("Y", "(local.get $y)")})\n");
                foreach (var count in s_counts)
                    text.Append($"  (func (export \"{join}_{name}_{count}\") (param $x {t}) (result {t}) (local $a {t}) (local $b {t}) {code.Replace("Y", $"({t}.const {count})")})\n");
            }
        }
        return text.Append(')').ToString();
    }

    private static void Check(string kind, int width)
    {
        var instance = JitBugStores.Instantiate(kind, Module(width));
        var failures = new List<string>();
        foreach (var join in s_joins)
        {
            foreach (var (form, _) in Forms("i32", width))
            {
                var variable = instance.GetFunction($"{join}_{form}")!;
                foreach (var count in s_counts)
                {
                    var constant = instance.GetFunction($"{join}_{form}_{count}")!;
                    foreach (var x in s_values)
                    {
                        WasmValue wx = width == 32 ? WasmValue.FromInt32((int)(uint)x) : WasmValue.FromInt64((long)x);
                        WasmValue wy = width == 32 ? WasmValue.FromInt32((int)count) : WasmValue.FromInt64(count);
                        ulong expected = Expected(form, join, x, count, width);
                        ulong got = variable.Invoke(wx, wy)[0].Bits, gotConstant = constant.Invoke(wx)[0].Bits;
                        if (got != expected) failures.Add($"{join}_{form}(0x{x:X}, {count}) = 0x{got:X}, expected 0x{expected:X}");
                        if (gotConstant != expected) failures.Add($"{join}_{form}_{count}(0x{x:X}) = 0x{gotConstant:X}, expected 0x{expected:X}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} wrong results under the {kind} store:\n" + string.Join('\n', failures.Take(40)));
    }

    [Theory]
    [MemberData(nameof(JitBugStores.Kinds), MemberType = typeof(JitBugStores))]
    public void I32ShiftPairsKeepWasmSemantics(string kind) => Check(kind, 32);

    [Theory]
    [MemberData(nameof(JitBugStores.Kinds), MemberType = typeof(JitBugStores))]
    public void I64ShiftPairsKeepWasmSemantics(string kind) => Check(kind, 64);

    [Fact]
    public void TheReportedCaseGivesItsHandDerivedResult()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param i32 i32) (result i32)
                (i32.xor (i32.shl (local.get 0) (i32.and (local.get 1) (i32.const 31)))
                         (i32.shr_u (local.get 0) (i32.and (i32.sub (i32.const 32) (local.get 1)) (i32.const 31)))))
              (func (export "g") (param i64 i64) (result i64)
                (i64.xor (i64.shl (local.get 0) (local.get 1)) (i64.shr_u (local.get 0) (i64.sub (i64.const 64) (local.get 1))))))
            """);
        Assert.Equal(0, instance.CallI32("f", 0x12345678, 0));
        Assert.Equal(0, instance.CallI32("f", 0x12345678, 32));
        Assert.Equal(0x23456781, instance.CallI32("f", 0x12345678, 4));
        Assert.Equal(0L, instance.Call("g", 0x1234L, 0L)[0].AsInt64());
        Assert.Equal(0x12340L, instance.Call("g", 0x1234L, 4L)[0].AsInt64());
    }
}
