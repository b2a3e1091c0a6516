using System.Text;
using Weft.Syntax;

namespace Weft.Text;

// Annotations (spec appendix "Custom Annotations"): (@custom "name" (before|after section)? "bytes"*) becomes a
// custom section; every other annotation is ignored.
internal sealed partial class WatParser
{
    // Binary section ids in the order the sections appear in a module.
    private static readonly (string Name, byte Id)[] s_sectionOrder =
    [
        ("type", 1), ("import", 2), ("func", 3), ("table", 4), ("memory", 5), ("tag", 13), ("global", 6),
        ("export", 7), ("start", 8), ("elem", 9), ("datacount", 12), ("code", 10), ("data", 11),
    ];

    /// <summary>
    /// Turns the module's <c>@custom</c> annotations into custom sections. <paramref name="moduleKeyword"/> is the
    /// token index of the <c>module</c> keyword (annotations after it and before the closing parenthesis belong to
    /// the module), or -1 when the module is the whole input.
    /// </summary>
    private List<CustomSection> ParseCustomAnnotations(int moduleKeyword)
    {
        var placed = new List<(int Key, CustomSection Section)>();
        foreach (var annotation in _c.Lexer.Annotations)
        {
            if (annotation.Name != "custom") continue;
            if (moduleKeyword >= 0 && (annotation.TokenIndex <= moduleKeyword || annotation.TokenIndex > _close)) continue;
            foreach (var field in _fieldSpans)
            {
                int close = _c.MatchOf(field.Open);
                if (annotation.TokenIndex > field.Open && (close < 0 || annotation.TokenIndex <= close))
                {
                    _c.Lexer.Fail("misplaced @custom annotation", annotation.Start);
                }
            }
            placed.Add(ParseCustom(annotation));
        }
        // The reference orders custom sections by placement, keeping source order among equal ones.
        return [.. placed.OrderBy(p => p.Key).Select(p => p.Section)];
    }

    private (int Key, CustomSection Section) ParseCustom(Annotation annotation)
    {
        var lexer = _c.Lexer;
        var body = annotation.Body;
        int i = 0;
        if (body.Length == 0 || body[0].Kind != TokenKind.String) lexer.Fail("@custom annotation: missing section name", annotation.Start);
        var nameBytes = lexer.StringBytes(body[i++]);
        if (!System.Text.Unicode.Utf8.IsValid(nameBytes)) lexer.Fail("@custom annotation: malformed UTF-8 encoding", annotation.Start);
        string name = Encoding.UTF8.GetString(nameBytes);

        // By default a custom section goes after all others.
        int ordinal = s_sectionOrder.Length - 1;
        bool after = true;
        if (i < body.Length && body[i].Kind == TokenKind.LParen)
        {
            int open = i++;
            if (i < body.Length && lexer.Is(body[i], "before")) after = false;
            else if (i < body.Length && lexer.Is(body[i], "after")) after = true;
            else lexer.Fail("@custom annotation: malformed placement", body[open].Start);
            i++;
            ordinal = -1;
            if (i < body.Length && body[i].Kind is TokenKind.Keyword)
            {
                string section = lexer.TextOf(body[i]);
                ordinal = section switch
                {
                    "first" => 0,
                    "last" => s_sectionOrder.Length - 1,
                    _ => Array.FindIndex(s_sectionOrder, s => s.Name == section),
                };
            }
            if (ordinal < 0) lexer.Fail("@custom annotation: malformed section kind", body[open].Start);
            i++;
            if (i >= body.Length || body[i].Kind != TokenKind.RParen) lexer.Fail("@custom annotation: unexpected token", body[Math.Min(i, body.Length - 1)].Start);
            i++;
        }
        var content = new List<byte>();
        while (i < body.Length && body[i].Kind == TokenKind.String) content.AddRange(lexer.StringBytes(body[i++]));
        if (i < body.Length) lexer.Fail("@custom annotation: unexpected token", body[i].Start);

        byte afterId = after ? s_sectionOrder[ordinal].Id : ordinal == 0 ? (byte)0 : s_sectionOrder[ordinal - 1].Id;
        return (ordinal * 2 + (after ? 1 : 0), new CustomSection(name, content.ToArray(), afterId));
    }
}
