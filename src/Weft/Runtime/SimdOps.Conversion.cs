using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

// Conversions between integer and float lanes (spec 4.4.3 vcvtop with the scalar rules of 4.3.4). The x86 conversions
// return the "integer indefinite" 0x80000000 for NaN and out-of-range inputs where wasm saturates and maps NaN to 0,
// and have no unsigned forms before AVX-512; the fix-ups below make them exact.
internal static partial class SimdOps
{
    private const float TwoPow31F = 2147483648f;
    private const double TwoPow52 = 4503599627370496.0;

    /// <summary>Saturating truncation of f32 lanes to i32: NaN is 0, out-of-range values clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4TruncSatF32x4S(V128 a)
    {
        if (Sse2.IsSupported)
        {
            var x = a.AsSingle();
            x &= Sse.CompareEqual(x, x);                                     // NaN lanes become +0
            var result = Sse2.ConvertToVector128Int32WithTruncation(x);    // too large or too small: 0x80000000
            var positiveOverflow = Sse.CompareGreaterThanOrEqual(x, Vector128.Create(TwoPow31F)).AsInt32();
            return (result ^ positiveOverflow).AsByte();                   // 0x80000000 ^ ~0 = int.MaxValue
        }
        if (AdvSimd.IsSupported) return AdvSimd.ConvertToInt32RoundToZero(a.AsSingle()).AsByte();
        return SimdPortable.I32x4TruncSatF32x4S(a);
    }

    /// <summary>Saturating truncation of f32 lanes to u32: NaN and negatives are 0, values of 2^32 or more clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4TruncSatF32x4U(V128 a)
    {
        if (Sse2.IsSupported)
        {
            // maxps returns its second operand when the first is NaN: NaN and negative lanes become +0; vcvttps2udq
            // truncates to u32 and returns 0xFFFFFFFF for anything too large.
            if (Avx512F.VL.IsSupported) return Avx512F.VL.ConvertToVector128UInt32WithTruncation(Sse.Max(a.AsSingle(), Vector128<float>.Zero)).AsByte();
            return TruncSatF32x4USse2(a);
        }
        if (AdvSimd.IsSupported) return AdvSimd.ConvertToUInt32RoundToZero(a.AsSingle()).AsByte();
        return SimdPortable.I32x4TruncSatF32x4U(a);
    }

    /// <summary>The SSE2 form of <see cref="I32x4TruncSatF32x4U"/>, for machines without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V128 TruncSatF32x4USse2(V128 a)
    {
        var x = Sse.Max(a.AsSingle(), Vector128<float>.Zero);                          // NaN and negative lanes: +0
        // Lanes below 2^31 convert directly; the others convert x - 2^31 and add 2^31 back (a lane of 2^31 or more
        // is a multiple of 256, so the subtraction is exact).
        var low = Sse2.ConvertToVector128Int32WithTruncation(x);                       // 2^31 and above: 0x80000000
        var excess = x - Vector128.Create(TwoPow31F);
        var high = Sse2.ConvertToVector128Int32WithTruncation(excess);                 // negative for small lanes
        high ^= Sse.CompareGreaterThanOrEqual(excess, Vector128.Create(TwoPow31F)).AsInt32(); // 2^32 and above: 0x7FFFFFFF
        high = Vector128.Max(high, Vector128<int>.Zero);
        return (low + high).AsByte();
    }

    /// <summary>Saturating truncation of the two f64 lanes to i32 in the low lanes; the high lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4TruncSatF64x2SZero(V128 a)
    {
        if (Sse2.IsSupported)
        {
            var x = a.AsDouble();
            x &= Sse2.CompareEqual(x, x);                                   // NaN lanes become +0
            x = Sse2.Min(x, Vector128.Create(2147483647.0));                // too small already gives int.MinValue
            return Sse2.ConvertToVector128Int32WithTruncation(x).AsByte(); // cvttpd2dq zeroes the high lanes
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            var wide = AdvSimd.Arm64.ConvertToInt64RoundToZero(a.AsDouble());
            return Vector128.Create(AdvSimd.ExtractNarrowingSaturateLower(wide), Vector64<int>.Zero).AsByte();
        }
        return SimdPortable.I32x4TruncSatF64x2SZero(a);
    }

    /// <summary>Saturating truncation of the two f64 lanes to u32 in the low lanes; the high lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4TruncSatF64x2UZero(V128 a)
    {
        // maxpd turns NaN and negative lanes into +0, vcvttpd2udq saturates at 0xFFFFFFFF and zeroes the high lanes.
        if (Avx512F.VL.IsSupported) return Avx512F.VL.ConvertToVector128UInt32WithTruncation(Sse2.Max(a.AsDouble(), Vector128<double>.Zero)).AsByte();
        if (Sse41.IsSupported) return TruncSatF64x2UZeroSse41(a);
        if (AdvSimd.Arm64.IsSupported)
        {
            var wide = AdvSimd.Arm64.ConvertToUInt64RoundToZero(a.AsDouble());
            return Vector128.Create(AdvSimd.ExtractNarrowingSaturateLower(wide), Vector64<uint>.Zero).AsByte();
        }
        return SimdPortable.I32x4TruncSatF64x2UZero(a);
    }

    /// <summary>The SSE4.1 form of <see cref="I32x4TruncSatF64x2UZero"/>, for machines without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V128 TruncSatF64x2UZeroSse41(V128 a)
    {
        var x = Sse2.Max(a.AsDouble(), Vector128<double>.Zero);                        // NaN and negative lanes: +0
        x = Sse41.RoundToZero(Sse2.Min(x, Vector128.Create(4294967295.0)));
        // An integral double below 2^32 plus 2^52 holds the integer in the low 32 bits of its significand.
        var biased = (x + Vector128.Create(TwoPow52)).AsSingle();
        return Sse.Shuffle(biased, Vector128<float>.Zero, 0b10_00_10_00).AsByte();
    }

    /// <summary>Converts signed i32 lanes to f32, rounding to nearest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4ConvertI32x4S(V128 a) => Vector128.ConvertToSingle(a.AsInt32()).AsByte();

    /// <summary>Converts unsigned i32 lanes to f32, rounding once to nearest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4ConvertI32x4U(V128 a)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.ConvertToVector128Single(a.AsUInt32()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.ConvertToSingle(a.AsUInt32()).AsByte();
        return ConvertU32ToF32Split(a);
    }

    /// <summary>
    /// <see cref="F32x4ConvertI32x4U"/> from signed conversions: both 16-bit halves convert exactly and high * 2^16 is
    /// exact, so the one addition is the only rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V128 ConvertU32ToF32Split(V128 a)
    {
        var x = a.AsUInt32();
        var low = Vector128.ConvertToSingle((x & Vector128.Create(0xFFFFu)).AsInt32());
        var high = Vector128.ConvertToSingle((x >> 16).AsInt32());
        return ((high * Vector128.Create(65536f)) + low).AsByte();
    }

    /// <summary>Converts the two low signed i32 lanes to f64 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2ConvertLowI32x4S(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Double(a.AsInt32()).AsByte();
        return SimdPortable.F64x2ConvertLowI32x4S(a);
    }

    /// <summary>Converts the two low unsigned i32 lanes to f64 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2ConvertLowI32x4U(V128 a)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.ConvertToVector128Double(a.AsUInt32()).AsByte();
        if (Sse2.IsSupported) return ConvertLowU32ToF64Sse2(a);
        return SimdPortable.F64x2ConvertLowI32x4U(a);
    }

    /// <summary>The SSE2 form of <see cref="F64x2ConvertLowI32x4U"/>: 0x43300000_xxxxxxxx is the double 2^52 + x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V128 ConvertLowU32ToF64Sse2(V128 a)
    {
        var biased = Sse2.UnpackLow(a.AsUInt32(), Vector128.Create(0x43300000u)).AsDouble();
        return (biased - Vector128.Create(TwoPow52)).AsByte();
    }

    /// <summary>Demotes the two f64 lanes to f32 in the low lanes (NaNs quieted); the high lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4DemoteF64x2Zero(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Single(a.AsDouble()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return Vector128.Create(AdvSimd.Arm64.ConvertToSingleLower(a.AsDouble()), Vector64<float>.Zero).AsByte();
        return SimdPortable.F32x4DemoteF64x2Zero(a);
    }

    /// <summary>Promotes the two low f32 lanes to f64 (exact, NaNs quieted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2PromoteLowF32x4(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Double(a.AsSingle()).AsByte();
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ConvertToDouble(a.AsSingle().GetLower()).AsByte();
        return SimdPortable.F64x2PromoteLowF32x4(a);
    }
}
