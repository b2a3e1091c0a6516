using System.Numerics;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

// The immediates of non-structured instructions (spec 6.5.2–6.5.11), by the shape the opcode table gives them,
// plus the instructions whose text syntax differs from that shape.
internal sealed partial class WatParser
{
    /// <summary>Parses the immediates of the instruction named <paramref name="name"/> and encodes it.</summary>
    private void ParseOperation(WasmWriter w, Token token, string name)
    {
        switch (name)
        {
            case "select": ParseSelect(w); return;
            case "call_indirect": ParseCallIndirect(w, Opcode.CallIndirect); return;
            case "return_call_indirect": ParseCallIndirect(w, Opcode.ReturnCallIndirect); return;
            case "br_table": ParseBrTable(w); return;
            case "ref.test": ParseRefTestOrCast(w, Opcode.RefTest, Opcode.RefTestNull); return;
            case "ref.cast": ParseRefTestOrCast(w, Opcode.RefCast, Opcode.RefCastNull); return;
            case "v128.const": ParseV128Const(w, token); return;
            case "i8x16.shuffle": ParseShuffle(w, token); return;
            case "memory.init": ParseSegmentInit(w, Opcode.MemoryInit, _memorySpace, _dataSpace); return;
            case "table.init": ParseSegmentInit(w, Opcode.TableInit, _tableSpace, _elemSpace); return;
            case "memory.copy": ParseCopy(w, Opcode.MemoryCopy, _memorySpace); return;
            case "table.copy": ParseCopy(w, Opcode.TableCopy, _tableSpace); return;
        }
        if (!OpcodeTable.TryGetByName(name, out var info)
            || info.Immediates is ImmediateKind.BlockType or ImmediateKind.TryTable
            || name is "end" or "else" or "catch" or "catch_all" or "delegate")
        {
            _c.Unexpected(token);
        }
        var instruction = new Instruction { Opcode = info.Opcode };
        switch (info.Immediates)
        {
            case ImmediateKind.None:
            case ImmediateKind.Fence:
                break;
            case ImmediateKind.Label:
                instruction = instruction with { Index = ParseLabel() };
                break;
            case ImmediateKind.Function:
                instruction = instruction with { Index = ParseIndex(_funcSpace) };
                break;
            case ImmediateKind.Type:
                instruction = instruction with { Index = ParseIndex(_typeSpace) };
                break;
            case ImmediateKind.Local:
                instruction = instruction with { Index = ParseIndex(_localSpace) };
                break;
            case ImmediateKind.Global:
                instruction = instruction with { Index = ParseIndex(_globalSpace) };
                break;
            case ImmediateKind.Tag:
                instruction = instruction with { Index = ParseIndex(_tagSpace) };
                break;
            case ImmediateKind.Data:
                _usesDataIndex = true;
                instruction = instruction with { Index = ParseIndex(_dataSpace) };
                break;
            case ImmediateKind.Element:
                instruction = instruction with { Index = ParseIndex(_elemSpace) };
                break;
            case ImmediateKind.Table:
                instruction = instruction with { Index = ParseOptionalIndex(_tableSpace) };
                break;
            case ImmediateKind.Memory:
                instruction = instruction with { Index = ParseOptionalIndex(_memorySpace) };
                break;
            case ImmediateKind.I32:
                instruction = instruction with { Value = (ulong)(long)(int)(uint)ParseIntConstant(32) };
                break;
            case ImmediateKind.I64:
                instruction = instruction with { Value = ParseIntConstant(64) };
                break;
            case ImmediateKind.F32:
            {
                var number = NumberToken();
                if (!NumberParser.TryParseF32(_c.Lexer.SpanOf(number), out uint bits)) _c.Fail("constant out of range", number);
                instruction = instruction with { Value = bits };
                break;
            }
            case ImmediateKind.F64:
            {
                var number = NumberToken();
                if (!NumberParser.TryParseF64(_c.Lexer.SpanOf(number), out ulong bits)) _c.Fail("constant out of range", number);
                instruction = instruction with { Value = bits };
                break;
            }
            case ImmediateKind.HeapType:
                instruction = instruction with { HeapType = ParseHeapType() };
                break;
            case ImmediateKind.BrOnCast:
            {
                uint label = ParseLabel();
                var from = ParseRefType();
                var to = ParseRefType();
                byte flags = (byte)((from.Nullable ? 1 : 0) | (to.Nullable ? 2 : 0));
                instruction = instruction with { Byte = flags, Index = label, HeapType = from.Heap, HeapType2 = to.Heap };
                break;
            }
            case ImmediateKind.StructField:
            {
                uint type = ParseIndex(_typeSpace);
                instruction = instruction with { Index = type, Index2 = ParseField(type) };
                break;
            }
            case ImmediateKind.ArrayNewFixed:
            {
                uint type = ParseIndex(_typeSpace);
                instruction = instruction with { Index = type, Index2 = ParseU32(_c.Expect(TokenKind.Nat)) };
                break;
            }
            case ImmediateKind.TypeData:
            {
                _usesDataIndex = true;
                uint type = ParseIndex(_typeSpace);
                instruction = instruction with { Index = type, Index2 = ParseIndex(_dataSpace) };
                break;
            }
            case ImmediateKind.TypeElement:
            {
                uint type = ParseIndex(_typeSpace);
                instruction = instruction with { Index = type, Index2 = ParseIndex(_elemSpace) };
                break;
            }
            case ImmediateKind.TypeType:
            {
                uint type = ParseIndex(_typeSpace);
                instruction = instruction with { Index = type, Index2 = ParseIndex(_typeSpace) };
                break;
            }
            case ImmediateKind.MemArg:
                instruction = ParseMemArg(instruction, info, laneIndex: false);
                break;
            case ImmediateKind.MemArgLane:
                instruction = ParseMemArg(instruction, info, laneIndex: true);
                break;
            case ImmediateKind.Lane:
                instruction = instruction with { Byte = ParseLaneIndex() };
                break;
            default:
                _c.Unexpected(token);
                break;
        }
        InstructionWriter.Write(w, instruction);
    }

    private Token NumberToken()
    {
        var token = _c.Peek();
        if (token.Kind is not (TokenKind.Nat or TokenKind.Int or TokenKind.Float)) _c.Unexpected(token);
        return _c.Next();
    }

    private ulong ParseIntConstant(int bits)
    {
        var token = NumberToken();
        if (!NumberParser.TryParseInt(_c.Lexer.SpanOf(token), bits, out ulong value)) _c.Fail("constant out of range", token);
        return value;
    }

    // select (result t*)*: with result clauses (even empty ones) it is the typed select.
    private void ParseSelect(WasmWriter w)
    {
        var types = new List<ValType>();
        bool typed = false;
        while (_c.TryForm("result"))
        {
            typed = true;
            while (!_c.Is(TokenKind.RParen)) types.Add(ParseValType());
            _c.ExpectRParen();
        }
        if (typed) InstructionWriter.WriteSelectTyped(w, types);
        else InstructionWriter.WriteOpcode(w, Opcode.Select);
    }

    // call_indirect tableidx? typeuse
    private void ParseCallIndirect(WasmWriter w, Opcode opcode)
    {
        uint table = ParseOptionalIndex(_tableSpace);
        uint type = ParseTypeUse([], [], null, allowNames: false, out _);
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, Index = type, Index2 = table });
    }

    // br_table l* l_default
    private void ParseBrTable(WasmWriter w)
    {
        var labels = new List<uint>();
        while (AtIndex()) labels.Add(ParseLabel());
        if (labels.Count == 0) _c.Unexpected(_c.Peek());
        uint defaultLabel = labels[^1];
        labels.RemoveAt(labels.Count - 1);
        InstructionWriter.WriteBrTable(w, labels, defaultLabel);
    }

    // ref.test/ref.cast reftype: the nullability of the type selects the opcode.
    private void ParseRefTestOrCast(WasmWriter w, Opcode nonNull, Opcode nullable)
    {
        var type = ParseRefType();
        InstructionWriter.Write(w, new Instruction { Opcode = type.Nullable ? nullable : nonNull, HeapType = type.Heap });
    }

    // v128.const shape lane*
    private void ParseV128Const(WasmWriter w, Token token)
    {
        var shapeToken = _c.Next();
        var shape = default(LaneShape);
        if (shapeToken.Kind != TokenKind.Keyword || !LaneShape.TryParse(_c.Text(shapeToken), out shape)) _c.Unexpected(shapeToken);
        var lanes = NumberTokens();
        var (lo, hi) = V128Literal.Parse(_c, shape, lanes, token);
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.V128Const, Value = lo, Value2 = hi });
    }

    private List<Token> NumberTokens()
    {
        var tokens = new List<Token>();
        while (_c.Peek().Kind is TokenKind.Nat or TokenKind.Int or TokenKind.Float) tokens.Add(_c.Next());
        return tokens;
    }

    // i8x16.shuffle laneidx^16
    private void ParseShuffle(WasmWriter w, Token token)
    {
        var lanes = NumberTokens();
        if (lanes.Count != 16) _c.Fail("invalid lane length", token);
        ulong lo = 0, hi = 0;
        for (int i = 0; i < 16; i++)
        {
            if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(lanes[i]), 8, out ulong lane)) _c.Fail("i8 constant out of range", lanes[i]);
            if (i < 8) lo |= lane << (8 * i);
            else hi |= lane << (8 * (i - 8));
        }
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.I8x16Shuffle, Value = lo, Value2 = hi });
    }

    // memory.init memidx? dataidx | table.init tableidx? elemidx: with two indices the first is the memory/table.
    private void ParseSegmentInit(WasmWriter w, Opcode opcode, IndexSpace target, IndexSpace segments)
    {
        if (opcode == Opcode.MemoryInit) _usesDataIndex = true;
        uint destination = 0;
        if (AtIndex() && _c.Peek(1).Kind is TokenKind.Nat or TokenKind.Id) destination = ParseIndex(target);
        uint segment = ParseIndex(segments);
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, Index = segment, Index2 = destination });
    }

    // memory.copy (memidx memidx)? | table.copy (tableidx tableidx)?
    private void ParseCopy(WasmWriter w, Opcode opcode, IndexSpace space)
    {
        uint destination = 0, source = 0;
        if (AtIndex())
        {
            destination = ParseIndex(space);
            source = ParseIndex(space);
        }
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, Index = destination, Index2 = source });
    }

    /// <summary>
    /// Parses <c>memidx? offset=N? align=N?</c> (and a lane index for the lane loads and stores). The alignment is
    /// stored as its exponent and defaults to the natural one.
    /// </summary>
    private Instruction ParseMemArg(Instruction instruction, OpcodeInfo info, bool laneIndex)
    {
        uint memory = 0;
        var next = _c.Peek();
        // Before a lane index a lone number is the lane, so a number is the memory only if more follows.
        if (next.Kind == TokenKind.Id || (next.Kind == TokenKind.Nat && (!laneIndex || _c.Peek(1).Kind == TokenKind.Nat || IsMemArgKeyword(_c.Peek(1)))))
        {
            memory = ParseIndex(_memorySpace);
        }
        ulong offset = 0;
        var token = _c.Peek();
        if (token.Kind == TokenKind.Keyword && _c.Lexer.SpanOf(token).StartsWith("offset="u8))
        {
            _c.Next();
            if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(token)[7..], 64, out offset)) _c.Fail("i64 constant out of range", token);
        }
        int alignment = info.NaturalAlignment;
        token = _c.Peek();
        if (token.Kind == TokenKind.Keyword && _c.Lexer.SpanOf(token).StartsWith("align="u8))
        {
            _c.Next();
            if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(token)[6..], 64, out ulong align)) _c.Fail("i64 constant out of range", token);
            if (!BitOperations.IsPow2(align)) _c.Fail("alignment must be a power of two", token);
            alignment = BitOperations.Log2(align);
        }
        instruction = instruction with { Index = memory, Value = offset, Byte = (byte)alignment };
        if (laneIndex) instruction = instruction with { Index2 = ParseLaneIndex() };
        return instruction;
    }

    private bool IsMemArgKeyword(Token token)
    {
        if (token.Kind != TokenKind.Keyword) return false;
        var text = _c.Lexer.SpanOf(token);
        return text.StartsWith("offset="u8) || text.StartsWith("align="u8);
    }

    private byte ParseLaneIndex()
    {
        var token = _c.Expect(TokenKind.Nat);
        if (!NumberParser.TryParseNat(_c.Lexer.SpanOf(token), 8, out ulong lane)) _c.Fail("i8 constant out of range", token);
        return (byte)lane;
    }
}
