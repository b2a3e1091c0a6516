namespace Weft.Syntax;

/// <summary>The address type of a memory or table: 32-bit or 64-bit (memory64, table64).</summary>
public enum AddressType : byte
{
    /// <summary>i32 addresses.</summary>
    I32,
    /// <summary>i64 addresses.</summary>
    I64,
}
