namespace Weft.Syntax;

/// <summary>
/// An expression kept in its binary encoding, including the final <c>end</c>. Used for constant expressions
/// (global initializers, segment offsets and items, table initializers). Decode it with an instruction reader.
/// </summary>
internal sealed class ConstExpr
{
    /// <summary>Creates an expression from its encoded instructions (which must end with <c>end</c>).</summary>
    /// <param name="code">The encoded instructions.</param>
    /// <param name="offset">The byte offset of the expression within its module's binary, or -1 if unknown.</param>
    public ConstExpr(ReadOnlyMemory<byte> code, int offset = -1)
    {
        Code = code;
        Offset = offset;
    }

    /// <summary>The encoded instructions including the final <c>end</c>.</summary>
    public ReadOnlyMemory<byte> Code { get; }

    /// <summary>The byte offset in the module binary (for error messages), or -1.</summary>
    public int Offset { get; }
}
