using System.Collections.Frozen;
using Weft.Syntax;

namespace Weft.Text;

/// <summary>
/// The keywords the text format (with the script extensions) knows. The reference lexer rejects any other keyword
/// as "unknown operator", whatever its position, so the parsers check every keyword they look at against this set.
/// </summary>
internal static class Keywords
{
    private static readonly FrozenSet<string> s_known = Build();

    private static FrozenSet<string> Build()
    {
        var set = new HashSet<string>(StringComparer.Ordinal)
        {
            // types
            "i8", "i16", "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2",
            "any", "anyref", "none", "nullref", "eq", "eqref", "i31", "i31ref", "struct", "structref", "array", "arrayref",
            "func", "funcref", "nofunc", "nullfuncref", "exn", "exnref", "noexn", "nullexnref", "extern", "externref",
            "noextern", "nullexternref", "ref", "null", "field", "mut", "sub", "final", "rec",
            // module structure
            "type", "tag", "global", "memory", "table", "param", "result", "local", "data", "elem", "declare", "offset",
            "item", "start", "import", "export", "module", "then", "catch_ref", "catch_all_ref", "do",
            // scripts
            "binary", "quote", "definition", "instance", "script", "register", "invoke", "get", "assert_malformed",
            "assert_invalid", "assert_malformed_custom", "assert_invalid_custom", "assert_unlinkable", "assert_return",
            "assert_trap", "assert_exception", "assert_exhaustion", "nan:canonical", "nan:arithmetic", "either", "input",
            "output", "ref.struct", "ref.array", "ref.exn", "ref.extern", "ref.host", "ref.any",
            // threads proposal
            "shared", "thread", "wait",
            // custom-page-sizes proposal
            "pagesize",
        };
        foreach (var info in OpcodeTable.All) set.Add(info.Name);
        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Whether a keyword token's text is known (including <c>offset=N</c> and <c>align=N</c>).</summary>
    public static bool IsKnown(ReadOnlySpan<byte> text)
    {
        if (text.StartsWith("offset="u8)) return Lexer.IsNat(text[7..]);
        if (text.StartsWith("align="u8)) return Lexer.IsNat(text[6..]);
        if (text.Length > 40) return false;
        Span<char> chars = stackalloc char[text.Length];
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        return s_known.GetAlternateLookup<ReadOnlySpan<char>>().Contains(chars);
    }
}
