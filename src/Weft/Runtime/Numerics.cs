using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The numeric operations whose wasm semantics differ from the plain IL instruction (spec 4.3 "Numerics"): traps
/// on division and truncation, NaN and signed-zero rules of min/max, exact unsigned conversions. Compiled code
/// calls these; the small ones are inlined by RyuJIT.
/// </summary>
internal static class Numerics
{
    private const float TwoPow31F = 2147483648f;
    private const float TwoPow32F = 4294967296f;
    private const float TwoPow63F = 9223372036854775808f;
    private const float TwoPow64F = 18446744073709551616f;
    private const double TwoPow31 = 2147483648.0;
    private const double TwoPow32 = 4294967296.0;
    private const double TwoPow63 = 9223372036854775808.0;
    private const double TwoPow64 = 18446744073709551616.0;

    // ---- integer division (spec: idiv_s, idiv_u, irem_s, irem_u)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        if (b == -1 && a == int.MinValue) throw TrapFactory.IntegerOverflow();
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        // The CLR traps on int.MinValue % -1; wasm defines it as 0.
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        if (b == -1 && a == long.MinValue) throw TrapFactory.IntegerOverflow();
        return a / b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) throw TrapFactory.DivideByZero();
        return (long)((ulong)a % (ulong)b);
    }

    // ---- float min/max: NaN if either is NaN (made quiet), and -0 < +0 (spec: fmin, fmax)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Min(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
        return a < b ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Max(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
        return a > b ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Min(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));
        return a < b ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Max(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return a + b;
        if (a == b) return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));
        return a > b ? a : b;
    }

    // ---- sign operations are pure bit operations: they never touch a NaN's payload (spec: fabs, fneg, fcopysign)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Abs(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Neg(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ int.MinValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32CopySign(float x, float y) => BitConverter.Int32BitsToSingle(
        (BitConverter.SingleToInt32Bits(x) & int.MaxValue) | (BitConverter.SingleToInt32Bits(y) & int.MinValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Abs(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & long.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Neg(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) ^ long.MinValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64CopySign(double x, double y) => BitConverter.Int64BitsToDouble(
        (BitConverter.DoubleToInt64Bits(x) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(y) & long.MinValue));

    // ---- rounding: a NaN result must be quiet, so NaN inputs go through an addition (spec: fceil, ffloor, ...)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Ceil(float x) => float.IsNaN(x) ? x + x : MathF.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Floor(float x) => float.IsNaN(x) ? x + x : MathF.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Trunc(float x) => float.IsNaN(x) ? x + x : MathF.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Nearest(float x) => float.IsNaN(x) ? x + x : MathF.Round(x, MidpointRounding.ToEven);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32Sqrt(float x) => MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Ceil(double x) => double.IsNaN(x) ? x + x : Math.Ceiling(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Floor(double x) => double.IsNaN(x) ? x + x : Math.Floor(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Trunc(double x) => double.IsNaN(x) ? x + x : Math.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Nearest(double x) => double.IsNaN(x) ? x + x : Math.Round(x, MidpointRounding.ToEven);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64Sqrt(double x) => Math.Sqrt(x);

    // ---- trapping truncation (spec: trunc_u, trunc_s): NaN is "invalid conversion", out of range "integer overflow"

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32S(float x)
    {
        if (float.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow31F || x < -TwoPow31F) throw TrapFactory.IntegerOverflow();
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF32U(float x)
    {
        if (float.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow32F || x <= -1f) throw TrapFactory.IntegerOverflow();
        return (int)(uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64S(double x)
    {
        if (double.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow31 || x <= -TwoPow31 - 1) throw TrapFactory.IntegerOverflow();
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncF64U(double x)
    {
        if (double.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow32 || x <= -1.0) throw TrapFactory.IntegerOverflow();
        return (int)(uint)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32S(float x)
    {
        if (float.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow63F || x < -TwoPow63F) throw TrapFactory.IntegerOverflow();
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF32U(float x)
    {
        if (float.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow64F || x <= -1f) throw TrapFactory.IntegerOverflow();
        return (long)(ulong)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64S(double x)
    {
        if (double.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow63 || x < -TwoPow63) throw TrapFactory.IntegerOverflow();
        return (long)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncF64U(double x)
    {
        if (double.IsNaN(x)) throw TrapFactory.InvalidConversion();
        if (x >= TwoPow64 || x <= -1.0) throw TrapFactory.IntegerOverflow();
        return (long)(ulong)x;
    }

    // ---- saturating truncation (spec: trunc_sat_u, trunc_sat_s): NaN is 0, out of range clamps

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32S(float x) =>
        float.IsNaN(x) ? 0 : x >= TwoPow31F ? int.MaxValue : x < -TwoPow31F ? int.MinValue : (int)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF32U(float x) =>
        float.IsNaN(x) || x <= -1f ? 0 : x >= TwoPow32F ? -1 : (int)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x >= TwoPow31 ? int.MaxValue : x <= -TwoPow31 - 1 ? int.MinValue : (int)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32TruncSatF64U(double x) =>
        double.IsNaN(x) || x <= -1.0 ? 0 : x >= TwoPow32 ? -1 : (int)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32S(float x) =>
        float.IsNaN(x) ? 0 : x >= TwoPow63F ? long.MaxValue : x < -TwoPow63F ? long.MinValue : (long)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF32U(float x) =>
        float.IsNaN(x) || x <= -1f ? 0 : x >= TwoPow64F ? -1 : (long)(ulong)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64S(double x) =>
        double.IsNaN(x) ? 0 : x >= TwoPow63 ? long.MaxValue : x < -TwoPow63 ? long.MinValue : (long)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64TruncSatF64U(double x) =>
        double.IsNaN(x) || x <= -1.0 ? 0 : x >= TwoPow64 ? -1 : (long)(ulong)x;

    // ---- unsigned conversions, rounded once (spec: convert_u)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI32U(int x) => (long)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI32U(int x) => (long)(uint)x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32ConvertI64U(long x)
    {
        if (x >= 0) return x;
        // Halve with the lost bit kept as a sticky bit, so the signed conversion rounds exactly as the unsigned would.
        ulong u = (ulong)x;
        float f = (long)((u >> 1) | (u & 1));
        return f + f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64ConvertI64U(long x)
    {
        if (x >= 0) return x;
        ulong u = (ulong)x;
        double d = (long)((u >> 1) | (u & 1));
        return d + d;
    }

    // ---- promotion: RyuJIT folds demote(promote(x)) to x, which would let a signaling NaN through unquieted.
    // Routing NaNs through an addition hides the pair from that fold and quiets them (spec: promote, demote).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64PromoteF32(float x)
    {
        double d = x;
        return double.IsNaN(d) ? d + FoldableConstants.F64Zero : d;
    }

    // ---- constants whose bits must survive exactly (NaN payloads): not inlined, so the JIT cannot fold them
    // through its double-precision constant representation.

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64FromBits(long bits) => BitConverter.Int64BitsToDouble(bits);
}
