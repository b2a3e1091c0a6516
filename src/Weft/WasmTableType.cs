using Weft.Syntax;

namespace Weft;

/// <summary>A table's type: its element type (canonical) and limits in elements.</summary>
public sealed class WasmTableType : WasmExternType, IEquatable<WasmTableType>
{
    internal WasmTableType(TableType type, string? text = null)
        : base(text) => Syntax = type;

    internal TableType Syntax { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Table;

    /// <summary>The element type (a reference type, canonical).</summary>
    public ValType ElementType => Syntax.ElementType;

    /// <summary>The limits in elements, with the address type (i32 or i64).</summary>
    public Limits Limits => Syntax.Limits;

    /// <inheritdoc/>
    public bool Equals(WasmTableType? other) => other is not null && Syntax == other.Syntax;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WasmTableType);

    /// <inheritdoc/>
    public override int GetHashCode() => Syntax.GetHashCode();

    private protected override string Describe() => $"(table {Limits} {ElementType})";
}
