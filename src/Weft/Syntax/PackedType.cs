namespace Weft.Syntax;

/// <summary>Whether a struct field or array element is packed, and how.</summary>
public enum PackedType : byte
{
    /// <summary>Not packed: the storage type is a value type.</summary>
    None,
    /// <summary>8-bit packed integer (binary 0x78).</summary>
    I8,
    /// <summary>16-bit packed integer (binary 0x77).</summary>
    I16,
}
