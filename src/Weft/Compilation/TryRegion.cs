using System.Reflection.Emit;
using Weft.Syntax;

using Weft.Runtime;

namespace Weft.Compilation;

/// <summary>
/// The IL protected region of a try_table or legacy try, and what its handler needs. IL enters a region with an
/// empty evaluation stack, so the stack at entry (the values below the block and its parameters) is kept in
/// <see cref="Saved"/> for the whole block; code after the region reloads what it needs from there.
/// </summary>
internal sealed class TryRegion
{
    /// <summary>The IL stack at entry, deepest first (the block's parameters last); locals of their own, each set once.</summary>
    public required LocalBuilder[] Saved;

    /// <summary>The kinds of <see cref="Saved"/>.</summary>
    public required StackKind[] SavedKinds;

    /// <summary>The exception being handled: set by the catch block, or by code of this function that raises it directly.</summary>
    public required LocalBuilder Exception;

    /// <summary>Where the catch block leaves to with the exception (outside the region, IL stack empty).</summary>
    public required Label Dispatch;

    /// <summary>
    /// Just after <see cref="Dispatch"/>'s restoring of locals: where exceptions raised in this function arrive
    /// (by ordinary control flow, so locals are current).
    /// </summary>
    public required Label Caught;

    /// <summary>Flat mode: the value of the state local that sends a caught exception to this region's dispatch.</summary>
    public int Id;

    /// <summary>The try_table's catch clauses (empty for a legacy try).</summary>
    public CatchClause[] Clauses = [];

    /// <summary>Whether the IL region is still open (a legacy try closes it at its first catch or delegate).</summary>
    public bool Open = true;

    /// <summary>Landing pads for branches that leave the region to a label outside it, emitted after the region.</summary>
    public List<BranchPad> Pads { get; } = [];

    /// <summary>Legacy try: the catch arms in order (tag index, or null for catch_all) and where each starts.</summary>
    public List<(uint? Tag, Label Start)> Arms { get; } = [];

    /// <summary>Legacy try: where the tag tests that choose an arm are emitted (after the last arm).</summary>
    public Label Tests;
}

/// <summary>
/// A landing pad: <c>leave</c> empties the IL stack, so a branch out of a region stores the values it carries in
/// <see cref="Carried"/> and leaves to <see cref="Label"/>, where the values below the target are reloaded from
/// the region's saved stack and the branch completes.
/// </summary>
internal sealed class BranchPad
{
    public required ControlFrame Target;
    public required LocalBuilder[] Carried;
    public required Label Label;
}
