namespace Weft.Syntax;

/// <summary>A recursion group: types that may refer to each other. A lone type is a group of one.</summary>
internal sealed class RecGroup
{
    /// <summary>Creates a recursion group.</summary>
    /// <param name="types">The member types.</param>
    /// <param name="explicitRec">Whether the group was written with <c>rec</c> (affects only the encoding).</param>
    public RecGroup(SubType[] types, bool explicitRec)
    {
        Types = types;
        ExplicitRec = explicitRec;
    }

    /// <summary>The member types, in order.</summary>
    public IReadOnlyList<SubType> Types { get; }

    /// <summary>Whether the group was written with <c>rec</c>; a group of one without it is encoded bare.</summary>
    public bool ExplicitRec { get; }
}
