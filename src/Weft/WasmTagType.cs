using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>A tag's type: the function type whose parameters are the exception's payload.</summary>
public sealed class WasmTagType : WasmExternType, IEquatable<WasmTagType>
{
    internal WasmTagType(DefinedType type, string? text = null)
        : base(text) => Type = new WasmFunctionType(type);

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Tag;

    /// <summary>The tag's function type (no results).</summary>
    public WasmFunctionType Type { get; }

    /// <summary>The payload types (canonical).</summary>
    public IReadOnlyList<ValType> Parameters => Type.Parameters;

    /// <inheritdoc/>
    public bool Equals(WasmTagType? other) => other is not null && Type.Equals(other.Type);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WasmTagType);

    /// <inheritdoc/>
    public override int GetHashCode() => Type.GetHashCode();

    private protected override string Describe() => $"(tag {Type})";
}
