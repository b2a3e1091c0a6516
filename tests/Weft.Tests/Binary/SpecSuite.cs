using Weft.Text;

namespace Weft.Tests.Binary;

/// <summary>
/// Finds the spec test suite (<c>$WEFT_SPEC_TESTSUITE</c>, or <c>../shared/testsuite</c> beside the repository root)
/// and pulls the <c>(module binary "...")</c> forms out of its scripts.
/// </summary>
/// <remarks>
/// Deliberately minimal: it walks the text lexer's tokens, tracking only parentheses, and understands nothing but
/// binary modules and the message of an enclosing <c>assert_malformed</c>. It is a stopgap until the script parser
/// (<c>Weft.Script.WastParser</c>) lands; the binary tests should then take their modules from it.
/// </remarks>
internal static class SpecSuite
{
    private static readonly Lazy<string?> s_root = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<SuiteBinaryModule>> s_modules = new(LoadBinaryModules);

    /// <summary>The suite's root folder, or null when it is absent.</summary>
    public static string? Root => s_root.Value;

    /// <summary>The message of a test skipped because the suite is absent.</summary>
    public const string AbsentMessage =
        "spec test suite not found: set WEFT_SPEC_TESTSUITE or put it at ../shared/testsuite beside the repository root";

    /// <summary>Every binary module in the suite, in file order.</summary>
    public static IReadOnlyList<SuiteBinaryModule> BinaryModules => s_modules.Value;

    // One locator for the whole test project: Conformance.SpecSuite ($WEFT_SPEC_TESTSUITE or ../shared/testsuite).
    private static string? FindRoot() => Weft.Tests.Conformance.SpecSuite.Root;

    private static IReadOnlyList<SuiteBinaryModule> LoadBinaryModules()
    {
        var result = new List<SuiteBinaryModule>();
        if (Root is null) return result;
        foreach (string path in Directory.EnumerateFiles(Root, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            byte[] source = File.ReadAllBytes(path);
            if (source.AsSpan().IndexOf("binary"u8) < 0) continue;
            Extract(Path.GetRelativePath(Root, path).Replace('\\', '/'), Lexer.Tokenize(source), result);
        }
        return result;
    }

    private static void Extract(string file, Lexer lexer, List<SuiteBinaryModule> result)
    {
        var tokens = lexer.Tokens;
        var heads = new Stack<string>(); // the keyword that opens each enclosing list ("" if none)
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.RParen)
            {
                if (heads.Count > 0) heads.Pop();
                continue;
            }
            if (token.Kind != TokenKind.LParen) continue;
            bool keyword = i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Keyword;
            string head = keyword ? lexer.TextOf(tokens[i + 1]) : "";
            if (head == "module" && TryReadBinaryModule(lexer, i, out byte[] bytes, out int close))
            {
                string parent = heads.Count > 0 ? heads.Peek() : "";
                string? message = null;
                if (parent == "assert_malformed" && close + 1 < tokens.Count && tokens[close + 1].Kind == TokenKind.String)
                {
                    message = lexer.StringText(tokens[close + 1]);
                }
                result.Add(new SuiteBinaryModule(file, lexer.LineColumn(token.Start).Line, bytes, parent, message));
                i = close;
                continue;
            }
            heads.Push(head);
        }
    }

    // (module $id? definition? binary "..."*) starting at the "(" at index open; close is the index of its ")".
    private static bool TryReadBinaryModule(Lexer lexer, int open, out byte[] bytes, out int close)
    {
        var tokens = lexer.Tokens;
        bytes = [];
        close = -1;
        int i = open + 2;
        while (tokens[i].Kind == TokenKind.Id || (tokens[i].Kind == TokenKind.Keyword && lexer.Is(tokens[i], "definition"))) i++;
        if (tokens[i].Kind != TokenKind.Keyword || !lexer.Is(tokens[i], "binary")) return false;
        var content = new List<byte>();
        for (i++; tokens[i].Kind == TokenKind.String; i++) content.AddRange(lexer.StringBytes(tokens[i]));
        if (tokens[i].Kind != TokenKind.RParen) return false;
        bytes = content.ToArray();
        close = i;
        return true;
    }
}

/// <summary>A <c>(module binary ...)</c> of the suite.</summary>
/// <param name="File">The script, relative to the suite root.</param>
/// <param name="Line">The line of the module.</param>
/// <param name="Bytes">The module bytes.</param>
/// <param name="Context">The head of the enclosing form (e.g. "assert_malformed", "assert_invalid"), or "" at top level.</param>
/// <param name="ExpectedMalformed">For a module in assert_malformed, the expected message.</param>
internal sealed record SuiteBinaryModule(string File, int Line, byte[] Bytes, string Context, string? ExpectedMalformed)
{
    /// <summary>Where the module is, for failure reports.</summary>
    public override string ToString() => $"{File}:{Line}";
}
