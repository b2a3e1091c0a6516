using System.Runtime.Intrinsics;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

/// <summary>
/// Lane-by-lane versions of the vector instructions whose hardware forms need care, for machines (or processes, e.g.
/// with DOTNET_EnableHWIntrinsic=0) where <see cref="SimdOps"/> finds no SSE or AdvSimd path. Each lane follows the
/// scalar rule of the spec (most through <see cref="Numerics"/>, which the scalar instructions use too), so these are
/// slow but plainly right; the tests compare both paths against each other and against a reference model.
/// </summary>
internal static class SimdPortable
{
    public static V128 I8x16Shuffle(V128 a, V128 b, V128 mask)
    {
        Span<byte> lanes = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int index = mask[i] & 0x1F;
            lanes[i] = index < 16 ? a[index] : b[index - 16];
        }
        return Vector128.Create<byte>(lanes);
    }

    public static V128 I8x16Swizzle(V128 a, V128 s)
    {
        Span<byte> lanes = stackalloc byte[16];
        for (int i = 0; i < 16; i++) lanes[i] = s[i] < 16 ? a[s[i]] : (byte)0;
        return Vector128.Create<byte>(lanes);
    }

    public static V128 I8x16Popcnt(V128 a)
    {
        // Bits counted in parallel: pairs, then nibbles, then bytes.
        var x = a - ((a >> 1) & Vector128.Create((byte)0x55));
        x = (x & Vector128.Create((byte)0x33)) + ((x >> 2) & Vector128.Create((byte)0x33));
        return (x + (x >> 4)) & Vector128.Create((byte)0x0F);
    }

    public static V128 I8x16AvgrU(V128 a, V128 b) => (a | b) - ((a ^ b) >> 1);

    public static V128 I16x8AvgrU(V128 a, V128 b)
    {
        var x = a.AsUInt16();
        var y = b.AsUInt16();
        return ((x | y) - ((x ^ y) >> 1)).AsByte();
    }

    // Pairwise sums: in the wider lane view, the even source lane is the low half (sign- or zero-extended in place),
    // the odd one the high half shifted down.

    public static V128 I16x8ExtaddPairwiseI8x16S(V128 a)
    {
        var x = a.AsInt16();
        return (((x << 8) >> 8) + (x >> 8)).AsByte();
    }

    public static V128 I16x8ExtaddPairwiseI8x16U(V128 a)
    {
        var x = a.AsUInt16();
        return ((x & Vector128.Create((ushort)0xFF)) + (x >> 8)).AsByte();
    }

    public static V128 I32x4ExtaddPairwiseI16x8S(V128 a)
    {
        var x = a.AsInt32();
        return (((x << 16) >> 16) + (x >> 16)).AsByte();
    }

    public static V128 I32x4ExtaddPairwiseI16x8U(V128 a)
    {
        var x = a.AsUInt32();
        return ((x & Vector128.Create(0xFFFFu)) + (x >> 16)).AsByte();
    }

    /// <summary>Two i32 products per lane (even halves sign-extended in place, odd halves shifted down), added with wrap.</summary>
    public static V128 I32x4DotI16x8S(V128 a, V128 b)
    {
        var x = a.AsInt32();
        var y = b.AsInt32();
        return ((((x << 16) >> 16) * ((y << 16) >> 16)) + ((x >> 16) * (y >> 16))).AsByte();
    }

    public static V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) =>
        (Vector128.WidenLower(a.AsInt32()) * Vector128.WidenLower(b.AsInt32())).AsByte();

    public static V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) =>
        (Vector128.WidenUpper(a.AsInt32()) * Vector128.WidenUpper(b.AsInt32())).AsByte();

    public static V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) =>
        (Vector128.WidenLower(a.AsUInt32()) * Vector128.WidenLower(b.AsUInt32())).AsByte();

    public static V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) =>
        (Vector128.WidenUpper(a.AsUInt32()) * Vector128.WidenUpper(b.AsUInt32())).AsByte();

    public static V128 I8x16NarrowI16x8S(V128 a, V128 b)
    {
        Span<sbyte> lanes = stackalloc sbyte[16];
        for (int i = 0; i < 8; i++)
        {
            lanes[i] = (sbyte)Math.Clamp(a.AsInt16()[i], sbyte.MinValue, sbyte.MaxValue);
            lanes[i + 8] = (sbyte)Math.Clamp(b.AsInt16()[i], sbyte.MinValue, sbyte.MaxValue);
        }
        return Vector128.Create<sbyte>(lanes).AsByte();
    }

    public static V128 I8x16NarrowI16x8U(V128 a, V128 b)
    {
        Span<byte> lanes = stackalloc byte[16];
        for (int i = 0; i < 8; i++)
        {
            lanes[i] = (byte)Math.Clamp(a.AsInt16()[i], byte.MinValue, byte.MaxValue);
            lanes[i + 8] = (byte)Math.Clamp(b.AsInt16()[i], byte.MinValue, byte.MaxValue);
        }
        return Vector128.Create<byte>(lanes);
    }

    public static V128 I16x8NarrowI32x4S(V128 a, V128 b)
    {
        Span<short> lanes = stackalloc short[8];
        for (int i = 0; i < 4; i++)
        {
            lanes[i] = (short)Math.Clamp(a.AsInt32()[i], short.MinValue, short.MaxValue);
            lanes[i + 4] = (short)Math.Clamp(b.AsInt32()[i], short.MinValue, short.MaxValue);
        }
        return Vector128.Create<short>(lanes).AsByte();
    }

    public static V128 I16x8NarrowI32x4U(V128 a, V128 b)
    {
        Span<ushort> lanes = stackalloc ushort[8];
        for (int i = 0; i < 4; i++)
        {
            lanes[i] = (ushort)Math.Clamp(a.AsInt32()[i], ushort.MinValue, ushort.MaxValue);
            lanes[i + 4] = (ushort)Math.Clamp(b.AsInt32()[i], ushort.MinValue, ushort.MaxValue);
        }
        return Vector128.Create<ushort>(lanes).AsByte();
    }

    public static V128 I16x8Q15mulrSatS(V128 a, V128 b)
    {
        Span<short> lanes = stackalloc short[8];
        for (int i = 0; i < 8; i++)
        {
            int product = (a.AsInt16()[i] * b.AsInt16()[i]) + 0x4000;
            lanes[i] = (short)Math.Clamp(product >> 15, short.MinValue, short.MaxValue);
        }
        return Vector128.Create<short>(lanes).AsByte();
    }

    /// <summary>The deterministic relaxed dot product: both operands signed, pairs added with signed saturation.</summary>
    public static V128 I16x8DotI8x16SignedSaturate(V128 a, V128 b)
    {
        Span<short> lanes = stackalloc short[8];
        for (int i = 0; i < 8; i++)
        {
            int sum = (a.AsSByte()[2 * i] * b.AsSByte()[2 * i]) + (a.AsSByte()[(2 * i) + 1] * b.AsSByte()[(2 * i) + 1]);
            lanes[i] = (short)Math.Clamp(sum, short.MinValue, short.MaxValue);
        }
        return Vector128.Create<short>(lanes).AsByte();
    }

    public static V128 F32x4Min(V128 a, V128 b) => Map(a.AsSingle(), b.AsSingle(), Numerics.F32Min);

    public static V128 F32x4Max(V128 a, V128 b) => Map(a.AsSingle(), b.AsSingle(), Numerics.F32Max);

    public static V128 F64x2Min(V128 a, V128 b) => Map(a.AsDouble(), b.AsDouble(), Numerics.F64Min);

    public static V128 F64x2Max(V128 a, V128 b) => Map(a.AsDouble(), b.AsDouble(), Numerics.F64Max);

    public static V128 F32x4Ceil(V128 a) => Map(a.AsSingle(), Numerics.F32Ceil);

    public static V128 F32x4Floor(V128 a) => Map(a.AsSingle(), Numerics.F32Floor);

    public static V128 F32x4Trunc(V128 a) => Map(a.AsSingle(), Numerics.F32Trunc);

    public static V128 F32x4Nearest(V128 a) => Map(a.AsSingle(), Numerics.F32Nearest);

    public static V128 F64x2Ceil(V128 a) => Map(a.AsDouble(), Numerics.F64Ceil);

    public static V128 F64x2Floor(V128 a) => Map(a.AsDouble(), Numerics.F64Floor);

    public static V128 F64x2Trunc(V128 a) => Map(a.AsDouble(), Numerics.F64Trunc);

    public static V128 F64x2Nearest(V128 a) => Map(a.AsDouble(), Numerics.F64Nearest);

    /// <summary>pmin: b &lt; a ? b : a (a NaN in either operand gives a).</summary>
    public static V128 F32x4Pmin(V128 a, V128 b) => Map(a.AsSingle(), b.AsSingle(), static (x, y) => y < x ? y : x);

    /// <summary>pmax: a &lt; b ? b : a.</summary>
    public static V128 F32x4Pmax(V128 a, V128 b) => Map(a.AsSingle(), b.AsSingle(), static (x, y) => x < y ? y : x);

    public static V128 F64x2Pmin(V128 a, V128 b) => Map(a.AsDouble(), b.AsDouble(), static (x, y) => y < x ? y : x);

    public static V128 F64x2Pmax(V128 a, V128 b) => Map(a.AsDouble(), b.AsDouble(), static (x, y) => x < y ? y : x);

    /// <summary>The unfused a * b + c, two roundings (the relaxed madd of machines without FMA).</summary>
    public static V128 F32x4MulAdd(V128 a, V128 b, V128 c) => ((a.AsSingle() * b.AsSingle()) + c.AsSingle()).AsByte();

    public static V128 F64x2MulAdd(V128 a, V128 b, V128 c) => ((a.AsDouble() * b.AsDouble()) + c.AsDouble()).AsByte();

    public static V128 I32x4TruncSatF32x4S(V128 a)
    {
        var x = a.AsSingle();
        return Vector128.Create(
            Numerics.I32TruncSatF32S(x[0]), Numerics.I32TruncSatF32S(x[1]),
            Numerics.I32TruncSatF32S(x[2]), Numerics.I32TruncSatF32S(x[3])).AsByte();
    }

    public static V128 I32x4TruncSatF32x4U(V128 a)
    {
        var x = a.AsSingle();
        return Vector128.Create(
            Numerics.I32TruncSatF32U(x[0]), Numerics.I32TruncSatF32U(x[1]),
            Numerics.I32TruncSatF32U(x[2]), Numerics.I32TruncSatF32U(x[3])).AsByte();
    }

    public static V128 I32x4TruncSatF64x2SZero(V128 a)
    {
        var x = a.AsDouble();
        return Vector128.Create(Numerics.I32TruncSatF64S(x[0]), Numerics.I32TruncSatF64S(x[1]), 0, 0).AsByte();
    }

    public static V128 I32x4TruncSatF64x2UZero(V128 a)
    {
        var x = a.AsDouble();
        return Vector128.Create(Numerics.I32TruncSatF64U(x[0]), Numerics.I32TruncSatF64U(x[1]), 0, 0).AsByte();
    }

    public static V128 F64x2ConvertLowI32x4S(V128 a) => Vector128.Create((double)a.AsInt32()[0], a.AsInt32()[1]).AsByte();

    public static V128 F64x2ConvertLowI32x4U(V128 a) => Vector128.Create((double)a.AsUInt32()[0], a.AsUInt32()[1]).AsByte();

    public static V128 F32x4DemoteF64x2Zero(V128 a)
    {
        var x = a.AsDouble();
        return Vector128.Create((float)x[0], (float)x[1], 0f, 0f).AsByte();
    }

    public static V128 F64x2PromoteLowF32x4(V128 a)
    {
        var x = a.AsSingle();
        return Vector128.Create(Numerics.F64PromoteF32(x[0]), Numerics.F64PromoteF32(x[1])).AsByte();
    }

    private static V128 Map(Vector128<float> a, Func<float, float> f) =>
        Vector128.Create(f(a[0]), f(a[1]), f(a[2]), f(a[3])).AsByte();

    private static V128 Map(Vector128<double> a, Func<double, double> f) => Vector128.Create(f(a[0]), f(a[1])).AsByte();

    private static V128 Map(Vector128<float> a, Vector128<float> b, Func<float, float, float> f) =>
        Vector128.Create(f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])).AsByte();

    private static V128 Map(Vector128<double> a, Vector128<double> b, Func<double, double, double> f) =>
        Vector128.Create(f(a[0], b[0]), f(a[1], b[1])).AsByte();
}
