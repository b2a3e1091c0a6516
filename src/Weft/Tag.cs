using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>An exception tag: its identity distinguishes exceptions; its type gives the payload's value types.</summary>
public sealed class Tag : Extern
{
    internal Tag(DefinedType type) => CanonicalType = type;

    internal DefinedType CanonicalType { get; }

    /// <summary>The payload's value types.</summary>
    public IReadOnlyList<ValType> Parameters => CanonicalType.Params.ToArray();

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Tag;
}
