namespace Weft.Syntax;

/// <summary>A defined type with its declared supertypes and finality: <c>(sub final? x* comptype)</c>.</summary>
internal sealed class SubType
{
    /// <summary>Creates a sub type.</summary>
    public SubType(bool final, uint[] supertypes, CompositeType composite)
    {
        Final = final;
        Supertypes = supertypes;
        Composite = composite;
    }

    /// <summary>A final type with no supertypes, the abbreviation for a plain composite type.</summary>
    public static SubType Plain(CompositeType composite) => new(true, [], composite);

    /// <summary>Whether the type is final (may have no subtypes).</summary>
    public bool Final { get; }

    /// <summary>The declared supertype indices (at most one is valid).</summary>
    public IReadOnlyList<uint> Supertypes { get; }

    /// <summary>The composite type.</summary>
    public CompositeType Composite { get; }

    /// <summary>Whether this is a plain final type with no supertypes (encoded without a <c>sub</c> prefix).</summary>
    public bool IsPlain => Final && Supertypes.Count == 0;

    /// <summary>Text format.</summary>
    public override string ToString() =>
        IsPlain ? $"{Composite}" : $"(sub {(Final ? "final " : "")}{string.Join("", Supertypes.Select(s => s + " "))}{Composite})";
}
