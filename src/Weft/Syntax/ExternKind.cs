namespace Weft.Syntax;

/// <summary>The kind of an import or export (binary codes 0..4).</summary>
public enum ExternKind : byte
{
    /// <summary>A function.</summary>
    Func = 0,
    /// <summary>A table.</summary>
    Table = 1,
    /// <summary>A memory.</summary>
    Memory = 2,
    /// <summary>A global.</summary>
    Global = 3,
    /// <summary>A tag.</summary>
    Tag = 4,
}
