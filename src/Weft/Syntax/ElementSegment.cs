namespace Weft.Syntax;

/// <summary>An element segment: a vector of references given by constant expressions.</summary>
internal sealed class ElementSegment
{
    /// <summary>Creates an element segment.</summary>
    public ElementSegment(SegmentMode mode, uint tableIndex, ConstExpr? offset, ValType elementType, ConstExpr[] items)
    {
        Mode = mode;
        TableIndex = tableIndex;
        Offset = offset;
        ElementType = elementType;
        Items = items;
    }

    /// <summary>The segment mode.</summary>
    public SegmentMode Mode { get; }

    /// <summary>For an active segment, the table it initializes.</summary>
    public uint TableIndex { get; }

    /// <summary>For an active segment, the offset expression.</summary>
    public ConstExpr? Offset { get; }

    /// <summary>The reference type of the elements.</summary>
    public ValType ElementType { get; }

    /// <summary>The element expressions (a function index list in the binary becomes <c>ref.func</c> expressions).</summary>
    public IReadOnlyList<ConstExpr> Items { get; }
}
