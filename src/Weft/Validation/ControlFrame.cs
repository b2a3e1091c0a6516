namespace Weft.Validation;

/// <summary>What opened a control frame.</summary>
internal enum FrameKind : byte
{
    /// <summary>The implicit block of a function body or constant expression; its label is the return.</summary>
    Function,
    /// <summary><c>block</c>.</summary>
    Block,
    /// <summary><c>loop</c>: its label is its start, so branches carry the parameters.</summary>
    Loop,
    /// <summary><c>if</c> before any <c>else</c>.</summary>
    If,
    /// <summary>The <c>else</c> arm of an <c>if</c>.</summary>
    Else,
    /// <summary><c>try_table</c>.</summary>
    TryTable,
    /// <summary>Legacy <c>try</c> before any handler.</summary>
    Try,
    /// <summary>Legacy <c>catch</c> handler (a <c>rethrow</c> target).</summary>
    Catch,
    /// <summary>Legacy <c>catch_all</c> handler (a <c>rethrow</c> target).</summary>
    CatchAll,
}

/// <summary>
/// A control frame of the validation algorithm (spec appendix A.3, "ctrl_frame"): what opened it, where its start
/// and end types are, the operand stack height at its entry, and whether the rest of it is unreachable.
/// Read its types through <see cref="FunctionValidator.StartTypes"/>, <see cref="FunctionValidator.EndTypes"/> and
/// <see cref="FunctionValidator.LabelTypes"/>.
/// </summary>
internal struct ControlFrame
{
    /// <summary>The instruction that opened the frame.</summary>
    public FrameKind Kind { readonly get; internal set; }

    /// <summary>The operand stack height at entry (below the frame's parameters).</summary>
    public int Height { readonly get; internal set; }

    /// <summary>The height of the local-initialization stack at entry; reset to it at the end of the frame.</summary>
    public int InitHeight { readonly get; internal set; }

    /// <summary>Whether the rest of the frame is unreachable (after br, return, throw, unreachable, ...).</summary>
    public bool Unreachable { readonly get; internal set; }

    /// <summary>The position, within the code, of the instruction that opened the frame.</summary>
    public int Position { readonly get; internal set; }

    internal int StartOffset { readonly get; set; }

    internal int StartCount { readonly get; set; }

    internal int EndOffset { readonly get; set; }

    internal int EndCount { readonly get; set; }

    /// <summary>The height of the type pool before the frame was pushed.</summary>
    internal int PoolMark { readonly get; set; }

    /// <summary>Whether branches to this frame's label carry its start types (only loops do).</summary>
    public readonly bool LabelIsStart => Kind == FrameKind.Loop;
}
