namespace Weft.Syntax;

/// <summary>A function body: local declarations and the encoded instructions.</summary>
internal sealed class FunctionBody
{
    /// <summary>Creates a function body.</summary>
    /// <param name="locals">The local declarations (runs of one type).</param>
    /// <param name="code">The encoded instructions, including the final <c>end</c>.</param>
    /// <param name="offset">The byte offset of <paramref name="code"/> within the module binary, or -1.</param>
    public FunctionBody(LocalDecl[] locals, ReadOnlyMemory<byte> code, int offset = -1)
    {
        LocalDecls = locals;
        Code = code;
        Offset = offset;
    }

    /// <summary>The local declarations.</summary>
    public IReadOnlyList<LocalDecl> Locals => LocalDecls;

    /// <summary>The local declarations as an array (read-only by convention; several bodies may share one).</summary>
    internal LocalDecl[] LocalDecls { get; }

    /// <summary>The encoded instructions including the final <c>end</c>.</summary>
    public ReadOnlyMemory<byte> Code { get; }

    /// <summary>The byte offset of the code within the module binary (for error messages), or -1.</summary>
    public int Offset { get; }

    /// <summary>
    /// The size in bytes of the local declarations as they were encoded in the module binary, or -1 when the body was
    /// not decoded. Code metadata (branch hints) measures instruction offsets from the start of the declarations, so it
    /// needs their size as read, which may differ from the canonical size if an encoder padded its LEB128s.
    /// </summary>
    internal int LocalsSize { get; init; } = -1;
}
