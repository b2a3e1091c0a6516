using Weft.Syntax;

namespace Weft.Text;

// Index spaces, symbolic names and their resolution (spec 6.6.1: identifier contexts).
internal sealed partial class WatParser
{
    /// <summary>One index space: how many entities it holds and the names bound to some of them.</summary>
    private sealed class IndexSpace(string category)
    {
        private readonly Dictionary<string, uint> _names = new(StringComparer.Ordinal);

        /// <summary>The category as the reference's errors name it ("function", "data segment", ...).</summary>
        public string Category { get; } = category;

        /// <summary>The number of entities bound so far.</summary>
        public uint Count { get; private set; }

        /// <summary>Binds the next index, under a name if given; false if the name is already bound.</summary>
        public bool TryBind(string? name, out uint index)
        {
            index = Count;
            if (name is not null && !_names.TryAdd(name, Count)) return false;
            Count++;
            return true;
        }

        /// <summary>Binds <paramref name="count"/> anonymous indices.</summary>
        public void BindAnonymous(uint count) => Count += count;

        /// <summary>The names bound, by index (without the leading <c>$</c>).</summary>
        public Dictionary<uint, string> NamesByIndex() => _names.ToDictionary(n => n.Value, n => n.Key.TrimStart('$'));

        /// <summary>Looks a name up.</summary>
        public bool TryLookup(string name, out uint index) => _names.TryGetValue(name, out index);

        /// <summary>Forgets everything (locals between functions).</summary>
        public void Clear()
        {
            _names.Clear();
            Count = 0;
        }
    }

    private readonly IndexSpace _typeSpace = new("type");
    private readonly IndexSpace _funcSpace = new("function");
    private readonly IndexSpace _tableSpace = new("table");
    private readonly IndexSpace _memorySpace = new("memory");
    private readonly IndexSpace _globalSpace = new("global");
    private readonly IndexSpace _tagSpace = new("tag");
    private readonly IndexSpace _elemSpace = new("elem segment");
    private readonly IndexSpace _dataSpace = new("data segment");
    private readonly IndexSpace _localSpace = new("local");

    // Labels are relative: index 0 is the innermost. The names of the enclosing blocks, innermost last.
    private readonly List<string?> _labels = [];

    // A function given only as (type x) takes its parameter count from the type, which is looked up only when a
    // named local needs it (as the reference does, so that a bad type index stays a validation error otherwise).
    private uint? _deferredParamsOf;

    /// <summary>Binds the next index of a space, under a name if given; a name may be bound once per space.</summary>
    private uint Bind(IndexSpace space, string? name, Token at)
    {
        if (!space.TryBind(name, out uint index)) _c.Fail($"duplicate {space.Category} ${name}", at);
        return index;
    }

    /// <summary>Parses an index: a u32 literal or a bound name of the space.</summary>
    private uint ParseIndex(IndexSpace space)
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Nat) return ParseU32(_c.Next());
        if (token.Kind == TokenKind.Id)
        {
            string name = _c.Lexer.IdName(_c.Next());
            if (!space.TryLookup(name, out uint index)) _c.Fail($"unknown {space.Category} ${name}", token);
            return index;
        }
        _c.Unexpected(token);
        return 0;
    }

    /// <summary>Whether an index (a number or a name) is next.</summary>
    private bool AtIndex() => _c.Peek().Kind is TokenKind.Nat or TokenKind.Id;

    /// <summary>An optional index, 0 when absent.</summary>
    private uint ParseOptionalIndex(IndexSpace space) => AtIndex() ? ParseIndex(space) : 0;

    private uint ParseU32(Token token)
    {
        if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(token), 32, out ulong value)) _c.Fail("i32 constant out of range", token);
        return (uint)value;
    }

    private ulong ParseU64(Token token)
    {
        if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(token), 64, out ulong value)) _c.Fail("i64 constant out of range", token);
        return value;
    }

    /// <summary>Parses a label reference: a relative depth or the name of an enclosing block.</summary>
    private uint ParseLabel()
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Id)
        {
            string name = _c.Lexer.IdName(_c.Next());
            for (int i = _labels.Count - 1; i >= 0; i--)
            {
                if (_labels[i] == name) return (uint)(_labels.Count - 1 - i);
            }
            _c.Fail($"unknown label ${name}", token);
        }
        if (token.Kind == TokenKind.Nat) return ParseU32(_c.Next());
        _c.Unexpected(token);
        return 0;
    }

    /// <summary>Starts a function's local index space.</summary>
    private void BeginLocals()
    {
        _localSpace.Clear();
        _deferredParamsOf = null;
    }

    /// <summary>Binds a local (or parameter), named or not.</summary>
    private void BindLocal(string? name, Token at)
    {
        if (name is not null && _deferredParamsOf is { } typeIndex)
        {
            _deferredParamsOf = null;
            _localSpace.BindAnonymous((uint)FuncTypeAt(typeIndex, at).Params.Count);
        }
        Bind(_localSpace, name, at);
    }

    /// <summary>Resolves a field of a struct type: a number or a name bound in that type's definition.</summary>
    private uint ParseField(uint typeIndex)
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Id)
        {
            string name = _c.Lexer.IdName(_c.Next());
            var names = typeIndex < _fieldNames.Count ? _fieldNames[(int)typeIndex] : null;
            uint field = 0;
            if (names is null || !names.TryGetValue(name, out field)) _c.Fail($"unknown field ${name}", token);
            return field;
        }
        if (token.Kind == TokenKind.Nat) return ParseU32(_c.Next());
        _c.Unexpected(token);
        return 0;
    }

    /// <summary>The function type at an index, failing as the reference does when there is none.</summary>
    private FuncType FuncTypeAt(uint index, Token at)
    {
        if (index >= _types.Count) _c.Fail($"unknown type {index}", at);
        if (_types[(int)index].Composite is FuncType f) return f;
        _c.Fail($"non-function type {index}", at);
        return null;
    }
}
