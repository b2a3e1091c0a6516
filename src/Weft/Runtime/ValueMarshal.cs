using System.Reflection;
using System.Runtime.Intrinsics;

namespace Weft.Runtime;

/// <summary>Conversions between <see cref="WasmValue"/> and the CLR types compiled code uses, bit-exact for floats.</summary>
internal static class ValueMarshal
{
    public static int ToI32(WasmValue[] values, int i) => values[i].AsInt32();

    public static long ToI64(WasmValue[] values, int i) => values[i].AsInt64();

    public static float ToF32(WasmValue[] values, int i) =>
        values[i].Kind == Syntax.ValKind.F32 ? BitConverter.UInt32BitsToSingle((uint)values[i].Bits) : values[i].AsSingle();

    public static double ToF64(WasmValue[] values, int i) =>
        values[i].Kind == Syntax.ValKind.F64 ? BitConverter.UInt64BitsToDouble(values[i].Bits) : values[i].AsDouble();

    public static Vector128<byte> ToV128(WasmValue[] values, int i) => values[i].AsVector();

    public static object? ToRef(WasmValue[] values, int i) => values[i].AsReference();

    public static WasmValue FromI32(int value) => WasmValue.FromInt32(value);

    public static WasmValue FromI64(long value) => WasmValue.FromInt64(value);

    public static WasmValue FromF32(float value) => WasmValue.FromSingleBits(BitConverter.SingleToUInt32Bits(value));

    public static WasmValue FromF64(double value) => WasmValue.FromDoubleBits(BitConverter.DoubleToUInt64Bits(value));

    public static WasmValue FromV128(Vector128<byte> value) => WasmValue.FromVector(value);

    public static WasmValue FromRef(object? value) => WasmValue.FromReference(value);

    public static MethodInfo Reader(StackKind kind) => typeof(ValueMarshal).GetMethod(kind switch
    {
        StackKind.I32 => nameof(ToI32),
        StackKind.I64 => nameof(ToI64),
        StackKind.F32 => nameof(ToF32),
        StackKind.F64 => nameof(ToF64),
        StackKind.V128 => nameof(ToV128),
        _ => nameof(ToRef),
    })!;

    public static MethodInfo Writer(StackKind kind) => typeof(ValueMarshal).GetMethod(kind switch
    {
        StackKind.I32 => nameof(FromI32),
        StackKind.I64 => nameof(FromI64),
        StackKind.F32 => nameof(FromF32),
        StackKind.F64 => nameof(FromF64),
        StackKind.V128 => nameof(FromV128),
        _ => nameof(FromRef),
    })!;

    /// <summary>Whether a value fits a wasm type's kind (references are not checked further here).</summary>
    public static bool Fits(WasmValue value, Syntax.ValType type) => value.Kind == type.Kind;
}
