using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V128 = System.Runtime.Intrinsics.Vector128<byte>;

namespace Weft.Runtime;

// Vector loads and stores (spec 4.4.7: v128.load*, v128.store*). The compiler has already checked that the whole access
// lies inside the memory and passes its address; wasm accesses need no alignment, so every access here is unaligned.
// For the lane forms the vector operand follows the address, and the lane is the immediate.
internal static unsafe partial class SimdOps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load(byte* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store(byte* p, V128 v) => v.Store(p);

    // ---- extending loads: 8 bytes widened to 8 x i16, 4 x i32 or 2 x i64

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load8x8S(byte* p) => Vector128.WidenLower(Load64(p).AsSByte()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load8x8U(byte* p) => Vector128.WidenLower(Load64(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load16x4S(byte* p) => Vector128.WidenLower(Load64(p).AsInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load16x4U(byte* p) => Vector128.WidenLower(Load64(p).AsUInt16()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load32x2S(byte* p) => Vector128.WidenLower(Load64(p).AsInt32()).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load32x2U(byte* p) => Vector128.WidenLower(Load64(p).AsUInt32()).AsByte();

    // ---- splat and zero-extending loads

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load8Splat(byte* p) => Vector128.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load16Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load32Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load64Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load32Zero(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load64Zero(byte* p) => Load64(p);

    // ---- lane loads and stores

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load8Lane(byte* p, V128 v, int lane) => v.WithElement(lane, *p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load16Lane(byte* p, V128 v, int lane) =>
        v.AsUInt16().WithElement(lane, Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load32Lane(byte* p, V128 v, int lane) =>
        v.AsUInt32().WithElement(lane, Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 V128Load64Lane(byte* p, V128 v, int lane) =>
        v.AsUInt64().WithElement(lane, Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store8Lane(byte* p, V128 v, int lane) => *p = v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store16Lane(byte* p, V128 v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt16().GetElement(lane));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store32Lane(byte* p, V128 v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt32().GetElement(lane));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void V128Store64Lane(byte* p, V128 v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt64().GetElement(lane));

    /// <summary>Eight bytes into the low half of a vector, the high half zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V128 Load64(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(p)).AsByte();
}
