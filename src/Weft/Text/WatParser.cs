using Weft.Syntax;

namespace Weft.Text;

/// <summary>Parses the text format into a <see cref="Module"/>.</summary>
internal sealed partial class WatParser
{
    /// <summary>Parses a standalone .wat module, written as <c>(module ...)</c> or as bare module fields.</summary>
    public static Module ParseModule(byte[] source)
    {
        var cursor = new TokenCursor(Lexer.Tokenize(source));
        if (cursor.AtForm("module"))
        {
            int close = cursor.MatchOf(cursor.Position);
            cursor.Next();
            cursor.Next();
            cursor.TryId();
            var module = ParseModuleFields(cursor, close);
            cursor.ExpectRParen();
            cursor.Expect(TokenKind.Eof);
            return module;
        }
        return ParseModuleFields(cursor, -1);
    }

    /// <summary>
    /// Parses module fields from the cursor up to the token index <paramref name="close"/> (the module's closing
    /// parenthesis, left unconsumed) or, when -1, up to the end of input.
    /// </summary>
    public static Module ParseModuleFields(TokenCursor cursor, int close)
    {
        cursor.Fail("text modules are not supported yet", cursor.Peek());
        return null;
    }

    /// <summary>The abstract heap type named by a keyword, if it is one.</summary>
    public static bool TryAbstractHeapType(string keyword, out HeapType heap)
    {
        switch (keyword)
        {
            case "func": heap = HeapType.Func; return true;
            case "nofunc": heap = HeapType.NoFunc; return true;
            case "extern": heap = HeapType.Extern; return true;
            case "noextern": heap = HeapType.NoExtern; return true;
            case "any": heap = HeapType.Any; return true;
            case "eq": heap = HeapType.Eq; return true;
            case "i31": heap = HeapType.I31; return true;
            case "struct": heap = HeapType.Struct; return true;
            case "array": heap = HeapType.Array; return true;
            case "none": heap = HeapType.None; return true;
            case "exn": heap = HeapType.Exn; return true;
            case "noexn": heap = HeapType.NoExn; return true;
            default: heap = default; return false;
        }
    }
}
