using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

// Integer lane arithmetic (spec 4.4.3: vunop, vbinop, vrelop, vshiftop, vextunop, vextbinop, vnarrow, vcvtop).
// Vector128's integer operations wrap exactly like wasm's, so most of these are one Vector128 call on the right lane
// shape; shift counts are taken modulo the lane width first, as wasm requires.
internal static partial class SimdOps
{
    // ---- i8x16

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Abs(V128 a) => Vector128.Abs(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Neg(V128 a) => (-a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Popcnt(V128 a)
    {
        if (AdvSimd.IsSupported) return AdvSimd.PopCount(a);
        if (Ssse3.IsSupported)
        {
            // Look both nibbles of every byte up in a 16-entry table of bit counts.
            var table = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var low = a & Vector128.Create((byte)0x0F);
            var high = (a.AsUInt16() >> 4).AsByte() & Vector128.Create((byte)0x0F);
            return Ssse3.Shuffle(table, low) + Ssse3.Shuffle(table, high);
        }
        return SimdPortable.I8x16Popcnt(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Shl(V128 a, int count) => Vector128.ShiftLeft(a, count & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16ShrS(V128 a, int count) => Vector128.ShiftRightArithmetic(a.AsSByte(), count & 7).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16ShrU(V128 a, int count) => Vector128.ShiftRightLogical(a, count & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Add(V128 a, V128 b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16AddSatS(V128 a, V128 b) => Vector128.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16AddSatU(V128 a, V128 b) => Vector128.AddSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Sub(V128 a, V128 b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16SubSatS(V128 a, V128 b) => Vector128.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16SubSatU(V128 a, V128 b) => Vector128.SubtractSaturate(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16MinS(V128 a, V128 b) => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16MinU(V128 a, V128 b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16MaxS(V128 a, V128 b) => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16MaxU(V128 a, V128 b) => Vector128.Max(a, b);

    /// <summary>Rounding average: (a + b + 1) / 2 without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16AvgrU(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Average(a, b);
        if (AdvSimd.IsSupported) return AdvSimd.FusedAddRoundedHalving(a, b);
        return SimdPortable.I8x16AvgrU(a, b);
    }

    /// <summary>Narrows the 16 signed i16 lanes of a and b to i8 with signed saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16NarrowI16x8S(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.PackSignedSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        if (AdvSimd.IsSupported)
        {
            return AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(a.AsInt16()), b.AsInt16()).AsByte();
        }
        return SimdPortable.I8x16NarrowI16x8S(a, b);
    }

    /// <summary>Narrows the 16 signed i16 lanes of a and b to u8 with unsigned saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16NarrowI16x8U(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16());
        if (AdvSimd.IsSupported)
        {
            return AdvSimd.ExtractNarrowingSaturateUnsignedUpper(AdvSimd.ExtractNarrowingSaturateUnsignedLower(a.AsInt16()), b.AsInt16());
        }
        return SimdPortable.I8x16NarrowI16x8U(a, b);
    }

    // ---- i16x8

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Abs(V128 a) => Vector128.Abs(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Neg(V128 a) => (-a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Shl(V128 a, int count) => Vector128.ShiftLeft(a.AsUInt16(), count & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ShrS(V128 a, int count) => Vector128.ShiftRightArithmetic(a.AsInt16(), count & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ShrU(V128 a, int count) => Vector128.ShiftRightLogical(a.AsUInt16(), count & 15).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Add(V128 a, V128 b) => (a.AsUInt16() + b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8AddSatS(V128 a, V128 b) => Vector128.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8AddSatU(V128 a, V128 b) => Vector128.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Sub(V128 a, V128 b) => (a.AsUInt16() - b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8SubSatS(V128 a, V128 b) => Vector128.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8SubSatU(V128 a, V128 b) => Vector128.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Mul(V128 a, V128 b) => (a.AsUInt16() * b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8MinS(V128 a, V128 b) => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8MinU(V128 a, V128 b) => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8MaxS(V128 a, V128 b) => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8MaxU(V128 a, V128 b) => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8AvgrU(V128 a, V128 b)
    {
        var x = a.AsUInt16();
        var y = b.AsUInt16();
        if (Sse2.IsSupported) return Sse2.Average(x, y).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.FusedAddRoundedHalving(x, y).AsByte();
        return SimdPortable.I16x8AvgrU(a, b);
    }

    /// <summary>
    /// Q15 rounding multiply with saturation: (a * b + 0x4000) >> 15, clamped to i16. pmulhrsw computes the same value
    /// except for -32768 * -32768, which it wraps to -32768 (0x8000) instead of saturating to 32767; that product is
    /// the only one that yields 0x8000 (every other result lies in -32767..32767), so flipping exactly the 0x8000 lanes
    /// to 0x7FFF is the whole fix-up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Q15mulrSatS(V128 a, V128 b)
    {
        if (Ssse3.IsSupported)
        {
            var product = Ssse3.MultiplyHighRoundScale(a.AsInt16(), b.AsInt16());
            return (product ^ Vector128.Equals(product, Vector128.Create(short.MinValue))).AsByte();
        }
        if (AdvSimd.IsSupported) return AdvSimd.MultiplyRoundedDoublingSaturateHigh(a.AsInt16(), b.AsInt16()).AsByte();
        return SimdPortable.I16x8Q15mulrSatS(a, b);
    }

    /// <summary>Narrows the 8 signed i32 lanes of a and b to i16 with signed saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8NarrowI32x4S(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.PackSignedSaturate(a.AsInt32(), b.AsInt32()).AsByte();
        if (AdvSimd.IsSupported)
        {
            return AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(a.AsInt32()), b.AsInt32()).AsByte();
        }
        return SimdPortable.I16x8NarrowI32x4S(a, b);
    }

    /// <summary>Narrows the 8 signed i32 lanes of a and b to u16 with unsigned saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8NarrowI32x4U(V128 a, V128 b)
    {
        if (Sse41.IsSupported) return Sse41.PackUnsignedSaturate(a.AsInt32(), b.AsInt32()).AsByte();
        if (AdvSimd.IsSupported)
        {
            return AdvSimd.ExtractNarrowingSaturateUnsignedUpper(AdvSimd.ExtractNarrowingSaturateUnsignedLower(a.AsInt32()), b.AsInt32()).AsByte();
        }
        return SimdPortable.I16x8NarrowI32x4U(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtendLowI8x16S(V128 a) => Vector128.WidenLower(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtendHighI8x16S(V128 a) => Vector128.WidenUpper(a.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtendLowI8x16U(V128 a) => Vector128.WidenLower(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtendHighI8x16U(V128 a) => Vector128.WidenUpper(a).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) =>
        (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) =>
        (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) => (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) => (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();

    /// <summary>Adds adjacent pairs of signed i8 lanes into i16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtaddPairwiseI8x16S(V128 a)
    {
        // pmaddubsw multiplies unsigned by signed bytes and adds pairs; with all-ones as the unsigned side it is the
        // pairwise sum (at most 2 * 128 in magnitude, so its saturation never applies).
        if (Ssse3.IsSupported) return Ssse3.MultiplyAddAdjacent(Vector128.Create((byte)1), a.AsSByte()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddPairwiseWidening(a.AsSByte()).AsByte();
        return SimdPortable.I16x8ExtaddPairwiseI8x16S(a);
    }

    /// <summary>Adds adjacent pairs of unsigned i8 lanes into i16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ExtaddPairwiseI8x16U(V128 a)
    {
        if (Ssse3.IsSupported) return Ssse3.MultiplyAddAdjacent(a, Vector128.Create((sbyte)1)).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddPairwiseWidening(a).AsByte();
        return SimdPortable.I16x8ExtaddPairwiseI8x16U(a);
    }

    // ---- i32x4

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Abs(V128 a) => Vector128.Abs(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Neg(V128 a) => (-a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Shl(V128 a, int count) => Vector128.ShiftLeft(a.AsUInt32(), count & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ShrS(V128 a, int count) => Vector128.ShiftRightArithmetic(a.AsInt32(), count & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ShrU(V128 a, int count) => Vector128.ShiftRightLogical(a.AsUInt32(), count & 31).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Add(V128 a, V128 b) => (a.AsUInt32() + b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Sub(V128 a, V128 b) => (a.AsUInt32() - b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Mul(V128 a, V128 b) => (a.AsUInt32() * b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4MinS(V128 a, V128 b) => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4MinU(V128 a, V128 b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4MaxS(V128 a, V128 b) => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4MaxU(V128 a, V128 b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    /// <summary>
    /// Multiplies signed i16 lanes and adds adjacent products into i32 lanes, wrapping (only -32768 * -32768 twice,
    /// 2^31, wraps). pmaddwd is exactly this, including that wrap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4DotI16x8S(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsByte();
        return SimdPortable.I32x4DotI16x8S(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtendLowI16x8S(V128 a) => Vector128.WidenLower(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtendHighI16x8S(V128 a) => Vector128.WidenUpper(a.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtendLowI16x8U(V128 a) => Vector128.WidenLower(a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtendHighI16x8U(V128 a) => Vector128.WidenUpper(a.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) =>
        (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) =>
        (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) =>
        (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) =>
        (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    /// <summary>Adds adjacent pairs of signed i16 lanes into i32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtaddPairwiseI16x8S(V128 a)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), Vector128.Create((short)1)).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddPairwiseWidening(a.AsInt16()).AsByte();
        return SimdPortable.I32x4ExtaddPairwiseI16x8S(a);
    }

    /// <summary>Adds adjacent pairs of unsigned i16 lanes into i32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ExtaddPairwiseI16x8U(V128 a)
    {
        if (AdvSimd.IsSupported) return AdvSimd.AddPairwiseWidening(a.AsUInt16()).AsByte();
        return SimdPortable.I32x4ExtaddPairwiseI16x8U(a);
    }

    // ---- i64x2

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Abs(V128 a) => Vector128.Abs(a.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Neg(V128 a) => (-a.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Shl(V128 a, int count) => Vector128.ShiftLeft(a.AsUInt64(), count & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ShrS(V128 a, int count) => Vector128.ShiftRightArithmetic(a.AsInt64(), count & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ShrU(V128 a, int count) => Vector128.ShiftRightLogical(a.AsUInt64(), count & 63).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Add(V128 a, V128 b) => (a.AsUInt64() + b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Sub(V128 a, V128 b) => (a.AsUInt64() - b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Mul(V128 a, V128 b) => (a.AsUInt64() * b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtendLowI32x4S(V128 a) => Vector128.WidenLower(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtendHighI32x4S(V128 a) => Vector128.WidenUpper(a.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtendLowI32x4U(V128 a) => Vector128.WidenLower(a.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtendHighI32x4U(V128 a) => Vector128.WidenUpper(a.AsUInt32()).AsByte();

    // pmuldq / pmuludq multiply the even i32 lanes into i64 products: spread the wanted half over the even lanes.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtmulLowI32x4S(V128 a, V128 b)
    {
        if (Sse41.IsSupported) return Sse41.Multiply(Sse2.Shuffle(a.AsInt32(), 0b01_01_00_00), Sse2.Shuffle(b.AsInt32(), 0b01_01_00_00)).AsByte();
        return SimdPortable.I64x2ExtmulLowI32x4S(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtmulHighI32x4S(V128 a, V128 b)
    {
        if (Sse41.IsSupported) return Sse41.Multiply(Sse2.Shuffle(a.AsInt32(), 0b11_11_10_10), Sse2.Shuffle(b.AsInt32(), 0b11_11_10_10)).AsByte();
        return SimdPortable.I64x2ExtmulHighI32x4S(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtmulLowI32x4U(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Multiply(Sse2.Shuffle(a.AsUInt32(), 0b01_01_00_00), Sse2.Shuffle(b.AsUInt32(), 0b01_01_00_00)).AsByte();
        return SimdPortable.I64x2ExtmulLowI32x4U(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ExtmulHighI32x4U(V128 a, V128 b)
    {
        if (Sse2.IsSupported) return Sse2.Multiply(Sse2.Shuffle(a.AsUInt32(), 0b11_11_10_10), Sse2.Shuffle(b.AsUInt32(), 0b11_11_10_10)).AsByte();
        return SimdPortable.I64x2ExtmulHighI32x4U(a, b);
    }

    // ---- comparisons: all-ones lanes for true (spec: vrelop)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Eq(V128 a, V128 b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Ne(V128 a, V128 b) => ~Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16LtS(V128 a, V128 b) => Vector128.LessThan(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16LtU(V128 a, V128 b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16GtS(V128 a, V128 b) => Vector128.GreaterThan(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16GtU(V128 a, V128 b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16LeS(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16LeU(V128 a, V128 b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16GeS(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsSByte(), b.AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16GeU(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Eq(V128 a, V128 b) => Vector128.Equals(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Ne(V128 a, V128 b) => (~Vector128.Equals(a.AsUInt16(), b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8LtS(V128 a, V128 b) => Vector128.LessThan(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8LtU(V128 a, V128 b) => Vector128.LessThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8GtS(V128 a, V128 b) => Vector128.GreaterThan(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8GtU(V128 a, V128 b) => Vector128.GreaterThan(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8LeS(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8LeU(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8GeS(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsInt16(), b.AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8GeU(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsUInt16(), b.AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Eq(V128 a, V128 b) => Vector128.Equals(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Ne(V128 a, V128 b) => (~Vector128.Equals(a.AsUInt32(), b.AsUInt32())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4LtS(V128 a, V128 b) => Vector128.LessThan(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4LtU(V128 a, V128 b) => Vector128.LessThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4GtS(V128 a, V128 b) => Vector128.GreaterThan(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4GtU(V128 a, V128 b) => Vector128.GreaterThan(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4LeS(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4LeU(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4GeS(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsInt32(), b.AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4GeU(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsUInt32(), b.AsUInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Eq(V128 a, V128 b) => Vector128.Equals(a.AsUInt64(), b.AsUInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Ne(V128 a, V128 b) => (~Vector128.Equals(a.AsUInt64(), b.AsUInt64())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2LtS(V128 a, V128 b) => Vector128.LessThan(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2GtS(V128 a, V128 b) => Vector128.GreaterThan(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2LeS(V128 a, V128 b) => Vector128.LessThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2GeS(V128 a, V128 b) => Vector128.GreaterThanOrEqual(a.AsInt64(), b.AsInt64()).AsByte();
}
