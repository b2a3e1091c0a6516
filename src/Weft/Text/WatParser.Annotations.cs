using System.Text;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

// Annotations (spec appendix "Custom Annotations"): (@custom "name" (before|after section)? "bytes"*) becomes a
// custom section; (@name "...") names the module (before its first field) or a function (right after `func` and its
// id), as the reference's name handler accepts them; (@metadata.code.branch_hint "\00"|"\01") hints the instruction
// that follows it and all of them become the branch hint section; every other annotation is ignored.
internal sealed partial class WatParser
{
    private const string BranchHintAnnotation = "metadata.code.branch_hint";

    // The function fields (by the token index of their parenthesis) that hold branch hint annotations.
    private HashSet<int> _hintedFields = [];

    // For each function with branch hints (by function index): its body's index and its instruction starts by token.
    private readonly Dictionary<uint, HintedBody> _hintedBodies = [];

    private readonly record struct HintedBody(int CodeIndex, List<(int Token, int Offset)> Starts);

    /// <summary>A custom section an annotation gives: its placement key (see <see cref="ParseCustom"/>) and the token
    /// index it was written at, which orders sections of equal placement.</summary>
    private readonly record struct PlacedSection(int Key, int Token, CustomSection Section);

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
    private List<PlacedSection> ParseCustomAnnotations(int moduleKeyword)
    {
        var placed = new List<PlacedSection>();
        foreach (var annotation in ModuleAnnotations(moduleKeyword))
        {
            if (annotation.Name != "custom") continue;
            if (ContainingField(annotation.TokenIndex) is not null) _c.Lexer.Fail("misplaced @custom annotation", annotation.Start);
            placed.Add(ParseCustom(annotation));
        }
        return placed;
    }

    /// <summary>The custom sections in module order: the reference orders them by placement, then by source position.</summary>
    private static List<CustomSection> OrderCustomSections(List<PlacedSection> placed) =>
        [.. placed.OrderBy(p => p.Key).ThenBy(p => p.Token).Select(p => p.Section)];

    /// <summary>
    /// The annotations of this module: those after its <c>module</c> keyword up to its closing parenthesis (all of
    /// them for a module that is the whole input). The lexer lists annotations in source order.
    /// </summary>
    private IEnumerable<Annotation> ModuleAnnotations(int moduleKeyword)
    {
        var all = _c.Lexer.Annotations;
        int lo = 0, hi = all.Count;
        while (moduleKeyword >= 0 && lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (all[mid].TokenIndex <= moduleKeyword) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < all.Count && (moduleKeyword < 0 || all[i].TokenIndex <= _close); i++) yield return all[i];
    }

    /// <summary>The module field whose parentheses enclose a token position, if any.</summary>
    private FieldSpan? ContainingField(int tokenIndex)
    {
        int lo = 0, hi = _fieldSpans.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_fieldSpans[mid].Open < tokenIndex) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return null;
        var field = _fieldSpans[lo - 1];
        int close = _c.MatchOf(field.Open);
        return close < 0 || tokenIndex <= close ? field : null;
    }

    // The key is twice the ordinal of the section it is placed at, plus one when after it.
    private PlacedSection ParseCustom(Annotation annotation)
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
        return new PlacedSection(ordinal * 2 + (after ? 1 : 0), annotation.TokenIndex, new CustomSection(name, content.ToArray(), afterId));
    }

    /// <summary>Collects the module and function names given by <c>@name</c> annotations, if any.</summary>
    private NameSection? ParseNameAnnotations(int moduleKeyword)
    {
        string? moduleName = null;
        Dictionary<uint, string>? functionNames = null;
        var lexer = _c.Lexer;
        foreach (var annotation in ModuleAnnotations(moduleKeyword))
        {
            if (annotation.Name != "name") continue;
            var body = annotation.Body;
            if (body.Length == 0 || body[0].Kind != TokenKind.String) lexer.Fail("@name annotation: string expected", annotation.Start);
            var bytes = lexer.StringBytes(body[0]);
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) lexer.Fail("malformed UTF-8 encoding", annotation.Start);
            if (body.Length > 1) lexer.Fail("@name annotation: unexpected token", body[1].Start);
            string name = Encoding.UTF8.GetString(bytes);

            var container = ContainingField(annotation.TokenIndex);
            if (container is null)
            {
                bool beforeFields = _fieldSpans.Count == 0 || annotation.TokenIndex <= _fieldSpans[0].Open;
                if (!beforeFields) lexer.Fail("misplaced @name annotation", annotation.Start);
                if (moduleName is not null) lexer.Fail("@name annotation: multiple module names", annotation.Start);
                moduleName = name;
                continue;
            }
            var span = container.Value;
            switch (span.Kind)
            {
                case "func":
                {
                    // Only right after `func` and its id: later it would name locals, which are not supported.
                    var before = _c.At(annotation.TokenIndex - 1);
                    bool atHead = annotation.TokenIndex == span.Open + 2
                        || (annotation.TokenIndex == span.Open + 3 && before.Kind == TokenKind.Id);
                    if (!atHead) lexer.Fail("@name annotation: misplaced annotation", annotation.Start);
                    functionNames ??= [];
                    if (!functionNames.TryAdd(span.Index, name)) lexer.Fail("@name annotation: multiple function names", annotation.Start);
                    break;
                }
                case "tag":
                    break;
                case "type":
                case "rec":
                    lexer.Fail("@name annotation: type and field names not yet supported", annotation.Start);
                    break;
                default:
                    lexer.Fail("misplaced @name annotation", annotation.Start);
                    break;
            }
        }
        if (moduleName is null && functionNames is null) return null;
        return new NameSection { ModuleName = moduleName, FunctionNames = functionNames ?? [] };
    }

    /// <summary>
    /// The function fields (by the token index of their parenthesis) that hold branch hint annotations: while they are
    /// parsed, where each instruction starts is recorded (see <see cref="MarkInstruction"/>).
    /// </summary>
    private HashSet<int> HintedFunctionFields(int moduleKeyword)
    {
        var fields = new HashSet<int>();
        foreach (var annotation in ModuleAnnotations(moduleKeyword))
        {
            if (annotation.Name == BranchHintAnnotation && ContainingField(annotation.TokenIndex) is { Kind: "func" } field) fields.Add(field.Open);
        }
        return fields;
    }

    /// <summary>
    /// Turns the <c>(@metadata.code.branch_hint "\00"|"\01")</c> annotations into the branch hint section, checking
    /// them as the reference's parser does: inside a function, with a valid hint, followed by an instruction of that
    /// function, at most one per instruction. A hint belongs to the first instruction that starts after it in the
    /// source (for a folded instruction, at its parenthesis). Whether that instruction may carry a hint (a
    /// <c>br_if</c> or an <c>if</c>) is left to the custom section checker, as in the reference.
    /// </summary>
    private PlacedSection? ParseBranchHints(int moduleKeyword)
    {
        const string Prefix = "@metadata.code.branch_hint annotation: ";
        var lexer = _c.Lexer;
        var hints = new List<(uint Function, int Target, int Offset, bool Likely, Annotation At)>();
        foreach (var annotation in ModuleAnnotations(moduleKeyword))
        {
            if (annotation.Name != BranchHintAnnotation) continue;
            var payload = new List<byte>();
            foreach (var token in annotation.Body)
            {
                if (token.Kind != TokenKind.String) lexer.Fail(Prefix + "unexpected token", token.Start);
                payload.AddRange(lexer.StringBytes(token));
            }
            var field = ContainingField(annotation.TokenIndex);
            if (field is not { Kind: "func" }) lexer.Fail(Prefix + "not in a function", annotation.Start);
            if (payload.Count != 1 || payload[0] > 1) lexer.Fail(Prefix + "invalid hint value", annotation.Start);
            uint function = field.Value.Index;
            if (!_hintedBodies.TryGetValue(function, out var body) || FirstStartFrom(body.Starts, annotation.TokenIndex) is not { } target)
            {
                lexer.Fail(Prefix + "invalid placement", annotation.Start);
                return null;
            }
            int offset = BranchHintSection.LocalsSize(_codes[body.CodeIndex]) + target.Offset;
            hints.Add((function, target.Token, offset, payload[0] == 1, annotation));
        }
        if (hints.Count == 0) return null;

        // Like the reference, duplicates are looked for once every annotation has been read.
        for (int i = 1; i < hints.Count; i++)
        {
            if (hints[i].Function == hints[i - 1].Function && hints[i].Target <= hints[i - 1].Target) lexer.Fail(Prefix + "duplicate annotation", hints[i].At.Start);
        }

        // Functions come in source order, which is index order; within one, a folded instruction is encoded after its
        // operands, so hints are sorted by offset as the section requires.
        var functions = hints
            .GroupBy(h => h.Function)
            .Select(g => new BranchHintSection.Function(g.Key, [.. g.OrderBy(h => h.Offset).Select(h => new BranchHintSection.Hint((uint)h.Offset, h.Likely))]))
            .ToList();
        int code = Array.FindIndex(s_sectionOrder, s => s.Name == "code");
        var section = new CustomSection(BranchHintSection.Name, BranchHintSection.Encode(functions), s_sectionOrder[code - 1].Id);
        return new PlacedSection(code * 2, hints[0].At.TokenIndex, section);
    }

    // The first recorded instruction that starts at or after a token (the starts are sorted by token).
    private static (int Token, int Offset)? FirstStartFrom(List<(int Token, int Offset)> starts, int token)
    {
        int lo = 0, hi = starts.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (starts[mid].Token < token) lo = mid + 1;
            else hi = mid;
        }
        return lo < starts.Count ? starts[lo] : null;
    }
}
