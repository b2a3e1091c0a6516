namespace Weft.Syntax;

/// <summary>The mode of an element or data segment.</summary>
internal enum SegmentMode : byte
{
    /// <summary>Copied into a table or memory at instantiation.</summary>
    Active,
    /// <summary>Available to table.init / memory.init / array.new_* at run time.</summary>
    Passive,
    /// <summary>Only declares function references (element segments only).</summary>
    Declarative,
}
