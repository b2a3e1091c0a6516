namespace Weft.Syntax;

/// <summary>The type of an import: a function type use, table, memory, global or tag type.</summary>
public abstract record ExternType
{
    private protected ExternType()
    {
    }

    /// <summary>The kind of entity.</summary>
    public abstract ExternKind Kind { get; }
}

/// <summary>A function import's type: a type index naming a function type.</summary>
/// <param name="TypeIndex">The type index.</param>
public sealed record FuncImportType(uint TypeIndex) : ExternType
{
    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Func;
}

/// <summary>A table type: element reference type and limits.</summary>
/// <param name="ElementType">The element type (a reference type).</param>
/// <param name="Limits">The size limits in elements.</param>
public sealed record TableType(ValType ElementType, Limits Limits) : ExternType
{
    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Table;
}

/// <summary>A memory type: limits in 64 KiB pages.</summary>
/// <param name="Limits">The size limits in pages.</param>
public sealed record MemoryType(Limits Limits) : ExternType
{
    /// <summary>The size of a page in bytes.</summary>
    public const int PageSize = 65536;

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Memory;
}

/// <summary>A global type: value type and mutability.</summary>
/// <param name="ValueType">The value type.</param>
/// <param name="Mutable">Whether the global may be set.</param>
public sealed record GlobalType(ValType ValueType, bool Mutable) : ExternType
{
    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Global;
}

/// <summary>A tag type: a type index naming a function type whose parameters are the payload.</summary>
/// <param name="TypeIndex">The type index.</param>
public sealed record TagType(uint TypeIndex) : ExternType
{
    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Tag;
}
