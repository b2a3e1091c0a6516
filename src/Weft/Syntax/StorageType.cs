namespace Weft.Syntax;

/// <summary>The storage type of a struct field or array element: a value type or a packed type.</summary>
public readonly struct StorageType : IEquatable<StorageType>
{
    private StorageType(ValType type, PackedType packed)
    {
        Type = type;
        Packed = packed;
    }

    /// <summary>The value type (i32 for packed types: what the field reads as when unpacked).</summary>
    public ValType Type { get; }

    /// <summary>The packed type, or <see cref="PackedType.None"/>.</summary>
    public PackedType Packed { get; }

    /// <summary>Whether the storage type is packed.</summary>
    public bool IsPacked => Packed != PackedType.None;

    /// <summary>A value storage type.</summary>
    public static StorageType Of(ValType type) => new(type, PackedType.None);

    /// <summary>i8.</summary>
    public static StorageType I8 => new(ValType.I32, PackedType.I8);

    /// <summary>i16.</summary>
    public static StorageType I16 => new(ValType.I32, PackedType.I16);

    /// <summary>The type of a value read from this storage (packed types unpack to i32).</summary>
    public ValType Unpacked => Type;

    /// <summary>Text format.</summary>
    public override string ToString() => Packed switch
    {
        PackedType.I8 => "i8",
        PackedType.I16 => "i16",
        _ => Type.ToString(),
    };

    /// <inheritdoc/>
    public bool Equals(StorageType other) => Packed == other.Packed && Type == other.Type;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StorageType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Packed);

    /// <summary>Equality.</summary>
    public static bool operator ==(StorageType left, StorageType right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(StorageType left, StorageType right) => !left.Equals(right);
}
