using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

// Float lane arithmetic (spec 4.4.3 with the scalar rules of 4.3.3). Addition, multiplication, division and square root
// are IEEE operations on every target, and their NaN results are quiet, which is all wasm asks of them. abs, neg and
// copysign-like operations are pure bit operations so NaN payloads pass untouched. min, max and the roundings differ
// from SSE and get fix-ups.
internal static partial class SimdOps
{
    private const uint F32SignBit = 0x8000_0000u;
    private const ulong F64SignBit = 0x8000_0000_0000_0000ul;

    // ---- f32x4

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Abs(V128 a) => (a.AsUInt32() & Vector128.Create(~F32SignBit)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Neg(V128 a) => (a.AsUInt32() ^ Vector128.Create(F32SignBit)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Sqrt(V128 a) => Vector128.Sqrt(a.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Add(V128 a, V128 b) => (a.AsSingle() + b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Sub(V128 a, V128 b) => (a.AsSingle() - b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Mul(V128 a, V128 b) => (a.AsSingle() * b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Div(V128 a, V128 b) => (a.AsSingle() / b.AsSingle()).AsByte();

    /// <summary>
    /// fmin per lane: NaN if either operand is NaN, and -0 below +0. minps returns its second operand whenever the
    /// operands are unordered or equal, so it is taken in both orders: on ordered, different values both agree; for
    /// ±0 the OR of the two is -0. Lanes where either input is NaN become the canonical NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Min(V128 a, V128 b)
    {
        if (Sse.IsSupported)
        {
            var x = a.AsSingle();
            var y = b.AsSingle();
            var min = Sse.Min(x, y) | Sse.Min(y, x);
            return CanonicalizeNaNLanes(min, Sse.CompareUnordered(x, y)).AsByte();
        }
        if (AdvSimd.IsSupported) return AdvSimd.Min(a.AsSingle(), b.AsSingle()).AsByte();
        return SimdPortable.F32x4Min(a, b);
    }

    /// <summary>fmax per lane: as <see cref="F32x4Min"/>, with +0 above -0 (the AND of ±0 is +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Max(V128 a, V128 b)
    {
        if (Sse.IsSupported)
        {
            var x = a.AsSingle();
            var y = b.AsSingle();
            var max = Sse.Max(x, y) & Sse.Max(y, x);
            return CanonicalizeNaNLanes(max, Sse.CompareUnordered(x, y)).AsByte();
        }
        if (AdvSimd.IsSupported) return AdvSimd.Max(a.AsSingle(), b.AsSingle()).AsByte();
        return SimdPortable.F32x4Max(a, b);
    }

    /// <summary>Pseudo-minimum: b &lt; a ? b : a, which is exactly minps(b, a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Pmin(V128 a, V128 b)
    {
        if (Sse.IsSupported) return Sse.Min(b.AsSingle(), a.AsSingle()).AsByte();
        return SimdPortable.F32x4Pmin(a, b);
    }

    /// <summary>Pseudo-maximum: a &lt; b ? b : a, which is exactly maxps(b, a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Pmax(V128 a, V128 b)
    {
        if (Sse.IsSupported) return Sse.Max(b.AsSingle(), a.AsSingle()).AsByte();
        return SimdPortable.F32x4Pmax(a, b);
    }

    // roundps / frint* round to an integral value in the requested direction, keep -0 and quiet a NaN: exactly
    // wasm's fceil, ffloor, ftrunc and fnearest (ties to even).

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Ceil(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToPositiveInfinity(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToPositiveInfinity(a.AsSingle()).AsByte();
        return SimdPortable.F32x4Ceil(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Floor(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNegativeInfinity(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToNegativeInfinity(a.AsSingle()).AsByte();
        return SimdPortable.F32x4Floor(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Trunc(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToZero(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToZero(a.AsSingle()).AsByte();
        return SimdPortable.F32x4Trunc(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Nearest(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNearestInteger(a.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.RoundToNearest(a.AsSingle()).AsByte();
        return SimdPortable.F32x4Nearest(a);
    }

    // ---- f64x2

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Abs(V128 a) => (a.AsUInt64() & Vector128.Create(~F64SignBit)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Neg(V128 a) => (a.AsUInt64() ^ Vector128.Create(F64SignBit)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Sqrt(V128 a) => Vector128.Sqrt(a.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Add(V128 a, V128 b) => (a.AsDouble() + b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Sub(V128 a, V128 b) => (a.AsDouble() - b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Mul(V128 a, V128 b) => (a.AsDouble() * b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Div(V128 a, V128 b) => (a.AsDouble() / b.AsDouble()).AsByte();

    /// <summary>fmin per lane; see <see cref="F32x4Min"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Min(V128 a, V128 b)
    {
        if (Sse2.IsSupported)
        {
            var x = a.AsDouble();
            var y = b.AsDouble();
            var min = Sse2.Min(x, y) | Sse2.Min(y, x);
            return CanonicalizeNaNLanes(min, Sse2.CompareUnordered(x, y)).AsByte();
        }
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.Min(a.AsDouble(), b.AsDouble()).AsByte();
        return SimdPortable.F64x2Min(a, b);
    }

    /// <summary>fmax per lane; see <see cref="F32x4Max"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Max(V128 a, V128 b)
    {
        if (Sse2.IsSupported)
        {
            var x = a.AsDouble();
            var y = b.AsDouble();
            var max = Sse2.Max(x, y) & Sse2.Max(y, x);
            return CanonicalizeNaNLanes(max, Sse2.CompareUnordered(x, y)).AsByte();
        }
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.Max(a.AsDouble(), b.AsDouble()).AsByte();
        return SimdPortable.F64x2Max(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Pmin(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Min(b.AsDouble(), a.AsDouble()).AsByte();
        return SimdPortable.F64x2Pmin(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Pmax(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Max(b.AsDouble(), a.AsDouble()).AsByte();
        return SimdPortable.F64x2Pmax(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Ceil(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToPositiveInfinity(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToPositiveInfinity(a.AsDouble()).AsByte();
        return SimdPortable.F64x2Ceil(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Floor(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNegativeInfinity(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToNegativeInfinity(a.AsDouble()).AsByte();
        return SimdPortable.F64x2Floor(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Trunc(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToZero(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToZero(a.AsDouble()).AsByte();
        return SimdPortable.F64x2Trunc(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Nearest(V128 a)
    {
        if (Sse41.IsSupported) return Sse41.RoundToNearestInteger(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.RoundToNearest(a.AsDouble()).AsByte();
        return SimdPortable.F64x2Nearest(a);
    }

    // ---- comparisons: an unordered (NaN) lane is false, except for ne (spec: feq, fne, flt, fgt, fle, fge)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Eq(V128 a, V128 b) => Vector128.Equals(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Ne(V128 a, V128 b) => (~Vector128.Equals(a.AsSingle(), b.AsSingle())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Lt(V128 a, V128 b) => Vector128.LessThan(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Gt(V128 a, V128 b) => Vector128.GreaterThan(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Le(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Ge(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsSingle(), b.AsSingle()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Eq(V128 a, V128 b) => Vector128.Equals(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Ne(V128 a, V128 b) => (~Vector128.Equals(a.AsDouble(), b.AsDouble())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Lt(V128 a, V128 b) => Vector128.LessThan(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Gt(V128 a, V128 b) => Vector128.GreaterThan(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Le(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Ge(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsDouble(), b.AsDouble()).AsByte();

    // ---- NaN canonicalization

    /// <summary>
    /// Replaces the lanes selected by <paramref name="nan"/> (all-ones lanes) with a canonical NaN: all bits set, then
    /// everything below the quiet bit cleared, which leaves sign, exponent and quiet bit (0xFFC00000).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> CanonicalizeNaNLanes(Vector128<float> value, Vector128<float> nan)
    {
        var bits = value.AsUInt32() | nan.AsUInt32();
        return Vector128.AndNot(bits, nan.AsUInt32() >> 10).AsSingle();
    }

    /// <summary>As the f32 overload; the f64 canonical NaN with the sign set is 0xFFF8000000000000.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> CanonicalizeNaNLanes(Vector128<double> value, Vector128<double> nan)
    {
        var bits = value.AsUInt64() | nan.AsUInt64();
        return Vector128.AndNot(bits, nan.AsUInt64() >> 13).AsDouble();
    }
}
