using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

// Module fields other than types (spec 6.6), parsed in pass 3 in source order, with their abbreviations:
// inline imports and exports, inline element and data segments, offset and item shorthands.
internal sealed partial class WatParser
{
    private readonly List<Import> _imports = [];
    private readonly List<uint> _functions = [];
    private readonly List<FunctionBody> _codes = [];
    private readonly List<TableDefinition> _tables = [];
    private readonly List<MemoryType> _memories = [];
    private readonly List<GlobalDefinition> _globals = [];
    private readonly List<TagType> _tags = [];
    private readonly List<Export> _exports = [];
    private readonly List<ElementSegment> _elems = [];
    private readonly List<DataSegment> _datas = [];
    private uint? _start;
    private bool _usesDataIndex;

    // The kind of the last definition of a function, table, memory, global or tag: imports must precede them all.
    private string? _lastDefinition;

    // The index each space gives its next entity, counting imports and definitions as pass 3 meets them.
    private uint _nextFunc, _nextTable, _nextMemory, _nextGlobal, _nextTag;

    private void ParseModuleField(string kind)
    {
        switch (kind)
        {
            case "func": ParseFunc(); break;
            case "table": ParseTable(); break;
            case "memory": ParseMemory(); break;
            case "global": ParseGlobal(); break;
            case "tag": ParseTag(); break;
            case "import": ParseImport(); break;
            case "export": ParseExport(); break;
            case "start": ParseStart(); break;
            case "elem": ParseElem(); break;
            case "data": ParseData(); break;
        }
    }

    // "(" kind $id? — returns the "(" token.
    private Token OpenField(string kind)
    {
        var open = _c.Expect(TokenKind.LParen);
        _c.ExpectKeyword(kind);
        _c.TryId();
        return open;
    }

    private void ParseInlineExports(ExternKind kind, uint index)
    {
        while (_c.TryForm("export"))
        {
            string name = ParseName();
            _c.ExpectRParen();
            _exports.Add(new Export(name, kind, index));
        }
    }

    private bool TryInlineImport(out string module, out string name)
    {
        module = name = "";
        if (!_c.TryForm("import")) return false;
        module = ParseName();
        name = ParseName();
        _c.ExpectRParen();
        return true;
    }

    private string ParseName() => _c.Lexer.StringText(_c.Expect(TokenKind.String));

    private void AddImport(string module, string name, ExternType type, Token at)
    {
        if (_lastDefinition is not null) _c.Fail($"import after {_lastDefinition} definition", at);
        _imports.Add(new Import(module, name, type));
    }

    private void ParseFunc()
    {
        int field = _c.Position;
        var open = OpenField("func");
        uint index = _nextFunc++;
        ParseInlineExports(ExternKind.Func, index);
        var parameters = new List<ValType>();
        var results = new List<ValType>();
        if (TryInlineImport(out string module, out string name))
        {
            uint importType = ParseTypeUse(parameters, results, null, allowNames: true, out _);
            _c.ExpectRParen();
            AddImport(module, name, new FuncImportType(importType), open);
            return;
        }
        _lastDefinition = "function";
        BeginLocals();
        var names = new List<(string? Name, Token At)>();
        uint typeIndex = ParseTypeUse(parameters, results, names, allowNames: true, out bool explicitOnly);
        if (explicitOnly) _deferredParamsOf = typeIndex;
        foreach (var (paramName, at) in names) BindLocal(paramName, at);

        var locals = new List<LocalDecl>();
        while (_c.TryForm("local"))
        {
            if (_c.Is(TokenKind.Id))
            {
                var id = _c.Next();
                BindLocal(_c.Lexer.IdName(id), id);
                AddLocal(locals, ParseValType());
            }
            else
            {
                while (!_c.Is(TokenKind.RParen))
                {
                    var at = _c.Peek();
                    AddLocal(locals, ParseValType());
                    BindLocal(null, at);
                }
            }
            _c.ExpectRParen();
        }

        var code = new WasmWriter();
        _labels.Clear();
        _labels.Add(null);
        _instructionStarts = _hintedFields.Contains(field) ? [] : null;
        ParseInstructions(code);
        if (_instructionStarts is { } starts)
        {
            starts.Sort((a, b) => a.Token.CompareTo(b.Token));
            _hintedBodies.Add(index, new HintedBody(_codes.Count, starts));
            _instructionStarts = null;
        }
        _labels.Clear();
        _c.ExpectRParen();
        code.WriteByte((byte)Opcode.End);
        _functions.Add(typeIndex);
        _codes.Add(new FunctionBody([.. locals], code.ToArray()));
    }

    // Adjacent locals of one type share a declaration, as the binary format would write them.
    private static void AddLocal(List<LocalDecl> locals, ValType type)
    {
        if (locals.Count > 0 && locals[^1].Type == type) locals[^1] = locals[^1] with { Count = locals[^1].Count + 1 };
        else locals.Add(new LocalDecl(1, type));
    }

    private void ParseTable()
    {
        var open = OpenField("table");
        uint index = _nextTable++;
        ParseInlineExports(ExternKind.Table, index);
        if (TryInlineImport(out string module, out string name))
        {
            var importType = ParseTableType();
            _c.ExpectRParen();
            AddImport(module, name, importType, open);
            return;
        }
        _lastDefinition = "table";
        var addressType = ParseAddressType();
        if (!_c.Is(TokenKind.Nat))
        {
            // addrtype? reftype (elem ...): a table exactly as large as its inline element segment.
            var elementType = ParseRefType();
            _c.ExpectLParen();
            _c.ExpectKeyword("elem");
            var items = AtIndex() || _c.Is(TokenKind.RParen) ? ParseFunctionIndexItems() : ParseElemExprs();
            _c.ExpectRParen();
            _c.ExpectRParen();
            ulong size = (ulong)items.Count;
            _tables.Add(new TableDefinition(new TableType(elementType, new Limits(addressType, size, size)), null));
            _elems.Add(new ElementSegment(SegmentMode.Active, index, ZeroOffset(addressType), elementType, [.. items]));
            return;
        }
        var limits = ParseLimits(addressType);
        var type = new TableType(ParseRefType(), limits);
        ConstExpr? init = null;
        if (!_c.Is(TokenKind.RParen))
        {
            init = ParseConstExpr();
            // An initializer that is just the null of the element type is what no initializer means.
            var nullInit = new WasmWriter();
            InstructionWriter.Write(nullInit, new Instruction { Opcode = Opcode.RefNull, HeapType = type.ElementType.Heap });
            nullInit.WriteByte((byte)Opcode.End);
            if (init.Code.Span.SequenceEqual(nullInit.WrittenSpan)) init = null;
        }
        _c.ExpectRParen();
        _tables.Add(new TableDefinition(type, init));
    }

    private ConstExpr ZeroOffset(AddressType addressType)
    {
        var w = new WasmWriter(8);
        InstructionWriter.Write(w, new Instruction { Opcode = addressType == AddressType.I64 ? Opcode.I64Const : Opcode.I32Const });
        w.WriteByte((byte)Opcode.End);
        return new ConstExpr(w.ToArray());
    }

    private void ParseMemory()
    {
        var open = OpenField("memory");
        uint index = _nextMemory++;
        ParseInlineExports(ExternKind.Memory, index);
        if (TryInlineImport(out string module, out string name))
        {
            var importType = ParseMemoryType();
            _c.ExpectRParen();
            AddImport(module, name, importType, open);
            return;
        }
        _lastDefinition = "memory";
        var addressType = ParseAddressType();
        if (_c.AtForm("data") || _c.AtForm("pagesize"))
        {
            // addrtype? (pagesize n)? (data "..."*): a memory exactly as large as its inline data segment.
            int pageSizeLog2 = ParsePageSize();
            if (!_c.TryForm("data")) _c.Fail("expected (data ...)", _c.Peek());
            var bytes = ParseStrings();
            _c.ExpectRParen();
            _c.ExpectRParen();
            ulong pageSize = 1UL << pageSizeLog2;
            ulong pages = ((ulong)bytes.Length + pageSize - 1) / pageSize;
            _memories.Add(new MemoryType(new Limits(addressType, pages, pages), pageSizeLog2));
            _datas.Add(new DataSegment(SegmentMode.Active, index, ZeroOffset(addressType), bytes));
            return;
        }
        var limits = ParseSharing(ParseLimits(addressType));
        int log2 = ParsePageSize();
        _c.ExpectRParen();
        _memories.Add(new MemoryType(limits, log2));
    }

    private byte[] ParseStrings()
    {
        var bytes = new List<byte>();
        while (_c.Is(TokenKind.String)) bytes.AddRange(_c.Lexer.StringBytes(_c.Next()));
        return [.. bytes];
    }

    private void ParseGlobal()
    {
        var open = OpenField("global");
        uint index = _nextGlobal++;
        ParseInlineExports(ExternKind.Global, index);
        if (TryInlineImport(out string module, out string name))
        {
            var importType = ParseGlobalType();
            _c.ExpectRParen();
            AddImport(module, name, importType, open);
            return;
        }
        _lastDefinition = "global";
        var type = ParseGlobalType();
        var init = ParseConstExpr();
        _c.ExpectRParen();
        _globals.Add(new GlobalDefinition(type, init));
    }

    private void ParseTag()
    {
        var open = OpenField("tag");
        uint index = _nextTag++;
        ParseInlineExports(ExternKind.Tag, index);
        bool imported = TryInlineImport(out string module, out string name);
        uint typeIndex = ParseTypeUse([], [], null, allowNames: true, out _);
        _c.ExpectRParen();
        if (imported)
        {
            AddImport(module, name, new TagType(typeIndex), open);
            return;
        }
        _lastDefinition = "tag";
        _tags.Add(new TagType(typeIndex));
    }

    private void ParseImport()
    {
        var open = _c.Expect(TokenKind.LParen);
        _c.ExpectKeyword("import");
        string module = ParseName();
        string name = ParseName();
        _c.ExpectLParen();
        var kind = _c.Next();
        _c.TryId();
        ExternType type;
        switch (kind.Kind == TokenKind.Keyword ? _c.Text(kind) : "")
        {
            case "func":
                _nextFunc++;
                type = new FuncImportType(ParseTypeUse([], [], null, allowNames: true, out _));
                break;
            case "table":
                _nextTable++;
                type = ParseTableType();
                break;
            case "memory":
                _nextMemory++;
                type = ParseMemoryType();
                break;
            case "global":
                _nextGlobal++;
                type = ParseGlobalType();
                break;
            case "tag":
                _nextTag++;
                type = new TagType(ParseTypeUse([], [], null, allowNames: true, out _));
                break;
            default:
                _c.Unexpected(kind);
                return;
        }
        _c.ExpectRParen();
        _c.ExpectRParen();
        AddImport(module, name, type, open);
    }

    private void ParseExport()
    {
        _c.Expect(TokenKind.LParen);
        _c.ExpectKeyword("export");
        string name = ParseName();
        _c.ExpectLParen();
        var kind = _c.Next();
        var (externKind, space) = (kind.Kind == TokenKind.Keyword ? _c.Text(kind) : "") switch
        {
            "func" => (ExternKind.Func, _funcSpace),
            "table" => (ExternKind.Table, _tableSpace),
            "memory" => (ExternKind.Memory, _memorySpace),
            "global" => (ExternKind.Global, _globalSpace),
            "tag" => (ExternKind.Tag, _tagSpace),
            _ => (ExternKind.Func, null!),
        };
        if (space is null) _c.Unexpected(kind);
        uint index = ParseIndex(space);
        _c.ExpectRParen();
        _c.ExpectRParen();
        _exports.Add(new Export(name, externKind, index));
    }

    private void ParseStart()
    {
        var open = _c.Expect(TokenKind.LParen);
        _c.ExpectKeyword("start");
        uint index = ParseIndex(_funcSpace);
        _c.ExpectRParen();
        if (_start is not null) _c.Fail("multiple start sections", open);
        _start = index;
    }

    private void ParseElem()
    {
        OpenField("elem");
        if (_c.TryKeyword("declare"))
        {
            var (declaredType, declaredItems) = ParseElemList(allowBareIndices: false);
            _c.ExpectRParen();
            _elems.Add(new ElementSegment(SegmentMode.Declarative, 0, null, declaredType, [.. declaredItems]));
            return;
        }
        uint table = 0;
        bool active = false;
        if (_c.TryForm("table"))
        {
            table = ParseIndex(_tableSpace);
            _c.ExpectRParen();
            active = true;
        }
        else if (_c.Is(TokenKind.Nat) && _c.Peek(1).Kind == TokenKind.LParen)
        {
            // The MVP form (elem 0 (offset) funcidx*), a bare table index, still used by the threads proposal's tests.
            table = ParseIndex(_tableSpace);
            active = true;
        }
        ConstExpr? offset = null;
        if (_c.Is(TokenKind.LParen) && !AtRefType())
        {
            offset = ParseOffset();
            active = true;
        }
        else if (active)
        {
            _c.Unexpected(_c.Peek());
        }
        var (type, items) = ParseElemList(allowBareIndices: active);
        _c.ExpectRParen();
        _elems.Add(active
            ? new ElementSegment(SegmentMode.Active, table, offset, type, [.. items])
            : new ElementSegment(SegmentMode.Passive, 0, null, type, [.. items]));
    }

    // reftype elemexpr* | func funcidx* | (for active segments) funcidx*
    private (ValType Type, List<ConstExpr> Items) ParseElemList(bool allowBareIndices)
    {
        if (_c.TryKeyword("func")) return (ValType.Ref(HeapType.Func, false), ParseFunctionIndexItems());
        if (allowBareIndices && (AtIndex() || _c.Is(TokenKind.RParen)))
        {
            return (ValType.Ref(HeapType.Func, false), ParseFunctionIndexItems());
        }
        var type = ParseRefType();
        return (type, ParseElemExprs());
    }

    // funcidx*: each becomes the expression ref.func x.
    private List<ConstExpr> ParseFunctionIndexItems()
    {
        var items = new List<ConstExpr>();
        while (AtIndex())
        {
            uint func = ParseIndex(_funcSpace);
            var w = new WasmWriter(8);
            InstructionWriter.Write(w, new Instruction { Opcode = Opcode.RefFunc, Index = func });
            w.WriteByte((byte)Opcode.End);
            items.Add(new ConstExpr(w.ToArray()));
        }
        return items;
    }

    // ((item instr*) | foldedinstr)*
    private List<ConstExpr> ParseElemExprs()
    {
        var items = new List<ConstExpr>();
        while (_c.Is(TokenKind.LParen))
        {
            if (_c.TryForm("item"))
            {
                items.Add(ParseConstExpr());
                _c.ExpectRParen();
            }
            else
            {
                items.Add(ParseSingleFoldedConstExpr());
            }
        }
        return items;
    }

    // (offset instr*) | foldedinstr
    private ConstExpr ParseOffset()
    {
        if (_c.TryForm("offset"))
        {
            var offset = ParseConstExpr();
            _c.ExpectRParen();
            return offset;
        }
        return ParseSingleFoldedConstExpr();
    }

    private void ParseData()
    {
        OpenField("data");
        uint memory = 0;
        bool active = false;
        if (_c.TryForm("memory"))
        {
            memory = ParseIndex(_memorySpace);
            _c.ExpectRParen();
            active = true;
        }
        else if (_c.Is(TokenKind.Nat) && _c.Peek(1).Kind == TokenKind.LParen)
        {
            // The MVP form (data 0 (offset) "..."), a bare memory index, still used by the threads proposal's tests.
            memory = ParseIndex(_memorySpace);
            active = true;
        }
        ConstExpr? offset = null;
        if (_c.Is(TokenKind.LParen))
        {
            offset = ParseOffset();
            active = true;
        }
        else if (active)
        {
            _c.Unexpected(_c.Peek());
        }
        var bytes = ParseStrings();
        _c.ExpectRParen();
        _datas.Add(active
            ? new DataSegment(SegmentMode.Active, memory, offset, bytes)
            : new DataSegment(SegmentMode.Passive, 0, null, bytes));
    }
}
