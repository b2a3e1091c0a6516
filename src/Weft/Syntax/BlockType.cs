namespace Weft.Syntax;

/// <summary>The type of a block, loop, if or try: empty, a single result type, or a type index.</summary>
internal readonly struct BlockType : IEquatable<BlockType>
{
    private BlockType(BlockTypeKind kind, ValType type, uint index)
    {
        Kind = kind;
        Type = type;
        TypeIndex = index;
    }

    /// <summary>The kind of block type.</summary>
    public BlockTypeKind Kind { get; }

    /// <summary>The single result type, when <see cref="Kind"/> is <see cref="BlockTypeKind.Value"/>.</summary>
    public ValType Type { get; }

    /// <summary>The type index, when <see cref="Kind"/> is <see cref="BlockTypeKind.TypeIndex"/>.</summary>
    public uint TypeIndex { get; }

    /// <summary>[] -> [].</summary>
    public static BlockType Empty => default;

    /// <summary>[] -> [t].</summary>
    public static BlockType Of(ValType type) => new(BlockTypeKind.Value, type, 0);

    /// <summary>The function type at a type index.</summary>
    public static BlockType OfTypeIndex(uint index) => new(BlockTypeKind.TypeIndex, default, index);

    /// <inheritdoc/>
    public bool Equals(BlockType other) => Kind == other.Kind && Type == other.Type && TypeIndex == other.TypeIndex;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BlockType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Type, TypeIndex);

    /// <summary>Equality.</summary>
    public static bool operator ==(BlockType left, BlockType right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(BlockType left, BlockType right) => !left.Equals(right);
}

/// <summary>The kinds of block type.</summary>
internal enum BlockTypeKind : byte
{
    /// <summary>No parameters, no results.</summary>
    Empty,
    /// <summary>No parameters, one result.</summary>
    Value,
    /// <summary>A function type given by index.</summary>
    TypeIndex,
}
