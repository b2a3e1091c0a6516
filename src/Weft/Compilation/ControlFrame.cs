using System.Reflection.Emit;

using Weft.Runtime;

namespace Weft.Compilation;

/// <summary>The kinds of structured control the compiler tracks.</summary>
internal enum FrameKind : byte
{
    Function,
    Block,
    Loop,
    If,
    Else,
    TryTable,
    Try,
    Catch,
}

/// <summary>One entry of the compiler's control stack: a wasm block and the IL labels that implement it.</summary>
internal sealed class ControlFrame
{
    public required FrameKind Kind;
    public required StackKind[] Params;
    public required StackKind[] Results;

    /// <summary>Where branches to a block (not a loop) go, and where its fall-through arrives.</summary>
    public Label End;

    /// <summary>For a loop: where branches go.</summary>
    public Label Head;

    /// <summary>For an if: where the false condition goes.</summary>
    public Label Else;

    /// <summary>The operand stack height below the block's parameters.</summary>
    public int Height;

    /// <summary>Whether the rest of the block is dead code (after br, return, unreachable, ...).</summary>
    public bool Unreachable;

    /// <summary>Whether some branch targets <see cref="End"/>.</summary>
    public bool Branched;

    /// <summary>How many try blocks have their body open around the frame (exceptions there go to the innermost's handlers).</summary>
    public int RegionDepth;

    /// <summary>
    /// How many IL protected regions enclose the frame's labels: <see cref="RegionDepth"/>, but always 0 in flat mode,
    /// where one region holds the whole body. A branch from another depth must <c>leave</c>.
    /// </summary>
    public int IlDepth;

    /// <summary>For try_table and legacy try: the protected region and its handler state.</summary>
    public TryRegion? Region;

    /// <summary>The value kinds a branch to this frame carries.</summary>
    public StackKind[] LabelKinds => Kind == FrameKind.Loop ? Params : Results;

    /// <summary>The IL label a branch to this frame jumps to.</summary>
    public Label BranchTarget => Kind == FrameKind.Loop ? Head : End;
}
