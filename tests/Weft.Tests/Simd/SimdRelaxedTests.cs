using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Weft.Runtime;
using static Weft.Tests.Simd.Lanes;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Tests.Simd;

/// <summary>
/// Relaxed SIMD (spec 4.3.6): every result is one the spec allows, the same one each time, and the one
/// docs/RATIONALE.md documents for this machine's instruction sets.
/// </summary>
public class SimdRelaxedTests
{
    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    [Fact]
    public void SwizzleReturnsZeroOrTheLaneModulo16ForLargeIndices()
    {
        var table = Vector128.Create((byte)0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
        for (int start = 0; start < 256; start += 16)
        {
            var indices = Vector128.Create(Enumerable.Range(start, 16).Select(i => (byte)i).ToArray());
            var result = SimdOps.I8x16RelaxedSwizzle(table, indices);
            Assert.Equal(result, SimdOps.I8x16RelaxedSwizzle(table, indices));
            for (int i = 0; i < 16; i++)
            {
                int j = indices[i];
                byte modulo = table[j % 16];
                if (j < 16) Assert.Equal(table[j], result[i]);
                else if (j >= 128) Assert.Equal(0, result[i]);
                else Assert.Equal(Ssse3.IsSupported ? modulo : (byte)0, result[i]);
            }
        }
    }

    [Fact]
    public void TruncationIsExactInRangeAndFixedOutsideIt()
    {
        foreach (var v in F32Vectors())
        {
            var signed = SimdOps.I32x4RelaxedTruncF32x4S(v).AsInt32();
            var unsigned = SimdOps.I32x4RelaxedTruncF32x4U(v).AsUInt32();
            Assert.Equal(signed, SimdOps.I32x4RelaxedTruncF32x4S(v).AsInt32());
            for (int i = 0; i < 4; i++)
            {
                double x = F(F32Bits(v)[i]);
                double t = Math.Truncate(x);
                bool inRange = !double.IsNaN(x) && t >= int.MinValue && t <= int.MaxValue;
                Assert.Equal(inRange ? (int)t : Sse2.IsSupported ? int.MinValue : Reference.TruncSatS(x), signed[i]);
                Assert.Equal(Reference.TruncSatU(x), unsigned[i]);
            }
        }
        foreach (var v in F64Vectors())
        {
            var signed = SimdOps.I32x4RelaxedTruncF64x2S(v).AsInt32();
            var unsigned = SimdOps.I32x4RelaxedTruncF64x2U(v).AsUInt32();
            for (int i = 0; i < 2; i++)
            {
                double x = D(F64Bits(v)[i]);
                double t = Math.Truncate(x);
                bool inRange = !double.IsNaN(x) && t >= int.MinValue && t <= int.MaxValue;
                Assert.Equal(inRange ? (int)t : Sse2.IsSupported ? int.MinValue : Reference.TruncSatS(x), signed[i]);
                Assert.Equal(Reference.TruncSatU(x), unsigned[i]);
            }
            Assert.Equal(0UL, signed.AsUInt64()[1]);
            Assert.Equal(0UL, unsigned.AsUInt64()[1]);
        }
    }

    [Fact]
    public void MaddIsFusedExactlyWhenTheMachineHasFma()
    {
        // FLT_MAX * 2 - FLT_MAX is FLT_MAX fused and infinity unfused; 1 + 2^-23 squared minus 1 shows the lost bit.
        float max = float.MaxValue, e = 1f + MathF.Pow(2, -23);
        var cases = new (float A, float B, float C)[] { (max, 2f, -max), (e, e, -1f), (-e, e, 1f), (0.1f, 10f, -1f) };
        bool fused = Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        foreach (var (a, b, c) in cases)
        {
            var va = Vector128.Create(a).AsByte();
            var vb = Vector128.Create(b).AsByte();
            var vc = Vector128.Create(c).AsByte();
            float expected = fused ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;
            Assert.Equal(Vector128.Create(expected), SimdOps.F32x4RelaxedMadd(va, vb, vc).AsSingle());
            float negated = fused ? MathF.FusedMultiplyAdd(-a, b, c) : (-a * b) + c;
            Assert.Equal(Vector128.Create(negated), SimdOps.F32x4RelaxedNmadd(va, vb, vc).AsSingle());

            double da = a, db = b * (1 + Math.Pow(2, -40)), dc = c;
            double expected64 = fused ? Math.FusedMultiplyAdd(da, db, dc) : (da * db) + dc;
            var result64 = SimdOps.F64x2RelaxedMadd(Vector128.Create(da).AsByte(), Vector128.Create(db).AsByte(), Vector128.Create(dc).AsByte());
            Assert.Equal(Vector128.Create(expected64), result64.AsDouble());
            double negated64 = fused ? Math.FusedMultiplyAdd(-da, db, dc) : (-da * db) + dc;
            var resultN64 = SimdOps.F64x2RelaxedNmadd(Vector128.Create(da).AsByte(), Vector128.Create(db).AsByte(), Vector128.Create(dc).AsByte());
            Assert.Equal(Vector128.Create(negated64), resultN64.AsDouble());
        }
    }

    [Fact]
    public void LaneselectIsBitselect()
    {
        foreach (var ((a, b), m) in Random(50, 11).Zip(Random(50, 12)).Zip(Random(50, 13)))
        {
            var expected = (a & m) | (b & ~m);
            Assert.Equal(expected, SimdOps.I8x16RelaxedLaneselect(a, b, m));
            Assert.Equal(expected, SimdOps.I16x8RelaxedLaneselect(a, b, m));
            Assert.Equal(expected, SimdOps.I32x4RelaxedLaneselect(a, b, m));
            Assert.Equal(expected, SimdOps.I64x2RelaxedLaneselect(a, b, m));
        }
    }

    [Fact]
    public void MinAndMaxDifferOnlyForNaNsAndSignedZeros()
    {
        foreach (var (a, b) in F32Pairs())
        {
            var min = F32Bits(SimdOps.F32x4RelaxedMin(a, b));
            var max = F32Bits(SimdOps.F32x4RelaxedMax(a, b));
            for (int i = 0; i < 4; i++)
            {
                uint x = F32Bits(a)[i], y = F32Bits(b)[i];
                CheckRelaxedF32(x, y, min[i], Reference.Min(x, y), 0x8000_0000);
                CheckRelaxedF32(x, y, max[i], Reference.Max(x, y), 0);
            }
        }
        foreach (var (a, b) in F64Pairs())
        {
            var min = F64Bits(SimdOps.F64x2RelaxedMin(a, b));
            var max = F64Bits(SimdOps.F64x2RelaxedMax(a, b));
            for (int i = 0; i < 2; i++)
            {
                ulong x = F64Bits(a)[i], y = F64Bits(b)[i];
                CheckRelaxedF64(x, y, min[i], Reference.Min(x, y), 0x8000_0000_0000_0000);
                CheckRelaxedF64(x, y, max[i], Reference.Max(x, y), 0);
            }
        }
    }

    // Spec frelaxed_min/max: a NaN operand allows [fmin, the NaN, the other operand]; ±0 against ∓0 allows either
    // zero or the fixed one. x86 (SSE) always returns the second operand in those cases.
    private static void CheckRelaxedF32(uint x, uint y, uint actual, uint strict, uint fixedZero)
    {
        bool special = IsNaN(x) || IsNaN(y) || (F(x) == 0 && F(y) == 0 && x != y);
        if (!special)
        {
            Assert.Equal(strict, actual);
            return;
        }
        if (Sse.IsSupported)
        {
            Assert.Equal(y, actual);
            return;
        }
        bool allowed = (IsNaN(strict) && IsArithmeticNaN(actual)) || actual == strict || actual == x || actual == y || actual == fixedZero;
        Assert.True(allowed, $"relaxed min/max (0x{x:x8}, 0x{y:x8}) gave 0x{actual:x8}");
    }

    private static void CheckRelaxedF64(ulong x, ulong y, ulong actual, ulong strict, ulong fixedZero)
    {
        bool special = IsNaN(x) || IsNaN(y) || (D(x) == 0 && D(y) == 0 && x != y);
        if (!special)
        {
            Assert.Equal(strict, actual);
            return;
        }
        if (Sse2.IsSupported)
        {
            Assert.Equal(y, actual);
            return;
        }
        bool allowed = (IsNaN(strict) && IsArithmeticNaN(actual)) || actual == strict || actual == x || actual == y || actual == fixedZero;
        Assert.True(allowed, $"relaxed min/max (0x{x:x16}, 0x{y:x16}) gave 0x{actual:x16}");
    }

    [Fact]
    public void Q15MulrDiffersOnlyOnOverflow()
    {
        foreach (var (a, b) in Random(300, 14).Zip(Random(300, 15)))
        {
            Assert.Equal(SimdOps.I16x8Q15mulrSatS(a, b), SimdOps.I16x8RelaxedQ15mulrS(a, b));
        }
        var min = Vector128.Create(short.MinValue).AsByte();
        short overflow = SimdOps.I16x8RelaxedQ15mulrS(min, min).AsInt16()[0];
        Assert.Equal(Ssse3.IsSupported ? short.MinValue : short.MaxValue, overflow);
    }

    [Fact]
    public void DotProductReadsTheSecondOperandAsUnsignedOnlyOnX86()
    {
        foreach (var (a, b7) in Random(300, 16).Zip(Random(300, 17)))
        {
            var b = b7 & Vector128.Create((byte)0x7F);     // 7-bit lanes: every choice agrees
            var expected = Vector128.Create(Enumerable.Range(0, 8)
                .Select(i => (short)((a.AsSByte()[2 * i] * b[2 * i]) + (a.AsSByte()[(2 * i) + 1] * b[(2 * i) + 1]))).ToArray());
            Assert.Equal(expected, SimdOps.I16x8RelaxedDotI8x16I7x16S(a, b).AsInt16());
            var c = Vector128.Create(1, -2, 3, int.MaxValue).AsByte();
            var sums = Vector128.Create(Enumerable.Range(0, 4).Select(i => unchecked(expected[2 * i] + expected[(2 * i) + 1] + c.AsInt32()[i])).ToArray());
            Assert.Equal(sums, SimdOps.I32x4RelaxedDotI8x16I7x16AddS(a, b, c).AsInt32());
        }

        // -128 * -127 twice: signed 32512, unsigned -128 * 129 * 2 = -33024, saturated to -32768.
        var left = Vector128.Create((sbyte)-128).AsByte();
        var right = Vector128.Create((sbyte)-127).AsByte();
        short dot = SimdOps.I16x8RelaxedDotI8x16I7x16S(left, right).AsInt16()[0];
        Assert.Equal(Ssse3.IsSupported ? (short)-32768 : (short)32512, dot);
        int dotAdd = SimdOps.I32x4RelaxedDotI8x16I7x16AddS(left, right, Vector128.Create(1).AsByte()).AsInt32()[0];
        Assert.Equal(Ssse3.IsSupported ? -65535 : 65025, dotAdd);
        Assert.Equal((short)32512, SimdPortable.I16x8DotI8x16SignedSaturate(left, right).AsInt16()[0]);
    }
}
