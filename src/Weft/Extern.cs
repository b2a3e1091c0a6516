using Weft.Syntax;

namespace Weft;

/// <summary>An entity that can be imported or exported: a function, table, memory, global or tag.</summary>
public abstract class Extern
{
    private protected Extern()
    {
    }

    /// <summary>What kind of entity this is.</summary>
    public abstract ExternKind Kind { get; }
}
