using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

/// <summary>
/// The semantics of the wasm vector instructions (spec 4.4.3), one method per opcode, named exactly as the
/// <see cref="Syntax.Opcode"/> member: the compiler finds the helper of an opcode by that name and derives the stack
/// effect from the signature (a v128 is <c>Vector128&lt;byte&gt;</c>; a trailing <c>int lane</c> is the lane immediate,
/// not an operand). Every helper is small and aggressively inlined, so in optimized code a wasm SIMD instruction
/// becomes the few machine instructions below and a v128 stays in a register, reinterpreted per lane shape for free.
/// <para>
/// Where a <see cref="Vector128"/>, SSE/AVX or AdvSimd operation has exactly the spec's semantics it is used directly;
/// where the hardware differs (NaN and signed zeros in min/max, out-of-range conversions, out-of-range shuffle
/// indices, the one overflowing case of q15mulr) the helper applies an exact fix-up; and when no hardware path exists
/// it falls back to <see cref="SimdPortable"/>. Families live in partial files: Integer, Float, Conversion, Relaxed,
/// Memory.
/// </para>
/// </summary>
internal static partial class SimdOps
{
    // ---- bitwise (spec: vvunop, vvbinop, vvternop, vvtestop)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Not(V128 a) => ~a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128And(V128 a, V128 b) => a & b;

    /// <summary>a AND NOT b (the second operand is the one complemented).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Andnot(V128 a, V128 b) => Vector128.AndNot(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Or(V128 a, V128 b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Xor(V128 a, V128 b) => a ^ b;

    /// <summary>Bits of a where the mask c is set, bits of b elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Bitselect(V128 a, V128 b, V128 c) => Vector128.ConditionalSelect(c, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int V128AnyTrue(V128 a) => a == V128.Zero ? 0 : 1;

    // ---- all_true and bitmask (spec: vitestop, vbitmask)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16AllTrue(V128 a) => Vector128.EqualsAny(a, V128.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8AllTrue(V128 a) => Vector128.EqualsAny(a.AsUInt16(), Vector128<ushort>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4AllTrue(V128 a) => Vector128.EqualsAny(a.AsUInt32(), Vector128<uint>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2AllTrue(V128 a) => Vector128.EqualsAny(a.AsUInt64(), Vector128<ulong>.Zero) ? 0 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16Bitmask(V128 a) => (int)Vector128.ExtractMostSignificantBits(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8Bitmask(V128 a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4Bitmask(V128 a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I64x2Bitmask(V128 a) => (int)Vector128.ExtractMostSignificantBits(a.AsUInt64());

    // ---- splat (spec: splat)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Splat(int x) => Vector128.Create((byte)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8Splat(int x) => Vector128.Create((ushort)x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4Splat(int x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2Splat(long x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4Splat(float x) => Vector128.Create(x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2Splat(double x) => Vector128.Create(x).AsByte();

    // ---- lanes (spec: extract_lane, replace_lane); the lane is an immediate, validated to be in range

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneS(V128 a, int lane) => a.AsSByte().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I8x16ExtractLaneU(V128 a, int lane) => a.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneS(V128 a, int lane) => a.AsInt16().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I16x8ExtractLaneU(V128 a, int lane) => a.AsUInt16().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int I32x4ExtractLane(V128 a, int lane) => a.AsInt32().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long I64x2ExtractLane(V128 a, int lane) => a.AsInt64().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float F32x4ExtractLane(V128 a, int lane) => a.AsSingle().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double F64x2ExtractLane(V128 a, int lane) => a.AsDouble().GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16ReplaceLane(V128 a, int x, int lane) => a.WithElement(lane, (byte)x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I16x8ReplaceLane(V128 a, int x, int lane) => a.AsUInt16().WithElement(lane, (ushort)x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I32x4ReplaceLane(V128 a, int x, int lane) => a.AsInt32().WithElement(lane, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I64x2ReplaceLane(V128 a, long x, int lane) => a.AsInt64().WithElement(lane, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F32x4ReplaceLane(V128 a, float x, int lane) => a.AsSingle().WithElement(lane, x).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 F64x2ReplaceLane(V128 a, double x, int lane) => a.AsDouble().WithElement(lane, x).AsByte();

    // ---- shuffle and swizzle (spec: vshuffle, vswizzle)

    /// <summary>
    /// The lane mask the compiler passes to <see cref="I8x16Shuffle"/> for the shuffle immediate: lanes taken from b
    /// (index 16..31) get the top bit set. pshufb then reads a lane index with its top bit set as "zero", so
    /// <c>mask</c> selects exactly the lanes of a and <c>mask ^ 0x80</c> exactly the lanes of b (pshufb uses only the
    /// low four bits of an index); vpermt2b ignores the top bit and sees the original 0..31 index.
    /// </summary>
    public static byte ShuffleMaskLane(byte index) => (byte)(index < 16 ? index : index | 0x80);

    /// <summary>i8x16.shuffle; <paramref name="mask"/> is the immediate encoded by <see cref="ShuffleMaskLane"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Shuffle(V128 a, V128 b, V128 mask)
    {
        if (Avx512Vbmi.VL.IsSupported) return Avx512Vbmi.VL.PermuteVar16x8x2(a, mask, b);
        if (Ssse3.IsSupported) return ShuffleSsse3(a, b, mask);
        if (AdvSimd.Arm64.IsSupported)
        {
            // tbl yields 0 for an index of 16 or more, so each table contributes exactly its own lanes.
            var indices = mask & Vector128.Create((byte)0x1F);
            return AdvSimd.Arm64.VectorTableLookup(a, indices) | AdvSimd.Arm64.VectorTableLookup(b, indices - Vector128.Create((byte)16));
        }
        return SimdPortable.I8x16Shuffle(a, b, mask);
    }

    /// <summary>The SSSE3 form of <see cref="I8x16Shuffle"/>: one pshufb per source, each zeroing the other's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V128 ShuffleSsse3(V128 a, V128 b, V128 mask) =>
        Ssse3.Shuffle(a, mask) | Ssse3.Shuffle(b, mask ^ Vector128.Create((byte)0x80));

    /// <summary>i8x16.swizzle: lane i is a[s[i]], or 0 when s[i] is 16 or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 I8x16Swizzle(V128 a, V128 s)
    {
        // pshufb zeroes a lane only when the index's top bit is set and otherwise uses its low four bits; a
        // saturating add of 0x70 sets the top bit of every index >= 16 and leaves the low bits of 0..15 alone.
        if (Ssse3.IsSupported) return Ssse3.Shuffle(a, Vector128.AddSaturate(s, Vector128.Create((byte)0x70)));
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup(a, s);
        return SimdPortable.I8x16Swizzle(a, s);
    }
}
