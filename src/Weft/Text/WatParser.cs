using Weft.Syntax;

namespace Weft.Text;

/// <summary>
/// Parses the text format into a <see cref="Module"/> (spec chapter 6), resolving symbolic names and encoding
/// function bodies and constant expressions in their binary form.
/// </summary>
/// <remarks>
/// A module is read in three passes over its fields, as the reference parser's staging does: first every field's
/// name is bound (so any field may refer to any other), then the type definitions are parsed (so type uses may
/// compare against all of them), then every other field in source order. Type uses without <c>(type x)</c> that match
/// no existing function type append a new one at the end of the type index space, in the order they are met.
/// </remarks>
internal sealed partial class WatParser
{
    private readonly TokenCursor _c;
    private readonly int _close;
    private readonly List<FieldSpan> _fieldSpans = [];

    private WatParser(TokenCursor cursor, int close)
    {
        _c = cursor;
        _close = close;
    }

    /// <summary>A module field: where it opens (its <c>(</c>), its head keyword and, for a function, its index.</summary>
    private readonly record struct FieldSpan(int Open, string Kind, uint Index = 0);

    /// <summary>Parses a standalone .wat module, written as <c>(module $id? ...)</c> or as bare module fields.</summary>
    public static Module ParseModule(byte[] source)
    {
        var cursor = new TokenCursor(Lexer.Tokenize(source));
        if (cursor.AtForm("module"))
        {
            int close = cursor.MatchOf(cursor.Position);
            cursor.Next();
            int keyword = cursor.Position;
            cursor.Next();
            cursor.TryId();
            var module = Parse(cursor, close, keyword);
            cursor.ExpectRParen();
            cursor.Expect(TokenKind.Eof);
            return module;
        }
        var inline = Parse(cursor, -1, -1);
        cursor.Expect(TokenKind.Eof);
        return inline;
    }

    /// <summary>
    /// Parses module fields from the cursor up to the token index <paramref name="close"/> (the module's closing
    /// parenthesis, left unconsumed) or, when -1, up to the end of input (a module without its wrapper).
    /// </summary>
    public static Module ParseModuleFields(TokenCursor cursor, int close) =>
        Parse(cursor, close, close < 0 ? -1 : FindModuleKeyword(cursor));

    // The `module` keyword of a (module ...) whose fields start at the cursor: annotations after it belong to it.
    private static int FindModuleKeyword(TokenCursor cursor)
    {
        int i = cursor.Position - 1;
        while (i > 0 && !cursor.IsKeyword(cursor.At(i), "module")) i--;
        return i;
    }

    private static Module Parse(TokenCursor cursor, int close, int moduleKeyword)
    {
        var parser = new WatParser(cursor, close);
        return parser.ParseFields(moduleKeyword);
    }

    private Module ParseFields(int moduleKeyword)
    {
        bool closed = BindFieldNames();
        _hintedFields = HintedFunctionFields(moduleKeyword);
        foreach (var field in _fieldSpans)
        {
            if (field.Kind is "type" or "rec")
            {
                _c.MoveTo(field.Open);
                ParseTypeField();
            }
        }
        foreach (var field in _fieldSpans)
        {
            if (field.Kind is "type" or "rec") continue;
            _c.MoveTo(field.Open);
            ParseModuleField(field.Kind);
        }
        if (!closed) _c.Unexpected(_c.Peek());
        _c.MoveTo(_close < 0 ? int.MaxValue : _close);
        // In the reference's order of annotation names: custom, metadata.code.branch_hint, name.
        var customs = ParseCustomAnnotations(moduleKeyword);
        if (ParseBranchHints(moduleKeyword) is { } hints) customs.Add(hints);
        var names = ParseNameAnnotations(moduleKeyword);
        return BuildModule(OrderCustomSections(customs), names);
    }

    /// <summary>
    /// Pass 1: binds the name of every field (and of every entity a field defines) in source order, recording where
    /// each field starts. Returns false when a field is never closed (the later passes then report where).
    /// </summary>
    private bool BindFieldNames()
    {
        while (_c.Peek().Kind == TokenKind.LParen)
        {
            int open = _c.Position;
            var head = _c.Peek(1);
            if (head.Kind != TokenKind.Keyword) _c.Unexpected(head);
            string kind = _c.Text(head);
            switch (kind)
            {
                case "type":
                    Bind(_typeSpace, IdAfter(2), _c.Peek(2));
                    break;
                case "rec":
                    foreach (int child in Children(open))
                    {
                        if (_c.IsKeyword(_c.At(child + 1), "type")) Bind(_typeSpace, IdAt(child + 2), _c.At(child + 2));
                    }
                    break;
                case "func":
                    _fieldSpans.Add(new FieldSpan(open, kind, Bind(_funcSpace, IdAfter(2), _c.Peek(2))));
                    break;
                case "table":
                    Bind(_tableSpace, IdAfter(2), _c.Peek(2));
                    if (HasChild(open, "elem")) Bind(_elemSpace, null, head);
                    break;
                case "memory":
                    Bind(_memorySpace, IdAfter(2), _c.Peek(2));
                    if (HasChild(open, "data")) Bind(_dataSpace, null, head);
                    break;
                case "global":
                    Bind(_globalSpace, IdAfter(2), _c.Peek(2));
                    break;
                case "tag":
                    Bind(_tagSpace, IdAfter(2), _c.Peek(2));
                    break;
                case "import":
                    BindImportName();
                    break;
                case "elem":
                    Bind(_elemSpace, IdAfter(2), _c.Peek(2));
                    break;
                case "data":
                    Bind(_dataSpace, IdAfter(2), _c.Peek(2));
                    break;
                case "export":
                case "start":
                    break;
                default:
                    _c.Unexpected(head);
                    break;
            }
            if (kind != "func") _fieldSpans.Add(new FieldSpan(open, kind));
            int close = _c.MatchOf(open);
            if (close < 0 || (_close >= 0 && close > _close)) return false;
            _c.MoveTo(close + 1);
        }
        if (_close >= 0 ? _c.Position != _close : _c.Peek().Kind != TokenKind.Eof) _c.Unexpected(_c.Peek());
        return true;
    }

    // (import "m" "n" (kind $id? ...)): binds $id in the kind's space.
    private void BindImportName()
    {
        if (_c.Peek(2).Kind != TokenKind.String || _c.Peek(3).Kind != TokenKind.String || _c.Peek(4).Kind != TokenKind.LParen) return;
        var kind = _c.Peek(5);
        var space = kind.Kind != TokenKind.Keyword ? null : _c.Text(kind) switch
        {
            "func" => _funcSpace,
            "table" => _tableSpace,
            "memory" => _memorySpace,
            "global" => _globalSpace,
            "tag" => _tagSpace,
            _ => null,
        };
        if (space is not null) Bind(space, IdAfter(6), _c.Peek(6));
    }

    // The name of the id token `ahead` places after the cursor, if it is an id.
    private string? IdAfter(int ahead)
    {
        var token = _c.Peek(ahead);
        return token.Kind == TokenKind.Id ? _c.Lexer.IdName(token) : null;
    }

    private string? IdAt(int index)
    {
        var token = _c.At(index);
        return token.Kind == TokenKind.Id ? _c.Lexer.IdName(token) : null;
    }

    // The token indices of the parenthesized direct children of the form opening at `open`.
    private IEnumerable<int> Children(int open)
    {
        int close = _c.MatchOf(open);
        if (close < 0) yield break;
        for (int i = open + 1; i < close; i++)
        {
            if (_c.At(i).Kind != TokenKind.LParen) continue;
            yield return i;
            int end = _c.MatchOf(i);
            if (end < 0) yield break;
            i = end;
        }
    }

    private bool HasChild(int open, string keyword)
    {
        foreach (int child in Children(open))
        {
            if (_c.IsKeyword(_c.At(child + 1), keyword)) return true;
        }
        return false;
    }

    private Module BuildModule(List<CustomSection> customs, NameSection? names) => new()
    {
        RecGroups = [.. _recGroups],
        Imports = [.. _imports],
        Functions = [.. _functions],
        Tables = [.. _tables],
        Memories = [.. _memories],
        Globals = [.. _globals],
        Tags = [.. _tags],
        Exports = [.. _exports],
        Start = _start,
        Elements = [.. _elems],
        DataCount = _usesDataIndex ? (uint)_datas.Count : null,
        Codes = [.. _codes],
        Data = [.. _datas],
        CustomSections = customs,
        Names = names,
        FunctionIds = _funcSpace.NamesByIndex(),
    };

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
