using System.Runtime.Intrinsics;

namespace Weft.Tests.Simd;

/// <summary>Building v128 values from lanes and taking them apart, plus the edge values the SIMD tests sweep.</summary>
internal static class Lanes
{
    public static Vector128<byte> F32(params uint[] bits) => Vector128.Create(bits).AsByte();

    public static Vector128<byte> F64(params ulong[] bits) => Vector128.Create(bits).AsByte();

    public static Vector128<byte> I16(params short[] lanes) => Vector128.Create(lanes).AsByte();

    public static Vector128<byte> I32(params int[] lanes) => Vector128.Create(lanes).AsByte();

    public static uint[] F32Bits(Vector128<byte> v) => [v.AsUInt32()[0], v.AsUInt32()[1], v.AsUInt32()[2], v.AsUInt32()[3]];

    public static ulong[] F64Bits(Vector128<byte> v) => [v.AsUInt64()[0], v.AsUInt64()[1]];

    public static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);

    public static ulong Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

    public const uint F32CanonicalNaN = 0x7FC0_0000;
    public const ulong F64CanonicalNaN = 0x7FF8_0000_0000_0000;

    /// <summary>f32 values where the hardware and wasm part ways: zeros, ties, range limits, infinities, NaNs of all kinds.</summary>
    public static readonly uint[] F32Specials =
    [
        Bits(0f), Bits(-0f), Bits(1f), Bits(-1f), Bits(0.5f), Bits(-0.5f), Bits(1.5f), Bits(2.5f), Bits(-2.5f),
        Bits(0.49999997f), Bits(-0.3f), Bits(3.7f), Bits(-3.7f), Bits(-0.99999994f), Bits(8388607.5f), Bits(8388609f),
        Bits(2147483520f), Bits(2147483648f), Bits(-2147483648f), Bits(-2147483904f), Bits(4294967040f),
        Bits(4294967296f), Bits(1e10f), Bits(-1e10f), 0x0000_0001, 0x8000_0001, Bits(float.MaxValue),
        Bits(-float.MaxValue), Bits(float.PositiveInfinity), Bits(float.NegativeInfinity),
        F32CanonicalNaN, 0xFFC0_0000, 0x7FA0_0000, 0xFF80_0001, 0x7FC1_2345, 0xFFE0_0000,
    ];

    /// <summary>The f64 counterpart of <see cref="F32Specials"/>, with the i32 and u32 range limits.</summary>
    public static readonly ulong[] F64Specials =
    [
        Bits(0d), Bits(-0d), Bits(1d), Bits(-1d), Bits(0.5), Bits(-0.5), Bits(1.5), Bits(2.5), Bits(-2.5),
        Bits(0.49999999999999994), Bits(-0.3), Bits(-0.9999999999999999), Bits(4503599627370495.5),
        Bits(4503599627370497d), Bits(2147483647d), Bits(2147483647.5), Bits(2147483648d), Bits(-2147483648d),
        Bits(-2147483648.5), Bits(-2147483649d), Bits(4294967295d), Bits(4294967295.5), Bits(4294967296d),
        Bits(1e300), Bits(-1e300), 0x0000_0000_0000_0001, 0x8000_0000_0000_0001, Bits(double.MaxValue),
        Bits(double.PositiveInfinity), Bits(double.NegativeInfinity),
        F64CanonicalNaN, 0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF0_0000_0000_0001, 0x7FF8_0000_1234_5678,
    ];

    public static bool IsNaN(uint bits) => (bits & 0x7FFF_FFFF) > 0x7F80_0000;

    public static bool IsNaN(ulong bits) => (bits & 0x7FFF_FFFF_FFFF_FFFF) > 0x7FF0_0000_0000_0000;

    public static bool IsCanonicalNaN(uint bits) => (bits & 0x7FFF_FFFF) == F32CanonicalNaN;

    public static bool IsCanonicalNaN(ulong bits) => (bits & 0x7FFF_FFFF_FFFF_FFFF) == F64CanonicalNaN;

    /// <summary>An arithmetic NaN: the quiet bit set, any payload, either sign.</summary>
    public static bool IsArithmeticNaN(uint bits) => (bits & 0x7FC0_0000) == 0x7FC0_0000;

    public static bool IsArithmeticNaN(ulong bits) => (bits & 0x7FF8_0000_0000_0000) == 0x7FF8_0000_0000_0000;

    /// <summary>Every ordered pair of f32 specials, four lanes at a time.</summary>
    public static IEnumerable<(Vector128<byte> A, Vector128<byte> B)> F32Pairs()
    {
        var pairs = (from a in F32Specials from b in F32Specials select (a, b)).ToArray();
        for (int i = 0; i < pairs.Length; i += 4)
        {
            var chunk = Enumerable.Range(i, 4).Select(k => pairs[k % pairs.Length]).ToArray();
            yield return (F32(chunk.Select(p => p.a).ToArray()), F32(chunk.Select(p => p.b).ToArray()));
        }
    }

    /// <summary>Every ordered pair of f64 specials, two lanes at a time.</summary>
    public static IEnumerable<(Vector128<byte> A, Vector128<byte> B)> F64Pairs()
    {
        var pairs = (from a in F64Specials from b in F64Specials select (a, b)).ToArray();
        for (int i = 0; i < pairs.Length; i += 2)
        {
            var chunk = Enumerable.Range(i, 2).Select(k => pairs[k % pairs.Length]).ToArray();
            yield return (F64(chunk.Select(p => p.a).ToArray()), F64(chunk.Select(p => p.b).ToArray()));
        }
    }

    /// <summary>The f32 specials four lanes at a time.</summary>
    public static IEnumerable<Vector128<byte>> F32Vectors() =>
        Enumerable.Range(0, (F32Specials.Length + 3) / 4).Select(i => F32(Enumerable.Range(4 * i, 4).Select(k => F32Specials[k % F32Specials.Length]).ToArray()));

    /// <summary>The f64 specials two lanes at a time.</summary>
    public static IEnumerable<Vector128<byte>> F64Vectors() =>
        Enumerable.Range(0, (F64Specials.Length + 1) / 2).Select(i => F64(F64Specials[2 * i], F64Specials[((2 * i) + 1) % F64Specials.Length]));

    /// <summary>Deterministic pseudo-random vectors.</summary>
    public static IEnumerable<Vector128<byte>> Random(int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[16];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            yield return Vector128.Create(bytes);
        }
    }

    public static string Hex(Vector128<byte> v) => $"0x{v.AsUInt64()[1]:x16}{v.AsUInt64()[0]:x16}";
}
