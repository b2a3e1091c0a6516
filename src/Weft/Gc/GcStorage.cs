using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Gc;

/// <summary>
/// How a struct field or array element is stored in .NET: packed i8 as <c>byte</c>, i16 as <c>short</c>, numbers as
/// their CLR types, v128 as <c>Vector128&lt;byte&gt;</c>, every reference as <c>object</c>. These sizes equal the
/// spec's storage sizes, so data segments copy straight into numeric arrays.
/// </summary>
internal static class GcStorage
{
    /// <summary>The CLR type that holds a storage type.</summary>
    public static Type ClrType(StorageType storage) => storage.Packed switch
    {
        PackedType.I8 => typeof(byte),
        PackedType.I16 => typeof(short),
        _ => storage.Type.Kind switch
        {
            ValKind.I32 => typeof(int),
            ValKind.I64 => typeof(long),
            ValKind.F32 => typeof(float),
            ValKind.F64 => typeof(double),
            ValKind.V128 => typeof(Vector128<byte>),
            _ => typeof(object),
        },
    };

    /// <summary>The size in bytes of one element of a numeric storage type (spec: |st|).</summary>
    public static int ByteSize(StorageType storage) => storage.Packed switch
    {
        PackedType.I8 => 1,
        PackedType.I16 => 2,
        _ => storage.Type.ByteSize,
    };
}
