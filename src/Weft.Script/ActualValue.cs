namespace Weft.Script;

/// <summary>The kinds of values an action can produce.</summary>
internal enum ActualKind
{
    /// <summary>An i32 in the low 32 bits of <see cref="ActualValue.Bits"/>.</summary>
    I32,
    /// <summary>An i64.</summary>
    I64,
    /// <summary>An f32's bits in the low 32 bits.</summary>
    F32,
    /// <summary>An f64's bits.</summary>
    F64,
    /// <summary>A v128: low 64 bits in <see cref="ActualValue.Bits"/>, high in <see cref="ActualValue.Bits2"/>.</summary>
    V128,
    /// <summary>A reference; <see cref="ActualValue.Ref"/> says which kind.</summary>
    Ref,
}

/// <summary>What a reference value is, as far as the script's result patterns can tell.</summary>
internal enum RefCategory
{
    /// <summary>A null reference of any type.</summary>
    Null,
    /// <summary>A function reference.</summary>
    Func,
    /// <summary>A host value in the internal (any) hierarchy: <c>(ref.host N)</c>.</summary>
    Host,
    /// <summary>An external reference: <c>(ref.extern N)</c> when it wraps host value N, else an externalized internal reference.</summary>
    Extern,
    /// <summary>An i31 reference.</summary>
    I31,
    /// <summary>A structure.</summary>
    Struct,
    /// <summary>An array.</summary>
    Array,
    /// <summary>An exception reference.</summary>
    Exn,
}

/// <summary>
/// A value produced by executing an action, in the plain form the result patterns are checked against
/// (numbers as bits, so NaN payloads and the sign of zero survive).
/// </summary>
internal readonly record struct ActualValue(ActualKind Kind, ulong Bits, ulong Bits2 = 0, RefCategory Ref = RefCategory.Null, uint? HostIndex = null)
{
    /// <summary>An i32.</summary>
    public static ActualValue I32(int value) => new(ActualKind.I32, (uint)value);

    /// <summary>An i64.</summary>
    public static ActualValue I64(long value) => new(ActualKind.I64, (ulong)value);

    /// <summary>An f32 given by its bits.</summary>
    public static ActualValue F32Bits(uint bits) => new(ActualKind.F32, bits);

    /// <summary>An f32.</summary>
    public static ActualValue F32(float value) => F32Bits(BitConverter.SingleToUInt32Bits(value));

    /// <summary>An f64 given by its bits.</summary>
    public static ActualValue F64Bits(ulong bits) => new(ActualKind.F64, bits);

    /// <summary>An f64.</summary>
    public static ActualValue F64(double value) => F64Bits(BitConverter.DoubleToUInt64Bits(value));

    /// <summary>A v128 given by its low and high 64 bits (lane 0 is the lowest).</summary>
    public static ActualValue V128(ulong low, ulong high) => new(ActualKind.V128, low, high);

    /// <summary>A null reference.</summary>
    public static ActualValue Null => new(ActualKind.Ref, 0, 0, RefCategory.Null);

    /// <summary>A non-null reference of a category (for host and extern values use <see cref="Host"/>/<see cref="Extern"/>).</summary>
    public static ActualValue Reference(RefCategory category) => new(ActualKind.Ref, 0, 0, category);

    /// <summary>Host value N in the internal hierarchy.</summary>
    public static ActualValue Host(uint index) => new(ActualKind.Ref, 0, 0, RefCategory.Host, index);

    /// <summary>An external reference wrapping host value N, or (null index) an externalized internal reference.</summary>
    public static ActualValue Extern(uint? index) => new(ActualKind.Ref, 0, 0, RefCategory.Extern, index);
}
