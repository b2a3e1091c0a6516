using Weft.Syntax;

namespace Weft;

/// <summary>A global's type: its value type (canonical) and mutability.</summary>
public sealed class WasmGlobalType : WasmExternType, IEquatable<WasmGlobalType>
{
    internal WasmGlobalType(GlobalType type, string? text = null)
        : base(text) => Syntax = type;

    internal GlobalType Syntax { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Global;

    /// <summary>The value type (canonical).</summary>
    public ValType ValueType => Syntax.ValueType;

    /// <summary>Whether the global may be set.</summary>
    public bool Mutable => Syntax.Mutable;

    /// <inheritdoc/>
    public bool Equals(WasmGlobalType? other) => other is not null && Syntax == other.Syntax;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WasmGlobalType);

    /// <inheritdoc/>
    public override int GetHashCode() => Syntax.GetHashCode();

    private protected override string Describe() => Mutable ? $"(global (mut {ValueType}))" : $"(global {ValueType})";
}
