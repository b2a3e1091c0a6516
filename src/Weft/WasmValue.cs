using System.Globalization;
using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft;

/// <summary>A wasm value of any type, for dynamic calls and host access to globals and tables.</summary>
public readonly struct WasmValue : IEquatable<WasmValue>
{
    private readonly ulong _bits;
    private readonly ulong _high;
    private readonly object? _ref;

    private WasmValue(ValKind kind, ulong bits, ulong high, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _high = high;
        _ref = reference;
    }

    /// <summary>The kind of value.</summary>
    public ValKind Kind { get; }

    /// <summary>An i32.</summary>
    public static WasmValue FromInt32(int value) => new(ValKind.I32, (uint)value, 0, null);

    /// <summary>An i64.</summary>
    public static WasmValue FromInt64(long value) => new(ValKind.I64, (ulong)value, 0, null);

    /// <summary>An f32.</summary>
    public static WasmValue FromSingle(float value) => new(ValKind.F32, BitConverter.SingleToUInt32Bits(value), 0, null);

    /// <summary>An f32 from its bits (keeps NaN payloads exactly).</summary>
    public static WasmValue FromSingleBits(uint bits) => new(ValKind.F32, bits, 0, null);

    /// <summary>An f64.</summary>
    public static WasmValue FromDouble(double value) => new(ValKind.F64, BitConverter.DoubleToUInt64Bits(value), 0, null);

    /// <summary>An f64 from its bits (keeps NaN payloads exactly).</summary>
    public static WasmValue FromDoubleBits(ulong bits) => new(ValKind.F64, bits, 0, null);

    /// <summary>A v128.</summary>
    public static WasmValue FromVector(Vector128<byte> value) =>
        new(ValKind.V128, value.AsUInt64().GetElement(0), value.AsUInt64().GetElement(1), null);

    /// <summary>A reference (null, a <see cref="Function"/>, a GC object, or any host object as externref).</summary>
    public static WasmValue FromReference(object? value) => new(ValKind.Ref, 0, 0, value);

    /// <summary>Implicit i32.</summary>
    public static implicit operator WasmValue(int value) => FromInt32(value);

    /// <summary>Implicit i64.</summary>
    public static implicit operator WasmValue(long value) => FromInt64(value);

    /// <summary>Implicit f32.</summary>
    public static implicit operator WasmValue(float value) => FromSingle(value);

    /// <summary>Implicit f64.</summary>
    public static implicit operator WasmValue(double value) => FromDouble(value);

    /// <summary>The i32 value.</summary>
    public int AsInt32() => Kind == ValKind.I32 ? (int)_bits : throw Mismatch(ValKind.I32);

    /// <summary>The i64 value.</summary>
    public long AsInt64() => Kind == ValKind.I64 ? (long)_bits : throw Mismatch(ValKind.I64);

    /// <summary>The f32 value.</summary>
    public float AsSingle() => Kind == ValKind.F32 ? BitConverter.UInt32BitsToSingle((uint)_bits) : throw Mismatch(ValKind.F32);

    /// <summary>The f64 value.</summary>
    public double AsDouble() => Kind == ValKind.F64 ? BitConverter.UInt64BitsToDouble(_bits) : throw Mismatch(ValKind.F64);

    /// <summary>The v128 value.</summary>
    public Vector128<byte> AsVector() => Kind == ValKind.V128 ? Vector128.Create(_bits, _high).AsByte() : throw Mismatch(ValKind.V128);

    /// <summary>The reference value.</summary>
    public object? AsReference() => Kind == ValKind.Ref ? _ref : throw Mismatch(ValKind.Ref);

    /// <summary>The raw bits of a number (i32 zero-extended, floats as their bit patterns), the low half of a v128.</summary>
    public ulong Bits => _bits;

    /// <summary>The high 64 bits of a v128.</summary>
    public ulong HighBits => _high;

    private InvalidCastException Mismatch(ValKind wanted) =>
        new($"the value is {Kind.ToString().ToLowerInvariant()}, not {wanted.ToString().ToLowerInvariant()}");

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ValKind.I32 => ((int)_bits).ToString(CultureInfo.InvariantCulture) + ":i32",
        ValKind.I64 => ((long)_bits).ToString(CultureInfo.InvariantCulture) + ":i64",
        ValKind.F32 => AsSingle().ToString("R", CultureInfo.InvariantCulture) + ":f32",
        ValKind.F64 => AsDouble().ToString("R", CultureInfo.InvariantCulture) + ":f64",
        ValKind.V128 => $"0x{_high:x16}{_bits:x16}:v128",
        _ => _ref is null ? "null" : _ref.ToString() ?? "ref",
    };

    /// <inheritdoc/>
    public bool Equals(WasmValue other) =>
        Kind == other.Kind && _bits == other._bits && _high == other._high && ReferenceEquals(_ref, other._ref);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WasmValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _high, _ref);

    /// <summary>Equality (bitwise for numbers, reference identity for references).</summary>
    public static bool operator ==(WasmValue left, WasmValue right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(WasmValue left, WasmValue right) => !left.Equals(right);
}
