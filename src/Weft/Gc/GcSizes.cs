using Weft.Syntax;
using Weft.Validation;

namespace Weft.Gc;

/// <summary>
/// The size a GC allocation is charged against a store's budget (<see cref="StoreLimits.MaxGcAllocatedBytes"/>):
/// an estimate of what .NET allocates on 64-bit, fixed by the wasm type alone so that the count is the same on every
/// machine and run.
/// </summary>
internal static class GcSizes
{
    /// <summary>
    /// A struct object: header and method table (16) and 8 more, once the <see cref="GcObject"/> type pointer; structs
    /// no longer store it (the class is the type), but the charge is kept so that existing budgets count as before.
    /// </summary>
    public const long StructOverhead = 24;

    /// <summary>
    /// An array: the <see cref="GcArray{T}"/> object (header 16, type 8, length 4, elements 8, rounded to 40) and the
    /// .NET array's header and length (24).
    /// </summary>
    public const long ArrayOverhead = 64;

    /// <summary>An <see cref="I31Ref"/> outside the shared cache.</summary>
    public const long I31 = 24;

    /// <summary>Bytes one field or element takes: packed i8 1, i16 2, numbers their size, v128 16, a reference 8.</summary>
    public static int Of(StorageType storage) => storage.Packed switch
    {
        PackedType.I8 => 1,
        PackedType.I16 => 2,
        _ => storage.Type.Kind switch
        {
            ValKind.I32 or ValKind.F32 => 4,
            ValKind.I64 or ValKind.F64 => 8,
            ValKind.V128 => 16,
            _ => 8,
        },
    };

    /// <summary>What a struct of a type is charged.</summary>
    public static long Struct(DefinedType type)
    {
        long bytes = StructOverhead;
        foreach (var field in type.Fields) bytes += Of(field.Storage);
        return RoundUp(bytes);
    }

    /// <summary>What an array of <paramref name="length"/> elements of a type is charged.</summary>
    public static ulong Array(DefinedType type, uint length) => Array(Of(type.Element.Storage), length);

    /// <summary>What an array of <paramref name="length"/> elements of <paramref name="elementBytes"/> each is charged.</summary>
    public static ulong Array(int elementBytes, uint length) => (ulong)RoundUp(ArrayOverhead + (long)elementBytes * length);

    private static long RoundUp(long bytes) => (bytes + 7) & ~7L;
}
