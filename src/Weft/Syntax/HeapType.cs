namespace Weft.Syntax;

/// <summary>A heap type: an abstract heap type or a type index (relative to the module that holds it).</summary>
public readonly struct HeapType : IEquatable<HeapType>
{
    private HeapType(HeapKind kind, uint index)
    {
        Kind = kind;
        Index = index;
    }

    /// <summary>The kind: <see cref="HeapKind.Concrete"/> or an abstract heap type.</summary>
    public HeapKind Kind { get; }

    /// <summary>The type index of a concrete heap type; 0 otherwise.</summary>
    public uint Index { get; }

    /// <summary>Whether this is a concrete heap type (a type index).</summary>
    public bool IsConcrete => Kind == HeapKind.Concrete;

    /// <summary>A concrete heap type.</summary>
    public static HeapType Concrete(uint typeIndex) => new(HeapKind.Concrete, typeIndex);

    /// <summary>An abstract heap type.</summary>
    public static HeapType Abstract(HeapKind kind) =>
        kind == HeapKind.Concrete ? throw new ArgumentException("not an abstract heap type", nameof(kind)) : new(kind, 0);

    /// <summary><c>func</c>.</summary>
    public static HeapType Func => new(HeapKind.Func, 0);
    /// <summary><c>nofunc</c>.</summary>
    public static HeapType NoFunc => new(HeapKind.NoFunc, 0);
    /// <summary><c>extern</c>.</summary>
    public static HeapType Extern => new(HeapKind.Extern, 0);
    /// <summary><c>noextern</c>.</summary>
    public static HeapType NoExtern => new(HeapKind.NoExtern, 0);
    /// <summary><c>any</c>.</summary>
    public static HeapType Any => new(HeapKind.Any, 0);
    /// <summary><c>eq</c>.</summary>
    public static HeapType Eq => new(HeapKind.Eq, 0);
    /// <summary><c>i31</c>.</summary>
    public static HeapType I31 => new(HeapKind.I31, 0);
    /// <summary><c>struct</c>.</summary>
    public static HeapType Struct => new(HeapKind.Struct, 0);
    /// <summary><c>array</c>.</summary>
    public static HeapType Array => new(HeapKind.Array, 0);
    /// <summary><c>none</c>.</summary>
    public static HeapType None => new(HeapKind.None, 0);
    /// <summary><c>exn</c>.</summary>
    public static HeapType Exn => new(HeapKind.Exn, 0);
    /// <summary><c>noexn</c>.</summary>
    public static HeapType NoExn => new(HeapKind.NoExn, 0);
    /// <summary>The validator's bottom heap type.</summary>
    public static HeapType Bottom => new(HeapKind.Bottom, 0);

    /// <summary>The binary encoding byte of an abstract heap type (as it appears in a value type), or -1.</summary>
    public int AbstractCode => Kind switch
    {
        HeapKind.NoExn => 0x74,
        HeapKind.NoFunc => 0x73,
        HeapKind.NoExtern => 0x72,
        HeapKind.None => 0x71,
        HeapKind.Func => 0x70,
        HeapKind.Extern => 0x6F,
        HeapKind.Any => 0x6E,
        HeapKind.Eq => 0x6D,
        HeapKind.I31 => 0x6C,
        HeapKind.Struct => 0x6B,
        HeapKind.Array => 0x6A,
        HeapKind.Exn => 0x69,
        _ => -1,
    };

    /// <summary>The abstract heap type of a binary encoding byte, or null if the byte encodes none.</summary>
    public static HeapType? FromAbstractCode(int code) => code switch
    {
        0x74 => NoExn,
        0x73 => NoFunc,
        0x72 => NoExtern,
        0x71 => None,
        0x70 => Func,
        0x6F => Extern,
        0x6E => Any,
        0x6D => Eq,
        0x6C => I31,
        0x6B => Struct,
        0x6A => Array,
        0x69 => Exn,
        _ => null,
    };

    /// <summary>The text-format keyword of an abstract heap type, or the index of a concrete one.</summary>
    public override string ToString() => Kind switch
    {
        HeapKind.Concrete => Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        HeapKind.Func => "func",
        HeapKind.NoFunc => "nofunc",
        HeapKind.Extern => "extern",
        HeapKind.NoExtern => "noextern",
        HeapKind.Any => "any",
        HeapKind.Eq => "eq",
        HeapKind.I31 => "i31",
        HeapKind.Struct => "struct",
        HeapKind.Array => "array",
        HeapKind.None => "none",
        HeapKind.Exn => "exn",
        HeapKind.NoExn => "noexn",
        _ => "bot",
    };

    /// <inheritdoc/>
    public bool Equals(HeapType other) => Kind == other.Kind && Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HeapType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ((int)Kind << 24) ^ (int)Index;

    /// <summary>Equality.</summary>
    public static bool operator ==(HeapType left, HeapType right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(HeapType left, HeapType right) => !left.Equals(right);
}
