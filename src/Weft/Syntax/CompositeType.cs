namespace Weft.Syntax;

/// <summary>A composite type: a function, struct or array type.</summary>
internal abstract class CompositeType
{
    private protected CompositeType()
    {
    }

    /// <summary>Structural equality (type indices compared as written).</summary>
    public abstract bool StructurallyEquals(CompositeType other);
}

/// <summary>A function type <c>[params] -> [results]</c>.</summary>
internal sealed class FuncType : CompositeType, IEquatable<FuncType>
{
    /// <summary>Creates a function type.</summary>
    public FuncType(ValType[] parameters, ValType[] results)
    {
        Params = parameters;
        Results = results;
    }

    /// <summary>The parameter types.</summary>
    public IReadOnlyList<ValType> Params { get; }

    /// <summary>The result types.</summary>
    public IReadOnlyList<ValType> Results { get; }

    /// <inheritdoc/>
    public override bool StructurallyEquals(CompositeType other) => other is FuncType f && Equals(f);

    /// <inheritdoc/>
    public bool Equals(FuncType? other) =>
        other is not null && Params.SequenceEqual(other.Params) && Results.SequenceEqual(other.Results);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FuncType);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Params) hash.Add(p);
        hash.Add(-1);
        foreach (var r in Results) hash.Add(r);
        return hash.ToHashCode();
    }

    /// <summary>Text format.</summary>
    public override string ToString() =>
        $"(func{(Params.Count > 0 ? " (param " + string.Join(' ', Params) + ")" : "")}{(Results.Count > 0 ? " (result " + string.Join(' ', Results) + ")" : "")})";
}

/// <summary>A struct type: a sequence of fields.</summary>
internal sealed class StructType : CompositeType
{
    /// <summary>Creates a struct type.</summary>
    public StructType(FieldType[] fields) => Fields = fields;

    /// <summary>The fields.</summary>
    public IReadOnlyList<FieldType> Fields { get; }

    /// <inheritdoc/>
    public override bool StructurallyEquals(CompositeType other) =>
        other is StructType s && Fields.SequenceEqual(s.Fields);

    /// <summary>Text format.</summary>
    public override string ToString() =>
        Fields.Count == 0 ? "(struct)" : $"(struct {string.Join(' ', Fields.Select(f => $"(field {f})"))})";
}

/// <summary>An array type: one element field type.</summary>
internal sealed class ArrayType : CompositeType
{
    /// <summary>Creates an array type.</summary>
    public ArrayType(FieldType element) => Element = element;

    /// <summary>The element type.</summary>
    public FieldType Element { get; }

    /// <inheritdoc/>
    public override bool StructurallyEquals(CompositeType other) => other is ArrayType a && a.Element == Element;

    /// <summary>Text format.</summary>
    public override string ToString() => $"(array {Element})";
}
