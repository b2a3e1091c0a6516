using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

// Relaxed SIMD (spec 4.3.6 "Relaxed Operations"): each instruction may return any of a few results. Weft fixes one
// choice per instruction and machine: the hardware's native result where that is cheaper than the exact one (x86), the
// deterministic profile's result otherwise. The choice depends only on which instruction sets the process sees, which is
// constant while it runs, so a given machine always gives the same answer, at every tier and inlined or not. The
// choices and the reasons are listed in docs/RATIONALE.md ("Relaxed SIMD: one fixed choice per machine").
internal static partial class SimdOps
{
    /// <summary>
    /// Indices 0..15 pick a lane, indices with the top bit set give 0; for 16..127 x86 returns a[i mod 16] (pshufb
    /// as it is), everything else returns 0 like <see cref="I8x16Swizzle"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16RelaxedSwizzle(V128 a, V128 s)
    {
        if (Ssse3.IsSupported) return Ssse3.Shuffle(a, s);
        return I8x16Swizzle(a, s);
    }

    /// <summary>x86: cvttps2dq as it is (NaN and out-of-range lanes are int.MinValue); elsewhere saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedTruncF32x4S(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Int32WithTruncation(a.AsSingle()).AsByte();
        return I32x4TruncSatF32x4S(a);
    }

    /// <summary>Saturating everywhere (x86 has no cheaper unsigned conversion).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedTruncF32x4U(V128 a) => I32x4TruncSatF32x4U(a);

    /// <summary>x86: cvttpd2dq as it is (NaN and out-of-range lanes are int.MinValue); elsewhere saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedTruncF64x2S(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Int32WithTruncation(a.AsDouble()).AsByte();
        return I32x4TruncSatF64x2SZero(a);
    }

    /// <summary>Saturating everywhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedTruncF64x2U(V128 a) => I32x4TruncSatF64x2UZero(a);

    /// <summary>a * b + c: fused (one rounding) when the machine has FMA, otherwise two roundings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4RelaxedMadd(V128 a, V128 b, V128 c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).AsByte();
        return SimdPortable.F32x4MulAdd(a, b, c);
    }

    /// <summary>-(a * b) + c, fused exactly when <see cref="F32x4RelaxedMadd"/> is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4RelaxedNmadd(V128 a, V128 b, V128 c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAddNegated(a.AsSingle(), b.AsSingle(), c.AsSingle()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplySubtract(c.AsSingle(), a.AsSingle(), b.AsSingle()).AsByte();
        return SimdPortable.F32x4MulAdd(F32x4Neg(a), b, c);
    }

    /// <summary>a * b + c on f64 lanes; see <see cref="F32x4RelaxedMadd"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2RelaxedMadd(V128 a, V128 b, V128 c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).AsByte();
        return SimdPortable.F64x2MulAdd(a, b, c);
    }

    /// <summary>-(a * b) + c on f64 lanes; see <see cref="F32x4RelaxedMadd"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2RelaxedNmadd(V128 a, V128 b, V128 c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAddNegated(a.AsDouble(), b.AsDouble(), c.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.FusedMultiplySubtract(c.AsDouble(), a.AsDouble(), b.AsDouble()).AsByte();
        return SimdPortable.F64x2MulAdd(F64x2Neg(a), b, c);
    }

    // laneselect is bitselect on every machine: it is always allowed, and with AVX-512 it is one vpternlog.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16RelaxedLaneselect(V128 a, V128 b, V128 m) => Vector128.ConditionalSelect(m, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8RelaxedLaneselect(V128 a, V128 b, V128 m) => Vector128.ConditionalSelect(m, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedLaneselect(V128 a, V128 b, V128 m) => Vector128.ConditionalSelect(m, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2RelaxedLaneselect(V128 a, V128 b, V128 m) => Vector128.ConditionalSelect(m, a, b);

    // relaxed min/max: x86 returns its second operand when either is NaN or both are zeros (minps/maxps as they are);
    // elsewhere the exact fmin/fmax.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4RelaxedMin(V128 a, V128 b)
    {
        if (Sse.IsSupported) return Sse.Min(a.AsSingle(), b.AsSingle()).AsByte();
        return F32x4Min(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4RelaxedMax(V128 a, V128 b)
    {
        if (Sse.IsSupported) return Sse.Max(a.AsSingle(), b.AsSingle()).AsByte();
        return F32x4Max(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2RelaxedMin(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Min(a.AsDouble(), b.AsDouble()).AsByte();
        return F64x2Min(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2RelaxedMax(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Max(a.AsDouble(), b.AsDouble()).AsByte();
        return F64x2Max(a, b);
    }

    /// <summary>x86: pmulhrsw as it is (-32768 * -32768 gives -32768); elsewhere saturating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8RelaxedQ15mulrS(V128 a, V128 b)
    {
        if (Ssse3.IsSupported) return Ssse3.MultiplyHighRoundScale(a.AsInt16(), b.AsInt16()).AsByte();
        return I16x8Q15mulrSatS(a, b);
    }

    /// <summary>
    /// Dot product of i8 lanes of a with 7-bit lanes of b, adjacent pairs added with signed saturation into i16.
    /// x86: pmaddubsw, which reads b as unsigned; elsewhere b is signed (the deterministic profile).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8RelaxedDotI8x16I7x16S(V128 a, V128 b)
    {
        if (Ssse3.IsSupported) return Ssse3.MultiplyAddAdjacent(b, a.AsSByte()).AsByte();
        return SimdPortable.I16x8DotI8x16SignedSaturate(a, b);
    }

    /// <summary>
    /// <see cref="I16x8RelaxedDotI8x16I7x16S"/>, then adjacent i16 pairs added into i32 lanes, plus c (wrapping).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4RelaxedDotI8x16I7x16AddS(V128 a, V128 b, V128 c)
    {
        var dot = I16x8RelaxedDotI8x16I7x16S(a, b);
        return I32x4Add(I32x4ExtaddPairwiseI16x8S(dot), c);
    }
}
