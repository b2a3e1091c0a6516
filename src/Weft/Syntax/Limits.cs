namespace Weft.Syntax;

/// <summary>Size limits of a memory (in pages) or table (in elements), with the address type.</summary>
/// <param name="AddressType">i32 or i64.</param>
/// <param name="Min">The initial size.</param>
/// <param name="Max">The maximum size, if any.</param>
/// <param name="Shared">Whether the memory is shared (threads; parsed but not otherwise supported).</param>
public readonly record struct Limits(AddressType AddressType, ulong Min, ulong? Max, bool Shared = false)
{
    /// <summary>The address value type: i32 or i64.</summary>
    public ValType AddressValType => AddressType == AddressType.I64 ? ValType.I64 : ValType.I32;

    /// <summary>Text format, e.g. <c>i64 1 2</c>.</summary>
    public override string ToString() =>
        $"{(AddressType == AddressType.I64 ? "i64 " : "")}{Min}{(Max is { } m ? " " + m : "")}{(Shared ? " shared" : "")}";
}
