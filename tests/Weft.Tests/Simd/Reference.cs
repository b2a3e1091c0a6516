using static Weft.Tests.Simd.Lanes;

namespace Weft.Tests.Simd;

/// <summary>
/// A lane-at-a-time model of the spec's numeric rules (spec 4.3), written independently of Weft's runtime, to check
/// the vector helpers against. Float results come with whether a NaN result must be canonical (every NaN operand was
/// canonical) or may be any arithmetic NaN.
/// </summary>
internal static class Reference
{
    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    public static bool CanonicalOnly(params uint[] operands) => operands.All(b => !IsNaN(b) || IsCanonicalNaN(b));

    public static bool CanonicalOnly(params ulong[] operands) => operands.All(b => !IsNaN(b) || IsCanonicalNaN(b));

    // fmin / fmax: NaN wins, then -0 < +0, then the ordinary order.
    public static uint Min(uint a, uint b) =>
        IsNaN(a) || IsNaN(b) ? F32CanonicalNaN : F(a) == 0 && F(b) == 0 ? a | b : F(a) < F(b) ? a : b;

    public static uint Max(uint a, uint b) =>
        IsNaN(a) || IsNaN(b) ? F32CanonicalNaN : F(a) == 0 && F(b) == 0 ? a & b : F(a) > F(b) ? a : b;

    public static ulong Min(ulong a, ulong b) =>
        IsNaN(a) || IsNaN(b) ? F64CanonicalNaN : D(a) == 0 && D(b) == 0 ? a | b : D(a) < D(b) ? a : b;

    public static ulong Max(ulong a, ulong b) =>
        IsNaN(a) || IsNaN(b) ? F64CanonicalNaN : D(a) == 0 && D(b) == 0 ? a & b : D(a) > D(b) ? a : b;

    // pmin / pmax: plain comparisons, an operand returned as it is.
    public static uint Pmin(uint a, uint b) => F(b) < F(a) ? b : a;

    public static uint Pmax(uint a, uint b) => F(a) < F(b) ? b : a;

    public static ulong Pmin(ulong a, ulong b) => D(b) < D(a) ? b : a;

    public static ulong Pmax(ulong a, ulong b) => D(a) < D(b) ? b : a;

    // Roundings keep the operand's sign (ceil(-0.5) is -0); NaN stays NaN (quiet).
    public static uint Round(uint a, Func<double, double> round) =>
        IsNaN(a) ? F32CanonicalNaN : Lanes.Bits(MathF.CopySign((float)round(F(a)), F(a)));

    public static ulong Round(ulong a, Func<double, double> round) =>
        IsNaN(a) ? F64CanonicalNaN : Lanes.Bits(Math.CopySign(round(D(a)), D(a)));

    public static double Nearest(double x) => Math.Round(x, MidpointRounding.ToEven);

    // Saturating truncation (spec: trunc_sat_s, trunc_sat_u).
    public static int TruncSatS(double x) =>
        double.IsNaN(x) ? 0 : Math.Truncate(x) is var t && t < int.MinValue ? int.MinValue : t > int.MaxValue ? int.MaxValue : (int)t;

    public static uint TruncSatU(double x) =>
        double.IsNaN(x) ? 0 : Math.Truncate(x) is var t && t < 0 ? 0 : t > uint.MaxValue ? uint.MaxValue : (uint)t;

    public static float TruncSource(uint bits) => F(bits);

    public static double TruncSource(ulong bits) => D(bits);

    // Integer lane rules.
    public static short Q15MulrSat(short a, short b) => (short)Math.Clamp(((a * b) + 0x4000) >> 15, short.MinValue, short.MaxValue);

    public static sbyte NarrowS(short x) => (sbyte)Math.Clamp(x, sbyte.MinValue, sbyte.MaxValue);

    public static byte NarrowU(short x) => (byte)Math.Clamp(x, byte.MinValue, byte.MaxValue);

    public static short NarrowS(int x) => (short)Math.Clamp(x, short.MinValue, short.MaxValue);

    public static ushort NarrowU(int x) => (ushort)Math.Clamp(x, ushort.MinValue, ushort.MaxValue);

    public static byte Swizzle(ReadOnlySpan<byte> table, byte index) => index < 16 ? table[index] : (byte)0;
}
