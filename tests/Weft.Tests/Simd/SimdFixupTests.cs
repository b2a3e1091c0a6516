using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Weft.Runtime;
using static Weft.Tests.Simd.Lanes;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Tests.Simd;

/// <summary>
/// The instructions whose hardware forms differ from the spec, checked lane by lane against <see cref="Reference"/>
/// on the edge values where they differ. Every path that can run on this machine is checked: the one SimdOps picks,
/// the lower x86 tiers it would pick on older processors, and the portable fallback.
/// </summary>
public class SimdFixupTests
{
    private delegate V128 Unary(V128 a);

    private delegate V128 Binary(V128 a, V128 b);

    private static IEnumerable<(string Path, T Op)> Paths<T>(T chosen, T portable, params (string Path, bool Runs, T Op)[] tiers)
    {
        yield return ("chosen", chosen);
        yield return ("portable", portable);
        foreach (var tier in tiers.Where(t => t.Runs)) yield return (tier.Path, tier.Op);
    }

    private static void AssertF32(string context, uint expected, uint actual, bool canonical)
    {
        if (IsNaN(expected))
        {
            Assert.True(canonical ? IsCanonicalNaN(actual) : IsArithmeticNaN(actual),
                $"{context}: expected a {(canonical ? "canonical" : "arithmetic")} NaN, got 0x{actual:x8}");
        }
        else
        {
            Assert.True(expected == actual, $"{context}: expected 0x{expected:x8}, got 0x{actual:x8}");
        }
    }

    private static void AssertF64(string context, ulong expected, ulong actual, bool canonical)
    {
        if (IsNaN(expected))
        {
            Assert.True(canonical ? IsCanonicalNaN(actual) : IsArithmeticNaN(actual),
                $"{context}: expected a {(canonical ? "canonical" : "arithmetic")} NaN, got 0x{actual:x16}");
        }
        else
        {
            Assert.True(expected == actual, $"{context}: expected 0x{expected:x16}, got 0x{actual:x16}");
        }
    }

    private static void CheckF32Binary(string name, IEnumerable<(string Path, Binary Op)> paths, Func<uint, uint, uint> reference, bool quiets = true)
    {
        foreach (var (path, op) in paths)
        {
            foreach (var (a, b) in F32Pairs())
            {
                var result = F32Bits(op(a, b));
                for (int i = 0; i < 4; i++)
                {
                    uint x = F32Bits(a)[i], y = F32Bits(b)[i];
                    var expected = reference(x, y);
                    if (quiets) AssertF32($"{name} [{path}] (0x{x:x8}, 0x{y:x8})", expected, result[i], Reference.CanonicalOnly(x, y));
                    else Assert.True(expected == result[i], $"{name} [{path}] (0x{x:x8}, 0x{y:x8}): expected 0x{expected:x8}, got 0x{result[i]:x8}");
                }
            }
        }
    }

    private static void CheckF64Binary(string name, IEnumerable<(string Path, Binary Op)> paths, Func<ulong, ulong, ulong> reference, bool quiets = true)
    {
        foreach (var (path, op) in paths)
        {
            foreach (var (a, b) in F64Pairs())
            {
                var result = F64Bits(op(a, b));
                for (int i = 0; i < 2; i++)
                {
                    ulong x = F64Bits(a)[i], y = F64Bits(b)[i];
                    var expected = reference(x, y);
                    if (quiets) AssertF64($"{name} [{path}] (0x{x:x16}, 0x{y:x16})", expected, result[i], Reference.CanonicalOnly(x, y));
                    else Assert.True(expected == result[i], $"{name} [{path}] (0x{x:x16}, 0x{y:x16}): expected 0x{expected:x16}, got 0x{result[i]:x16}");
                }
            }
        }
    }

    [Fact]
    public void MinAndMaxPropagateNaNsAndOrderSignedZeros()
    {
        CheckF32Binary("f32x4.min", Paths<Binary>(SimdOps.F32x4Min, SimdPortable.F32x4Min), Reference.Min);
        CheckF32Binary("f32x4.max", Paths<Binary>(SimdOps.F32x4Max, SimdPortable.F32x4Max), Reference.Max);
        CheckF64Binary("f64x2.min", Paths<Binary>(SimdOps.F64x2Min, SimdPortable.F64x2Min), Reference.Min);
        CheckF64Binary("f64x2.max", Paths<Binary>(SimdOps.F64x2Max, SimdPortable.F64x2Max), Reference.Max);
    }

    [Fact]
    public void PseudoMinAndMaxReturnAnOperandUntouched()
    {
        CheckF32Binary("f32x4.pmin", Paths<Binary>(SimdOps.F32x4Pmin, SimdPortable.F32x4Pmin), Reference.Pmin, quiets: false);
        CheckF32Binary("f32x4.pmax", Paths<Binary>(SimdOps.F32x4Pmax, SimdPortable.F32x4Pmax), Reference.Pmax, quiets: false);
        CheckF64Binary("f64x2.pmin", Paths<Binary>(SimdOps.F64x2Pmin, SimdPortable.F64x2Pmin), Reference.Pmin, quiets: false);
        CheckF64Binary("f64x2.pmax", Paths<Binary>(SimdOps.F64x2Pmax, SimdPortable.F64x2Pmax), Reference.Pmax, quiets: false);
    }

    [Fact]
    public void RoundingsTieToEvenKeepTheSignAndQuietNaNs()
    {
        var f32 = new (string Name, Unary Chosen, Unary Portable, Func<double, double> Round)[]
        {
            ("f32x4.ceil", SimdOps.F32x4Ceil, SimdPortable.F32x4Ceil, Math.Ceiling),
            ("f32x4.floor", SimdOps.F32x4Floor, SimdPortable.F32x4Floor, Math.Floor),
            ("f32x4.trunc", SimdOps.F32x4Trunc, SimdPortable.F32x4Trunc, Math.Truncate),
            ("f32x4.nearest", SimdOps.F32x4Nearest, SimdPortable.F32x4Nearest, Reference.Nearest),
        };
        foreach (var (name, chosen, portable, round) in f32)
        {
            foreach (var (path, op) in Paths(chosen, portable))
            {
                foreach (var v in F32Vectors())
                {
                    var result = F32Bits(op(v));
                    for (int i = 0; i < 4; i++)
                    {
                        uint x = F32Bits(v)[i];
                        AssertF32($"{name} [{path}] 0x{x:x8}", Reference.Round(x, round), result[i], Reference.CanonicalOnly(x));
                    }
                }
            }
        }
        var f64 = new (string Name, Unary Chosen, Unary Portable, Func<double, double> Round)[]
        {
            ("f64x2.ceil", SimdOps.F64x2Ceil, SimdPortable.F64x2Ceil, Math.Ceiling),
            ("f64x2.floor", SimdOps.F64x2Floor, SimdPortable.F64x2Floor, Math.Floor),
            ("f64x2.trunc", SimdOps.F64x2Trunc, SimdPortable.F64x2Trunc, Math.Truncate),
            ("f64x2.nearest", SimdOps.F64x2Nearest, SimdPortable.F64x2Nearest, Reference.Nearest),
        };
        foreach (var (name, chosen, portable, round) in f64)
        {
            foreach (var (path, op) in Paths(chosen, portable))
            {
                foreach (var v in F64Vectors())
                {
                    var result = F64Bits(op(v));
                    for (int i = 0; i < 2; i++)
                    {
                        ulong x = F64Bits(v)[i];
                        AssertF64($"{name} [{path}] 0x{x:x16}", Reference.Round(x, round), result[i], Reference.CanonicalOnly(x));
                    }
                }
            }
        }
    }

    [Fact]
    public void SaturatingTruncationClampsAndMapsNaNToZero()
    {
        foreach (var (path, op) in Paths<Unary>(SimdOps.I32x4TruncSatF32x4S, SimdPortable.I32x4TruncSatF32x4S))
        {
            foreach (var v in F32Vectors())
            {
                for (int i = 0; i < 4; i++)
                {
                    float x = Reference.TruncSource(F32Bits(v)[i]);
                    Assert.True(Reference.TruncSatS(x) == op(v).AsInt32()[i], $"i32x4.trunc_sat_f32x4_s [{path}] {x}");
                }
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.I32x4TruncSatF32x4U, SimdPortable.I32x4TruncSatF32x4U,
                     ("sse2", Sse2.IsSupported, SimdOps.TruncSatF32x4USse2)))
        {
            foreach (var v in F32Vectors())
            {
                for (int i = 0; i < 4; i++)
                {
                    float x = Reference.TruncSource(F32Bits(v)[i]);
                    Assert.True(Reference.TruncSatU(x) == op(v).AsUInt32()[i], $"i32x4.trunc_sat_f32x4_u [{path}] {x}");
                }
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.I32x4TruncSatF64x2SZero, SimdPortable.I32x4TruncSatF64x2SZero))
        {
            foreach (var v in F64Vectors())
            {
                var result = op(v).AsInt32();
                for (int i = 0; i < 2; i++)
                {
                    double x = Reference.TruncSource(F64Bits(v)[i]);
                    Assert.True(Reference.TruncSatS(x) == result[i], $"i32x4.trunc_sat_f64x2_s_zero [{path}] {x}");
                }
                Assert.Equal(0UL, result.AsUInt64()[1]);
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.I32x4TruncSatF64x2UZero, SimdPortable.I32x4TruncSatF64x2UZero,
                     ("sse41", Sse41.IsSupported, SimdOps.TruncSatF64x2UZeroSse41)))
        {
            foreach (var v in F64Vectors())
            {
                var result = op(v).AsUInt32();
                for (int i = 0; i < 2; i++)
                {
                    double x = Reference.TruncSource(F64Bits(v)[i]);
                    Assert.True(Reference.TruncSatU(x) == result[i], $"i32x4.trunc_sat_f64x2_u_zero [{path}] {x}");
                }
                Assert.Equal(0UL, result.AsUInt64()[1]);
            }
        }
    }

    private static readonly uint[] U32Specials =
    [
        0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0x8000_0080, 0x8000_0081, 0xFFFF_FFFF, 16777217, 16777219,
        0xFFFF_FF7F, 0xFFFF_FF80, 0xFFFF_FF81, 0x0100_0001, 0xFFFF, 0x10000, 0x1_0001,
    ];

    [Fact]
    public void IntegerToFloatConversionsRoundOnce()
    {
        var inputs = U32Specials.Chunk(4).Where(c => c.Length == 4).Select(c => Vector128.Create(c).AsByte()).Concat(Random(200, 6)).ToArray();
        foreach (var (path, op) in Paths<Unary>(SimdOps.F32x4ConvertI32x4U, SimdOps.ConvertU32ToF32Split))
        {
            foreach (var v in inputs)
            {
                for (int i = 0; i < 4; i++)
                {
                    uint x = v.AsUInt32()[i];
                    Assert.True(Lanes.Bits((float)(double)x) == op(v).AsUInt32()[i], $"f32x4.convert_i32x4_u [{path}] {x}");
                }
            }
        }
        foreach (var v in inputs)
        {
            for (int i = 0; i < 4; i++)
            {
                int x = v.AsInt32()[i];
                Assert.True(Lanes.Bits((float)(double)x) == SimdOps.F32x4ConvertI32x4S(v).AsUInt32()[i], $"f32x4.convert_i32x4_s {x}");
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.F64x2ConvertLowI32x4U, SimdPortable.F64x2ConvertLowI32x4U,
                     ("sse2", Sse2.IsSupported, SimdOps.ConvertLowU32ToF64Sse2)))
        {
            foreach (var v in inputs)
            {
                Assert.Equal(Vector128.Create((double)v.AsUInt32()[0], v.AsUInt32()[1]), op(v).AsDouble());
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.F64x2ConvertLowI32x4S, SimdPortable.F64x2ConvertLowI32x4S))
        {
            foreach (var v in inputs)
            {
                Assert.Equal(Vector128.Create((double)v.AsInt32()[0], v.AsInt32()[1]), op(v).AsDouble());
            }
        }
    }

    [Fact]
    public void DemoteAndPromoteQuietNaNs()
    {
        foreach (var (path, op) in Paths<Unary>(SimdOps.F32x4DemoteF64x2Zero, SimdPortable.F32x4DemoteF64x2Zero))
        {
            foreach (var v in F64Vectors())
            {
                var result = F32Bits(op(v));
                for (int i = 0; i < 2; i++)
                {
                    ulong x = F64Bits(v)[i];
                    uint expected = IsNaN(x) ? F32CanonicalNaN : Lanes.Bits((float)BitConverter.UInt64BitsToDouble(x));
                    AssertF32($"f32x4.demote_f64x2_zero [{path}] 0x{x:x16}", expected, result[i], Reference.CanonicalOnly(x));
                }
                Assert.Equal(0UL, op(v).AsUInt64()[1]);
            }
        }
        foreach (var (path, op) in Paths<Unary>(SimdOps.F64x2PromoteLowF32x4, SimdPortable.F64x2PromoteLowF32x4))
        {
            foreach (var v in F32Vectors())
            {
                var result = F64Bits(op(v));
                for (int i = 0; i < 2; i++)
                {
                    uint x = F32Bits(v)[i];
                    ulong expected = IsNaN(x) ? F64CanonicalNaN : Lanes.Bits((double)BitConverter.UInt32BitsToSingle(x));
                    AssertF64($"f64x2.promote_low_f32x4 [{path}] 0x{x:x8}", expected, result[i], Reference.CanonicalOnly(x));
                }
            }
        }
    }

    [Fact]
    public void ShuffleTakesEachLaneFromEitherOperand()
    {
        var a = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector128.Create((byte)100);
        var b = Vector128.Create((byte)16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31) + Vector128.Create((byte)100);
        var random = new Random(1);
        var immediates = new List<byte[]>
        {
            Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(),
            Enumerable.Range(16, 16).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 16).Select(i => (byte)(31 - i)).ToArray(),
            Enumerable.Range(0, 16).Select(i => (byte)(i % 2 == 0 ? i : i + 16)).ToArray(),
        };
        for (int n = 0; n < 200; n++) immediates.Add(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(32)).ToArray());
        foreach (var (path, op) in Paths<Func<V128, V128, V128, V128>>(SimdOps.I8x16Shuffle, SimdPortable.I8x16Shuffle,
                     ("ssse3", Ssse3.IsSupported, SimdOps.ShuffleSsse3)))
        {
            foreach (var immediate in immediates)
            {
                var mask = Vector128.Create(immediate.Select(SimdOps.ShuffleMaskLane).ToArray());
                var expected = Vector128.Create(immediate.Select(i => (byte)(100 + i)).ToArray());
                Assert.True(expected == op(a, b, mask), $"i8x16.shuffle [{path}] {string.Join(' ', immediate)}");
            }
        }
    }

    [Fact]
    public void SwizzleZeroesEveryOutOfRangeLane()
    {
        var table = Vector128.Create((byte)0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
        byte[] tableBytes = new byte[16];
        table.CopyTo(tableBytes);
        foreach (var (path, op) in Paths<Binary>(SimdOps.I8x16Swizzle, SimdPortable.I8x16Swizzle))
        {
            for (int start = 0; start < 256; start += 16)
            {
                var indices = Vector128.Create(Enumerable.Range(start, 16).Select(i => (byte)i).ToArray());
                var result = op(table, indices);
                for (int i = 0; i < 16; i++)
                {
                    Assert.True(Reference.Swizzle(tableBytes, indices[i]) == result[i], $"i8x16.swizzle [{path}] index {indices[i]}");
                }
            }
        }
    }

    private static readonly short[] I16Specials = [short.MinValue, -32767, -257, -256, -129, -128, -127, -1, 0, 1, 126, 127, 128, 255, 256, 32767];
    private static readonly int[] I32Specials = [int.MinValue, -65536, -32769, -32768, -32767, -1, 0, 1, 32767, 32768, 65535, 65536, int.MaxValue];

    [Fact]
    public void NarrowingSaturatesToTheTargetRange()
    {
        var i16 = I16Specials.Chunk(8).Select(c => Vector128.Create(c).AsByte()).Concat(Random(50, 2)).ToArray();
        var i32 = I32Specials.Concat(I32Specials).Chunk(4).Where(c => c.Length == 4).Select(c => Vector128.Create(c).AsByte()).Concat(Random(50, 3)).ToArray();
        foreach (var (path, op) in Paths<Binary>(SimdOps.I8x16NarrowI16x8S, SimdPortable.I8x16NarrowI16x8S))
        {
            foreach (var a in i16)
            {
                foreach (var b in i16)
                {
                    var expected = Vector128.Create(Enumerable.Range(0, 16).Select(i => Reference.NarrowS((i < 8 ? a : b).AsInt16()[i % 8])).ToArray());
                    Assert.True(expected == op(a, b).AsSByte(), $"i8x16.narrow_i16x8_s [{path}] {Hex(a)} {Hex(b)}");
                }
            }
        }
        foreach (var (path, op) in Paths<Binary>(SimdOps.I8x16NarrowI16x8U, SimdPortable.I8x16NarrowI16x8U))
        {
            foreach (var a in i16)
            {
                foreach (var b in i16)
                {
                    var expected = Vector128.Create(Enumerable.Range(0, 16).Select(i => Reference.NarrowU((i < 8 ? a : b).AsInt16()[i % 8])).ToArray());
                    Assert.True(expected == op(a, b), $"i8x16.narrow_i16x8_u [{path}] {Hex(a)} {Hex(b)}");
                }
            }
        }
        foreach (var (path, op) in Paths<Binary>(SimdOps.I16x8NarrowI32x4S, SimdPortable.I16x8NarrowI32x4S))
        {
            foreach (var a in i32)
            {
                foreach (var b in i32)
                {
                    var expected = Vector128.Create(Enumerable.Range(0, 8).Select(i => Reference.NarrowS((i < 4 ? a : b).AsInt32()[i % 4])).ToArray());
                    Assert.True(expected == op(a, b).AsInt16(), $"i16x8.narrow_i32x4_s [{path}] {Hex(a)} {Hex(b)}");
                }
            }
        }
        foreach (var (path, op) in Paths<Binary>(SimdOps.I16x8NarrowI32x4U, SimdPortable.I16x8NarrowI32x4U))
        {
            foreach (var a in i32)
            {
                foreach (var b in i32)
                {
                    var expected = Vector128.Create(Enumerable.Range(0, 8).Select(i => Reference.NarrowU((i < 4 ? a : b).AsInt32()[i % 4])).ToArray());
                    Assert.True(expected == op(a, b).AsUInt16(), $"i16x8.narrow_i32x4_u [{path}] {Hex(a)} {Hex(b)}");
                }
            }
        }
    }

    [Fact]
    public void Q15MulrSaturatesOnlyTheOneOverflowingProduct()
    {
        foreach (var (path, op) in Paths<Binary>(SimdOps.I16x8Q15mulrSatS, SimdPortable.I16x8Q15mulrSatS))
        {
            // Every i16 against the values near the edges, then random pairs.
            foreach (short b in I16Specials.Append((short)16384).Append((short)-16384))
            {
                var right = Vector128.Create(b).AsByte();
                for (int start = short.MinValue; start <= short.MaxValue; start += 8)
                {
                    var left = Vector128.Create(Enumerable.Range(start, 8).Select(x => (short)x).ToArray()).AsByte();
                    var result = op(left, right).AsInt16();
                    for (int i = 0; i < 8; i++)
                    {
                        short a = left.AsInt16()[i];
                        Assert.True(Reference.Q15MulrSat(a, b) == result[i], $"i16x8.q15mulr_sat_s [{path}] {a} * {b}");
                    }
                }
            }
            foreach (var (left, right) in Random(500, 4).Zip(Random(500, 5)))
            {
                var result = op(left, right).AsInt16();
                for (int i = 0; i < 8; i++)
                {
                    Assert.Equal(Reference.Q15MulrSat(left.AsInt16()[i], right.AsInt16()[i]), result[i]);
                }
            }
        }
        Assert.Equal(Vector128.Create(short.MaxValue), SimdOps.I16x8Q15mulrSatS(Vector128.Create(short.MinValue).AsByte(), Vector128.Create(short.MinValue).AsByte()).AsInt16());
    }

    [Fact]
    public void PopcntAndRoundingAverageCoverEveryByte()
    {
        foreach (var (path, op) in Paths<Unary>(SimdOps.I8x16Popcnt, SimdPortable.I8x16Popcnt))
        {
            for (int start = 0; start < 256; start += 16)
            {
                var v = Vector128.Create(Enumerable.Range(start, 16).Select(i => (byte)i).ToArray());
                var expected = Vector128.Create(Enumerable.Range(start, 16).Select(i => (byte)System.Numerics.BitOperations.PopCount((uint)i)).ToArray());
                Assert.True(expected == op(v), $"i8x16.popcnt [{path}] from {start}");
            }
        }
        foreach (var (path, op) in Paths<Binary>(SimdOps.I8x16AvgrU, SimdPortable.I8x16AvgrU))
        {
            for (int x = 0; x < 256; x++)
            {
                var a = Vector128.Create((byte)x);
                for (int start = 0; start < 256; start += 16)
                {
                    var b = Vector128.Create(Enumerable.Range(start, 16).Select(i => (byte)i).ToArray());
                    var expected = Vector128.Create(Enumerable.Range(start, 16).Select(y => (byte)((x + y + 1) / 2)).ToArray());
                    Assert.True(expected == op(a, b), $"i8x16.avgr_u [{path}] {x}");
                }
            }
        }
        foreach (var (path, op) in Paths<Binary>(SimdOps.I16x8AvgrU, SimdPortable.I16x8AvgrU))
        {
            foreach (var (a, b) in Random(300, 7).Zip(Random(300, 8)).Append((Vector128.Create(ushort.MaxValue).AsByte(), Vector128.Create(ushort.MaxValue).AsByte())))
            {
                var expected = Vector128.Create(Enumerable.Range(0, 8).Select(i => (ushort)((a.AsUInt16()[i] + b.AsUInt16()[i] + 1) / 2)).ToArray());
                Assert.True(expected == op(a, b).AsUInt16(), $"i16x8.avgr_u [{path}] {Hex(a)} {Hex(b)}");
            }
        }
    }

    [Fact]
    public void PairwiseSumsDotProductsAndWideMultipliesAreExact()
    {
        var inputs = Random(300, 9)
            .Append(Vector128<byte>.AllBitsSet).Append(Vector128.Create((byte)0x80)).Append(Vector128.Create((byte)0x7F))
            .Append(Vector128.Create(short.MinValue).AsByte()).Append(Vector128.Create(int.MinValue).AsByte()).ToArray();
        foreach (var v in inputs)
        {
            var s8 = v.AsSByte();
            var u8 = v;
            var s16 = v.AsInt16();
            var u16 = v.AsUInt16();
            var pairsS8 = Vector128.Create(Enumerable.Range(0, 8).Select(i => (short)(s8[2 * i] + s8[(2 * i) + 1])).ToArray());
            var pairsU8 = Vector128.Create(Enumerable.Range(0, 8).Select(i => (short)(u8[2 * i] + u8[(2 * i) + 1])).ToArray());
            var pairsS16 = Vector128.Create(Enumerable.Range(0, 4).Select(i => s16[2 * i] + s16[(2 * i) + 1]).ToArray());
            var pairsU16 = Vector128.Create(Enumerable.Range(0, 4).Select(i => u16[2 * i] + u16[(2 * i) + 1]).ToArray());
            Assert.Equal(pairsS8, SimdOps.I16x8ExtaddPairwiseI8x16S(v).AsInt16());
            Assert.Equal(pairsS8, SimdPortable.I16x8ExtaddPairwiseI8x16S(v).AsInt16());
            Assert.Equal(pairsU8, SimdOps.I16x8ExtaddPairwiseI8x16U(v).AsInt16());
            Assert.Equal(pairsU8, SimdPortable.I16x8ExtaddPairwiseI8x16U(v).AsInt16());
            Assert.Equal(pairsS16, SimdOps.I32x4ExtaddPairwiseI16x8S(v).AsInt32());
            Assert.Equal(pairsS16, SimdPortable.I32x4ExtaddPairwiseI16x8S(v).AsInt32());
            Assert.Equal(pairsU16, SimdOps.I32x4ExtaddPairwiseI16x8U(v).AsInt32());
            Assert.Equal(pairsU16, SimdPortable.I32x4ExtaddPairwiseI16x8U(v).AsInt32());

            foreach (var w in inputs.Take(20))
            {
                var t16 = w.AsInt16();
                var dot = Vector128.Create(Enumerable.Range(0, 4).Select(i => unchecked((s16[2 * i] * t16[2 * i]) + (s16[(2 * i) + 1] * t16[(2 * i) + 1]))).ToArray());
                Assert.Equal(dot, SimdOps.I32x4DotI16x8S(v, w).AsInt32());
                Assert.Equal(dot, SimdPortable.I32x4DotI16x8S(v, w).AsInt32());

                var s32 = v.AsInt32();
                var t32 = w.AsInt32();
                Assert.Equal(Vector128.Create((long)s32[0] * t32[0], (long)s32[1] * t32[1]), SimdOps.I64x2ExtmulLowI32x4S(v, w).AsInt64());
                Assert.Equal(Vector128.Create((long)s32[2] * t32[2], (long)s32[3] * t32[3]), SimdOps.I64x2ExtmulHighI32x4S(v, w).AsInt64());
                Assert.Equal(Vector128.Create((ulong)(uint)s32[0] * (uint)t32[0], (ulong)(uint)s32[1] * (uint)t32[1]), SimdOps.I64x2ExtmulLowI32x4U(v, w).AsUInt64());
                Assert.Equal(Vector128.Create((ulong)(uint)s32[2] * (uint)t32[2], (ulong)(uint)s32[3] * (uint)t32[3]), SimdOps.I64x2ExtmulHighI32x4U(v, w).AsUInt64());
                Assert.Equal(SimdOps.I64x2ExtmulLowI32x4S(v, w), SimdPortable.I64x2ExtmulLowI32x4S(v, w));
                Assert.Equal(SimdOps.I64x2ExtmulHighI32x4S(v, w), SimdPortable.I64x2ExtmulHighI32x4S(v, w));
                Assert.Equal(SimdOps.I64x2ExtmulLowI32x4U(v, w), SimdPortable.I64x2ExtmulLowI32x4U(v, w));
                Assert.Equal(SimdOps.I64x2ExtmulHighI32x4U(v, w), SimdPortable.I64x2ExtmulHighI32x4U(v, w));
            }
        }
        // The one dot product that wraps: (-32768)^2 twice is 2^31.
        var min = Vector128.Create(short.MinValue).AsByte();
        Assert.Equal(Vector128.Create(int.MinValue), SimdOps.I32x4DotI16x8S(min, min).AsInt32());
    }
}
