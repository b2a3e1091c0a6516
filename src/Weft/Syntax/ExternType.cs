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
internal sealed record FuncImportType(uint TypeIndex) : ExternType
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

/// <summary>A memory type: limits in pages of <see cref="PageSize"/> bytes (64 KiB unless custom-page-sizes says 1).</summary>
/// <param name="Limits">The size limits in pages.</param>
/// <param name="PageSizeLog2">
/// The base-2 logarithm of the page size (custom-page-sizes proposal): 16 for the default 64 KiB page, 0 for 1-byte
/// pages. The validator accepts only those two.
/// </param>
public sealed record MemoryType(Limits Limits, int PageSizeLog2) : ExternType
{
    /// <summary>A memory type with the default 64 KiB page.</summary>
    /// <param name="Limits">The size limits in pages.</param>
    public MemoryType(Limits Limits) : this(Limits, DefaultPageSizeLog2)
    {
    }

    /// <summary>The size of a default wasm page in bytes.</summary>
    public const int DefaultPageSize = 65536;

    /// <summary>The base-2 logarithm of <see cref="DefaultPageSize"/>.</summary>
    public const int DefaultPageSizeLog2 = 16;

    /// <summary>The size of this memory's page in bytes.</summary>
    public ulong PageSize => 1UL << PageSizeLog2;

    /// <summary>Whether the page size is not the default (the text and binary formats then spell it out).</summary>
    public bool HasCustomPageSize => PageSizeLog2 != DefaultPageSizeLog2;

    /// <summary>Text format of limits and page size, e.g. <c>0 10 (pagesize 1)</c>.</summary>
    internal string ToText() => HasCustomPageSize ? $"{Limits} (pagesize {PageSize})" : Limits.ToString();

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
internal sealed record TagType(uint TypeIndex) : ExternType
{
    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Tag;
}
