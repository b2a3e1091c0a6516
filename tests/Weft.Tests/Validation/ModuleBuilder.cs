using Weft.Binary;
using Weft.Syntax;

namespace Weft.Tests.Validation;

/// <summary>Builds modules for validator tests from Syntax types, with bodies encoded by <see cref="Code"/>.</summary>
internal sealed class ModuleBuilder
{
    private readonly List<RecGroup> _groups = [];
    private readonly List<Import> _imports = [];
    private readonly List<uint> _functions = [];
    private readonly List<FunctionBody> _codes = [];
    private readonly List<TableDefinition> _tables = [];
    private readonly List<MemoryType> _memories = [];
    private readonly List<GlobalDefinition> _globals = [];
    private readonly List<TagType> _tags = [];
    private readonly List<Export> _exports = [];
    private readonly List<ElementSegment> _elements = [];
    private readonly List<DataSegment> _data = [];
    private uint _typeCount;
    private uint? _start;

    public int ImportedFunctions { get; private set; }

    public uint Type(CompositeType composite) => Rec(SubType.Plain(composite));

    public uint FuncType(ValType[] parameters, ValType[] results) => Type(new FuncType(parameters, results));

    public uint Rec(params SubType[] types)
    {
        uint first = _typeCount;
        _groups.Add(new RecGroup(types, explicitRec: types.Length != 1));
        _typeCount += (uint)types.Length;
        return first;
    }

    public uint Function(uint typeIndex, Action<Code> body, params ValType[] locals)
    {
        var code = new Code();
        body(code);
        code.Op(Opcode.End);
        _functions.Add(typeIndex);
        _codes.Add(new FunctionBody([.. locals.Select(t => new LocalDecl(1, t))], code.ToArray()));
        return (uint)(ImportedFunctions + _functions.Count - 1);
    }

    /// <summary>A function whose body is given verbatim (no end added).</summary>
    public uint RawFunction(uint typeIndex, byte[] code, params LocalDecl[] locals)
    {
        _functions.Add(typeIndex);
        _codes.Add(new FunctionBody(locals, code));
        return (uint)(ImportedFunctions + _functions.Count - 1);
    }

    public uint Function(ValType[] parameters, ValType[] results, Action<Code> body, params ValType[] locals) =>
        Function(FuncType(parameters, results), body, locals);

    public ModuleBuilder Import(string name, ExternType type)
    {
        if (type.Kind == ExternKind.Func) ImportedFunctions++;
        _imports.Add(new Import("env", name, type));
        return this;
    }

    public ModuleBuilder Memory(ulong min, ulong? max = null, AddressType address = AddressType.I32)
    {
        _memories.Add(new MemoryType(new Limits(address, min, max)));
        return this;
    }

    public ModuleBuilder Table(ValType element, ulong min, ulong? max = null, AddressType address = AddressType.I32, ConstExpr? init = null)
    {
        _tables.Add(new TableDefinition(new TableType(element, new Limits(address, min, max)), init));
        return this;
    }

    public ModuleBuilder Global(ValType type, bool mutable, ConstExpr init)
    {
        _globals.Add(new GlobalDefinition(new GlobalType(type, mutable), init));
        return this;
    }

    public ModuleBuilder Tag(uint typeIndex)
    {
        _tags.Add(new TagType(typeIndex));
        return this;
    }

    public ModuleBuilder Export(string name, ExternKind kind, uint index)
    {
        _exports.Add(new Export(name, kind, index));
        return this;
    }

    public ModuleBuilder Element(ElementSegment segment)
    {
        _elements.Add(segment);
        return this;
    }

    /// <summary>A declarative segment declaring functions for ref.func.</summary>
    public ModuleBuilder Declare(params uint[] functions) =>
        Element(new ElementSegment(SegmentMode.Declarative, 0, null, ValType.FuncRef, [.. functions.Select(f => Const(c => c.Op(Opcode.RefFunc, f)))]));

    public ModuleBuilder Data(DataSegment segment)
    {
        _data.Add(segment);
        return this;
    }

    public ModuleBuilder PassiveData(int count = 1)
    {
        for (int i = 0; i < count; i++) _data.Add(new DataSegment(SegmentMode.Passive, 0, null, new byte[] { 1, 2, 3 }));
        return this;
    }

    public ModuleBuilder Start(uint function)
    {
        _start = function;
        return this;
    }

    public static ConstExpr Const(Action<Code> body)
    {
        var code = new Code();
        body(code);
        code.Op(Opcode.End);
        return new ConstExpr(code.ToArray());
    }

    public static ConstExpr I32Const(int value) => Const(c => c.I32(value));

    public Module Build() => new()
    {
        RecGroups = _groups,
        Imports = _imports,
        Functions = _functions,
        Codes = _codes,
        Tables = _tables,
        Memories = _memories,
        Globals = _globals,
        Tags = _tags,
        Exports = _exports,
        Elements = _elements,
        Data = _data,
        Start = _start,
        DataCount = (uint)_data.Count,
    };
}

/// <summary>Encodes instructions for a test body.</summary>
internal sealed class Code
{
    private readonly WasmWriter _writer = new();

    public byte[] ToArray() => _writer.ToArray();

    public Code Op(Opcode opcode)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode });
        return this;
    }

    public Code Op(Opcode opcode, uint index)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Index = index });
        return this;
    }

    public Code Op(Opcode opcode, uint index, uint index2)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Index = index, Index2 = index2 });
        return this;
    }

    public Code I32(int value)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = Opcode.I32Const, Value = (ulong)(long)value });
        return this;
    }

    public Code I64(long value)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = Opcode.I64Const, Value = (ulong)value });
        return this;
    }

    public Code F32() => Raw(Opcode.F32Const, w => w.WriteFixed32(0));

    public Code F64() => Raw(Opcode.F64Const, w => w.WriteFixed64(0));

    public Code V128() => Raw(Opcode.V128Const, w => { w.WriteFixed64(0); w.WriteFixed64(0); });

    private Code Raw(Opcode opcode, Action<WasmWriter> immediates)
    {
        InstructionWriter.WriteOpcode(_writer, opcode);
        immediates(_writer);
        return this;
    }

    public Code Block(Opcode opcode, BlockType type)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, BlockType = type });
        return this;
    }

    public Code Block(BlockType type) => Block(Opcode.Block, type);

    public Code Block(ValType result) => Block(Opcode.Block, BlockType.Of(result));

    public Code Heap(Opcode opcode, HeapType heap)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, HeapType = heap });
        return this;
    }

    public Code MemArg(Opcode opcode, byte align, ulong offset = 0, uint memory = 0)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Byte = align, Value = offset, Index = memory });
        return this;
    }

    public Code MemArgLane(Opcode opcode, byte align, byte lane, uint memory = 0)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Byte = align, Index = memory, Index2 = lane });
        return this;
    }

    public Code Lane(Opcode opcode, byte lane)
    {
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Byte = lane });
        return this;
    }

    public Code Shuffle(params byte[] lanes)
    {
        ulong lo = BitConverter.ToUInt64(lanes, 0);
        ulong hi = BitConverter.ToUInt64(lanes, 8);
        InstructionWriter.Write(_writer, new Instruction { Opcode = Opcode.I8x16Shuffle, Value = lo, Value2 = hi });
        return this;
    }

    public Code BrOnCast(Opcode opcode, uint label, ValType from, ValType to)
    {
        byte flags = (byte)((from.Nullable ? 1 : 0) | (to.Nullable ? 2 : 0));
        InstructionWriter.Write(_writer, new Instruction { Opcode = opcode, Byte = flags, Index = label, HeapType = from.Heap, HeapType2 = to.Heap });
        return this;
    }

    public Code BrTable(uint defaultLabel, params uint[] targets)
    {
        InstructionWriter.WriteBrTable(_writer, targets, defaultLabel);
        return this;
    }

    public Code SelectTyped(params ValType[] types)
    {
        InstructionWriter.WriteSelectTyped(_writer, types);
        return this;
    }

    public Code TryTable(BlockType type, params CatchClause[] clauses)
    {
        InstructionWriter.WriteTryTable(_writer, type, clauses);
        return this;
    }

    public Code End() => Op(Opcode.End);
}
