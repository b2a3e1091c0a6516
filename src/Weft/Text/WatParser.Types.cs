using Weft.Syntax;

namespace Weft.Text;

// Types: value types, type definitions and recursion groups, type uses (spec 6.4, 6.5.4, 6.6.3).
internal sealed partial class WatParser
{
    private readonly List<RecGroup> _recGroups = [];
    private readonly List<SubType> _types = [];
    private readonly List<Dictionary<string, uint>?> _fieldNames = [];

    // The first plain function type (final, no supertypes, alone in its group) of each signature: where a type use
    // without (type x) finds its index.
    private readonly Dictionary<FuncType, uint> _plainFuncTypes = [];

    /// <summary>Pass 2: parses <c>(type ...)</c> or <c>(rec (type ...)*)</c> and defines its types.</summary>
    private void ParseTypeField()
    {
        _c.ExpectLParen();
        if (_c.TryKeyword("rec"))
        {
            var members = new List<SubType>();
            var names = new List<Dictionary<string, uint>?>();
            while (_c.Is(TokenKind.LParen))
            {
                _c.ExpectLParen();
                members.Add(ParseTypeDefinition(names));
            }
            _c.ExpectRParen();
            AddRecGroup(new RecGroup([.. members], explicitRec: true), names);
            return;
        }
        var fieldNames = new List<Dictionary<string, uint>?>();
        var type = ParseTypeDefinition(fieldNames);
        AddRecGroup(new RecGroup([type], explicitRec: false), fieldNames);
    }

    // type $id? subtype ")" — after the "(".
    private SubType ParseTypeDefinition(List<Dictionary<string, uint>?> fieldNames)
    {
        _c.ExpectKeyword("type");
        _c.TryId();
        Dictionary<string, uint>? names = null;
        SubType type;
        if (_c.TryForm("sub"))
        {
            bool final = _c.TryKeyword("final");
            var supertypes = new List<uint>();
            while (AtIndex()) supertypes.Add(ParseIndex(_typeSpace));
            var composite = ParseCompositeType(ref names);
            _c.ExpectRParen();
            type = new SubType(final, [.. supertypes], composite);
        }
        else
        {
            type = SubType.Plain(ParseCompositeType(ref names));
        }
        _c.ExpectRParen();
        fieldNames.Add(names);
        return type;
    }

    private CompositeType ParseCompositeType(ref Dictionary<string, uint>? fieldNames)
    {
        _c.ExpectLParen();
        var head = _c.Next();
        if (_c.IsKeyword(head, "func"))
        {
            var parameters = new List<ValType>();
            var results = new List<ValType>();
            ParseParams(parameters, names: null, allowNames: true);
            ParseResults(results);
            _c.ExpectRParen();
            return new FuncType([.. parameters], [.. results]);
        }
        if (_c.IsKeyword(head, "struct"))
        {
            var fields = new List<FieldType>();
            while (_c.TryForm("field"))
            {
                if (_c.Is(TokenKind.Id))
                {
                    var id = _c.Next();
                    fieldNames ??= new Dictionary<string, uint>(StringComparer.Ordinal);
                    string name = _c.Lexer.IdName(id);
                    if (!fieldNames.TryAdd(name, (uint)fields.Count)) _c.Fail($"duplicate field ${name}", id);
                    fields.Add(ParseFieldType());
                }
                else
                {
                    while (!_c.Is(TokenKind.RParen)) fields.Add(ParseFieldType());
                }
                _c.ExpectRParen();
            }
            _c.ExpectRParen();
            return new StructType([.. fields]);
        }
        if (_c.IsKeyword(head, "array"))
        {
            var element = ParseFieldType();
            _c.ExpectRParen();
            return new ArrayType(element);
        }
        _c.Unexpected(head);
        return null;
    }

    private FieldType ParseFieldType()
    {
        if (_c.TryForm("mut"))
        {
            var storage = ParseStorageType();
            _c.ExpectRParen();
            return new FieldType(storage, true);
        }
        return new FieldType(ParseStorageType(), false);
    }

    private StorageType ParseStorageType()
    {
        if (_c.TryKeyword("i8")) return StorageType.I8;
        if (_c.TryKeyword("i16")) return StorageType.I16;
        return StorageType.Of(ParseValType());
    }

    private void AddRecGroup(RecGroup group, List<Dictionary<string, uint>?> fieldNames)
    {
        _recGroups.Add(group);
        for (int i = 0; i < group.Types.Count; i++)
        {
            _types.Add(group.Types[i]);
            _fieldNames.Add(fieldNames[i]);
        }
        if (group.Types.Count == 1 && group.Types[0] is { IsPlain: true, Composite: FuncType f })
        {
            _plainFuncTypes.TryAdd(f, (uint)(_types.Count - 1));
        }
    }

    /// <summary>The index of the first plain function type of this signature, appending one if there is none.</summary>
    private uint FindOrAddFuncType(List<ValType> parameters, List<ValType> results, Token at)
    {
        var type = new FuncType([.. parameters], [.. results]);
        if (_plainFuncTypes.TryGetValue(type, out uint index)) return index;
        index = Bind(_typeSpace, null, at);
        AddRecGroup(new RecGroup([SubType.Plain(type)], explicitRec: false), [null]);
        return index;
    }

    /// <summary>
    /// Parses a type use: <c>(type x)? (param ...)* (result ...)*</c>. With both parts, they must agree; with only the
    /// inline part, the first matching function type is used or a new one appended. Parameter names go to
    /// <paramref name="names"/> (one entry per parameter) when given.
    /// </summary>
    private uint ParseTypeUse(List<ValType> parameters, List<ValType> results, List<(string? Name, Token At)>? names, bool allowNames, out bool explicitOnly)
    {
        var at = _c.Peek();
        uint? explicitIndex = null;
        if (_c.TryForm("type"))
        {
            explicitIndex = ParseIndex(_typeSpace);
            _c.ExpectRParen();
        }
        ParseParams(parameters, names, allowNames);
        ParseResults(results);
        RejectMisplacedParam();
        explicitOnly = explicitIndex is not null && parameters.Count == 0 && results.Count == 0;
        return ResolveTypeUse(explicitIndex, parameters, results, at);
    }

    // The reference reports a (param ...) after (result ...) as a syntax error before checking the type use.
    private void RejectMisplacedParam()
    {
        if (_c.AtForm("param")) _c.Unexpected(_c.Peek());
    }

    private uint ResolveTypeUse(uint? explicitIndex, List<ValType> parameters, List<ValType> results, Token at)
    {
        if (explicitIndex is not { } index) return FindOrAddFuncType(parameters, results, at);
        if (parameters.Count == 0 && results.Count == 0) return index;
        var type = FuncTypeAt(index, at);
        if (!type.Params.SequenceEqual(parameters) || !type.Results.SequenceEqual(results))
        {
            _c.Fail("inline function type does not match explicit type", at);
        }
        return index;
    }

    /// <summary>Parses <c>(param ...)*</c>: anonymous lists, or single named parameters where allowed.</summary>
    private void ParseParams(List<ValType> parameters, List<(string? Name, Token At)>? names, bool allowNames)
    {
        while (_c.TryForm("param"))
        {
            if (allowNames && _c.Is(TokenKind.Id))
            {
                var id = _c.Next();
                parameters.Add(ParseValType());
                names?.Add((_c.Lexer.IdName(id), id));
            }
            else
            {
                while (!_c.Is(TokenKind.RParen))
                {
                    var at = _c.Peek();
                    parameters.Add(ParseValType());
                    names?.Add((null, at));
                }
            }
            _c.ExpectRParen();
        }
    }

    /// <summary>Parses <c>(result ...)*</c>.</summary>
    private void ParseResults(List<ValType> results)
    {
        while (_c.TryForm("result"))
        {
            while (!_c.Is(TokenKind.RParen)) results.Add(ParseValType());
            _c.ExpectRParen();
        }
    }

    /// <summary>Parses a value type.</summary>
    private ValType ParseValType()
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Keyword)
        {
            ValType? type = _c.Text(token) switch
            {
                "i32" => ValType.I32,
                "i64" => ValType.I64,
                "f32" => ValType.F32,
                "f64" => ValType.F64,
                "v128" => ValType.V128,
                _ => null,
            };
            if (type is { } t)
            {
                _c.Next();
                return t;
            }
        }
        return ParseRefType();
    }

    /// <summary>Parses a reference type: an abbreviation such as <c>funcref</c>, or <c>(ref null? heaptype)</c>.</summary>
    private ValType ParseRefType()
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Keyword)
        {
            ValType? type = _c.Text(token) switch
            {
                "funcref" => ValType.FuncRef,
                "externref" => ValType.ExternRef,
                "anyref" => ValType.AnyRef,
                "eqref" => ValType.EqRef,
                "i31ref" => ValType.I31Ref,
                "structref" => ValType.StructRef,
                "arrayref" => ValType.ArrayRef,
                "nullref" => ValType.NullRef,
                "nullfuncref" => ValType.NullFuncRef,
                "nullexternref" => ValType.NullExternRef,
                "exnref" => ValType.ExnRef,
                "nullexnref" => ValType.NullExnRef,
                _ => null,
            };
            if (type is { } t)
            {
                _c.Next();
                return t;
            }
        }
        if (_c.TryForm("ref"))
        {
            bool nullable = _c.TryKeyword("null");
            var heap = ParseHeapType();
            _c.ExpectRParen();
            return ValType.Ref(heap, nullable);
        }
        _c.Unexpected(token);
        return default;
    }

    /// <summary>Whether a reference type starts here.</summary>
    private bool AtRefType()
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.LParen) return _c.IsKeyword(_c.Peek(1), "ref");
        if (token.Kind != TokenKind.Keyword) return false;
        return _c.Text(token) is "funcref" or "externref" or "anyref" or "eqref" or "i31ref" or "structref" or "arrayref"
            or "nullref" or "nullfuncref" or "nullexternref" or "exnref" or "nullexnref";
    }

    /// <summary>Parses a heap type: an abstract one or a type index.</summary>
    private HeapType ParseHeapType()
    {
        var token = _c.Peek();
        if (token.Kind == TokenKind.Keyword && TryAbstractHeapType(_c.Text(token), out var heap))
        {
            _c.Next();
            return heap;
        }
        return HeapType.Concrete(ParseIndex(_typeSpace));
    }

    /// <summary>Parses an optional address type (<c>i32</c> or <c>i64</c>) before limits.</summary>
    private AddressType ParseAddressType()
    {
        if (_c.TryKeyword("i64")) return AddressType.I64;
        _c.TryKeyword("i32");
        return AddressType.I32;
    }

    /// <summary>Parses limits: a minimum and an optional maximum.</summary>
    private Limits ParseLimits(AddressType addressType)
    {
        ulong min = ParseU64(_c.Expect(TokenKind.Nat));
        ulong? max = _c.Is(TokenKind.Nat) ? ParseU64(_c.Next()) : null;
        return new Limits(addressType, min, max);
    }

    /// <summary>Parses a table type: <c>addrtype? limits reftype</c>.</summary>
    private TableType ParseTableType()
    {
        var addressType = ParseAddressType();
        var limits = ParseLimits(addressType);
        return new TableType(ParseRefType(), limits);
    }

    /// <summary>Parses a memory type: <c>addrtype? limits shared? (pagesize n)?</c>.</summary>
    private MemoryType ParseMemoryType()
    {
        var addressType = ParseAddressType();
        var limits = ParseSharing(ParseLimits(addressType));
        return new MemoryType(limits, ParsePageSize());
    }

    /// <summary>
    /// The custom-page-sizes proposal's optional <c>(pagesize n)</c>, as a log2. A size that is not a power of two is
    /// malformed (the binary format has no way to say it); a power of two other than 1 or 65536 is the validator's.
    /// </summary>
    private int ParsePageSize()
    {
        if (!_c.TryForm("pagesize")) return MemoryType.DefaultPageSizeLog2;
        var token = _c.Expect(TokenKind.Nat);
        ulong size = ParseU64(token);
        if (!ulong.IsPow2(size)) _c.Fail("invalid custom page size", token);
        _c.ExpectRParen();
        return System.Numerics.BitOperations.Log2(size);
    }

    /// <summary>The threads proposal's <c>shared</c> after a memory's limits.</summary>
    private Limits ParseSharing(Limits limits) => _c.TryKeyword("shared") ? limits with { Shared = true } : limits;

    /// <summary>Parses a global type: <c>valtype</c> or <c>(mut valtype)</c>.</summary>
    private GlobalType ParseGlobalType()
    {
        if (_c.TryForm("mut"))
        {
            var type = ParseValType();
            _c.ExpectRParen();
            return new GlobalType(type, true);
        }
        return new GlobalType(ParseValType(), false);
    }
}
