namespace Weft.Text;

/// <summary>The lexical classes of the text format (spec 6.3).</summary>
internal enum TokenKind : byte
{
    /// <summary><c>(</c></summary>
    LParen,
    /// <summary><c>)</c></summary>
    RParen,
    /// <summary>A keyword: starts with a lowercase letter (includes <c>offset=4</c>, <c>nan:canonical</c>, mnemonics).</summary>
    Keyword,
    /// <summary>An identifier <c>$name</c> or <c>$"name"</c>; its text includes the <c>$</c>.</summary>
    Id,
    /// <summary>An unsigned integer literal (decimal or hex, with optional underscores).</summary>
    Nat,
    /// <summary>A signed integer literal.</summary>
    Int,
    /// <summary>A float literal (incl. inf, nan, nan:0x...).</summary>
    Float,
    /// <summary>A string literal; decode it with <see cref="Lexer.StringBytes"/>.</summary>
    String,
    /// <summary>Any other run of identifier characters and strings; the parser reports it as unknown.</summary>
    Reserved,
    /// <summary>End of input.</summary>
    Eof,
}

/// <summary>A token: its class and where its text lies in the source bytes.</summary>
/// <param name="Kind">The lexical class.</param>
/// <param name="Start">The byte offset of the first character.</param>
/// <param name="Length">The length in bytes.</param>
internal readonly record struct Token(TokenKind Kind, int Start, int Length)
{
    /// <summary>The byte offset just after the token.</summary>
    public int End => Start + Length;
}

/// <summary>An annotation <c>(@name ...)</c>, kept apart from the token stream that the parser reads.</summary>
/// <param name="Name">The annotation id (decoded).</param>
/// <param name="TokenIndex">The index in the main token stream of the token that follows the annotation.</param>
/// <param name="Start">The byte offset of the opening <c>(@</c>.</param>
/// <param name="Body">The tokens inside the annotation, nested parentheses included, without the closing one.</param>
internal sealed record Annotation(string Name, int TokenIndex, int Start, Token[] Body);
