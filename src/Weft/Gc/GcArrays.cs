using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Gc;

/// <summary>
/// Array instructions called from compiled code (spec 4.4.3 "aggregate reference instructions") and array creation
/// for the host and constant expressions. Indices and lengths are wasm i32s read as unsigned; every bound is checked
/// before anything is written, with the spec's order of checks (null, then the array's bounds, then the segment's).
/// array.get/set/len are inlined by the compiler instead. The instruction helpers take a <c>meter</c>, the store when
/// its code meters bulk work (fuel by length, interrupt checks between pieces, the GC budget) and null otherwise.
/// </summary>
internal static class GcArrays
{
    /// <summary>An array of <paramref name="length"/> default elements of an array type.</summary>
    public static GcArray CreateDefault(DefinedType type, int length)
    {
        var storage = type.Element.Storage;
        return storage.Packed switch
        {
            PackedType.I8 => NewDefault<byte>((uint)length, type, null),
            PackedType.I16 => NewDefault<short>((uint)length, type, null),
            _ => storage.Type.Kind switch
            {
                ValKind.I32 => NewDefault<int>((uint)length, type, null),
                ValKind.I64 => NewDefault<long>((uint)length, type, null),
                ValKind.F32 => NewDefault<float>((uint)length, type, null),
                ValKind.F64 => NewDefault<double>((uint)length, type, null),
                ValKind.V128 => NewDefault<Vector128<byte>>((uint)length, type, null),
                _ => NewDefault<object>((uint)length, type, null),
            },
        };
    }

    /// <summary>array.new_default.</summary>
    public static GcArray<T> NewDefault<T>(uint length, DefinedType type, Store? meter)
    {
        if (meter is not null) MeterNew<T>(length, meter);
        return new(type, Allocate<T>(length));
    }

    /// <summary>array.new (unpacked elements).</summary>
    public static GcArray<T> New<T>(T value, uint length, DefinedType type, Store? meter)
    {
        if (meter is not null) MeterNew<T>(length, meter);
        var elements = Allocate<T>(length);
        BulkWork.Fill(elements.AsSpan(), value, meter);
        return new(type, elements);
    }

    /// <summary>array.new (i8 elements: the low byte of the i32).</summary>
    public static GcArray<byte> NewI8(int value, uint length, DefinedType type, Store? meter) => New((byte)value, length, type, meter);

    /// <summary>array.new (i16 elements: the low half of the i32).</summary>
    public static GcArray<short> NewI16(int value, uint length, DefinedType type, Store? meter) => New((short)value, length, type, meter);

    /// <summary>array.new_fixed: wraps elements the compiled code has stored (and charged: see FunctionCompiler.Gc).</summary>
    public static GcArray<T> Wrap<T>(T[] elements, DefinedType type) => new(type, elements);

    /// <summary>array.new_data: elements read little-endian from a data segment.</summary>
    public static GcArray<T> NewData<T>(uint offset, uint length, byte[] data, DefinedType type, Store? meter) where T : unmanaged
    {
        ulong bytes = (ulong)length * (ulong)Unsafe.SizeOf<T>();
        if (offset > (ulong)data.Length || bytes > (ulong)data.Length - offset) Traps.OutOfBoundsMemory();
        if (meter is not null) MeterNew<T>(length, meter);
        var elements = Allocate<T>(length);
        BulkWork.Copy(data.AsSpan((int)offset, (int)bytes), MemoryMarshal.AsBytes(elements.AsSpan()), meter);
        return new(type, elements);
    }

    /// <summary>array.new_elem: references from an element segment.</summary>
    public static GcArray<object> NewElem(uint offset, uint length, object?[] segment, DefinedType type, Store? meter)
    {
        if (offset > (ulong)segment.Length || length > (ulong)segment.Length - offset) Traps.OutOfBoundsTable();
        if (meter is not null) MeterNew<object>(length, meter);
        var elements = Allocate<object>(length);
        BulkWork.Copy(segment, offset, elements, 0, length, meter);
        return new(type, elements);
    }

    /// <summary>array.fill (unpacked elements).</summary>
    public static void Fill<T>(object? array, int offset, T value, int count, Store? meter)
    {
        var elements = ElementsOf<T>(array);
        CheckRange(elements.Length, offset, count);
        if (meter is not null) MeterWork<T>(count, meter);
        BulkWork.Fill(elements.AsSpan(offset, count), value, meter);
    }

    /// <summary>array.fill (i8 elements).</summary>
    public static void FillI8(object? array, int offset, int value, int count, Store? meter) => Fill(array, offset, (byte)value, count, meter);

    /// <summary>array.fill (i16 elements).</summary>
    public static void FillI16(object? array, int offset, int value, int count, Store? meter) => Fill(array, offset, (short)value, count, meter);

    /// <summary>array.copy: overlapping ranges behave as if copied through a temporary.</summary>
    public static void Copy<T>(object? destination, int destinationOffset, object? source, int sourceOffset, int count, Store? meter)
    {
        if (source is null || destination is null) Traps.NullArray();
        var to = ElementsOf<T>(destination);
        var from = ElementsOf<T>(source);
        CheckRange(from.Length, sourceOffset, count);
        CheckRange(to.Length, destinationOffset, count);
        if (meter is not null) MeterWork<T>(count, meter);
        BulkWork.Copy(from, (uint)sourceOffset, to, (uint)destinationOffset, (uint)count, meter);
    }

    /// <summary>array.init_data.</summary>
    public static void InitData<T>(object? array, int destination, uint offset, int count, byte[] data, Store? meter) where T : unmanaged
    {
        var elements = ElementsOf<T>(array);
        CheckRange(elements.Length, destination, count);
        ulong bytes = (ulong)(uint)count * (ulong)Unsafe.SizeOf<T>();
        if (offset > (ulong)data.Length || bytes > (ulong)data.Length - offset) Traps.OutOfBoundsMemory();
        if (meter is not null) MeterWork<T>(count, meter);
        BulkWork.Copy(data.AsSpan((int)offset, (int)bytes), MemoryMarshal.AsBytes(elements.AsSpan(destination, count)), meter);
    }

    /// <summary>array.init_elem.</summary>
    public static void InitElem(object? array, int destination, uint offset, int count, object?[] segment, Store? meter)
    {
        var elements = ElementsOf<object>(array);
        CheckRange(elements.Length, destination, count);
        if (offset > (ulong)segment.Length || (uint)count > (ulong)segment.Length - offset) Traps.OutOfBoundsTable();
        if (meter is not null) MeterWork<object>(count, meter);
        BulkWork.Copy(segment, offset, elements, (uint)destination, (uint)count, meter);
    }

    /// <summary>ref.i31 in a store with a GC budget: a value outside the shared cache allocates, and is charged.</summary>
    public static I31Ref CreateI31(int value, Store store)
    {
        if (!I31Ref.IsCached(value)) ExecutionChecks.ChargeGc(GcSizes.I31, store);
        return I31Ref.Create(value);
    }

    // A new array is charged before it is allocated: fuel by its length (the elements are written) and its size to
    // the GC budget, so a huge one traps without allocating anything.
    private static void MeterNew<T>(uint length, Store meter)
    {
        int size = BulkWork.ElementBytes<T>();
        ExecutionChecks.ChargeBulk(meter, (ulong)length * (ulong)size);
        ExecutionChecks.ChargeGcArray(meter, GcSizes.Array(size, length));
    }

    // count is a wasm i32 read as unsigned; the range check has already bounded it by the array's length.
    private static void MeterWork<T>(int count, Store meter) =>
        ExecutionChecks.ChargeBulk(meter, (ulong)(uint)count * (ulong)BulkWork.ElementBytes<T>());

    // The operand's static type says which element type it has; the cast is one compare of a sealed class.
    private static T[] ElementsOf<T>(object? array)
    {
        if (array is null) Traps.NullArray();
        return ((GcArray<T>)array).Elements;
    }

    private static void CheckRange(int length, int offset, int count)
    {
        if ((ulong)(uint)offset + (uint)count > (ulong)length) Traps.OutOfBoundsArray();
    }

    private static T[] Allocate<T>(uint length)
    {
        if (length > (uint)Array.MaxLength) TooLarge();
        try
        {
            return new T[length];
        }
        catch (OutOfMemoryException)
        {
            TooLarge();
            return null;
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TooLarge() => throw new TrapException(TrapKind.ArrayTooLarge);
}
