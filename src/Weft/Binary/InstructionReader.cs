using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// Decodes the instructions of an encoded expression one at a time, with no allocation. It checks the encoding only
/// (opcodes, immediates, LEB128 ranges); block structure and types are the validator's business.
/// </summary>
[SkipLocalsInit]
internal ref struct InstructionReader
{
    private WasmReader _reader;

    /// <summary>Creates a reader over encoded instructions whose first byte is at <paramref name="baseOffset"/> in the module.</summary>
    public InstructionReader(ReadOnlySpan<byte> code, int baseOffset = 0)
    {
        _reader = new WasmReader(code, baseOffset);
    }

    /// <summary>Whether all bytes have been consumed.</summary>
    public readonly bool AtEnd => _reader.AtEnd;

    /// <summary>The current position within the code.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>Moves to <paramref name="position"/>, the start of an instruction read before (the compiler reads a loop twice).</summary>
    public void Seek(int position) => _reader.Position = position;

    /// <summary>The module offset of a position within the code.</summary>
    public readonly int OffsetOf(int position) => _reader.BaseOffset + position;

    /// <summary>The code being read.</summary>
    public readonly ReadOnlySpan<byte> Code => _reader.Data;

    /// <summary>Decodes the next instruction.</summary>
    public Instruction Read()
    {
        Read(out var instruction);
        return instruction;
    }

    /// <summary>
    /// Decodes the next instruction into <paramref name="instruction"/>. Hot loops (the validator, the compiler) use this
    /// form: the instruction is built in place instead of being copied out through return values.
    /// </summary>
    public void Read(out Instruction instruction)
    {
        int position = _reader.Position;
        var data = _reader.Data;
        if ((uint)position < (uint)data.Length)
        {
            // Fast path for the bulk of real code: one-byte opcodes with no immediate or one one-byte index.
            int opcode = data[position];
            switch (s_fastShapes[opcode])
            {
                case FastShape.NoImmediates:
                    _reader.Position = position + 1;
                    instruction = new Instruction { Opcode = (Opcode)opcode, Position = position };
                    return;
                case FastShape.ByteIndex when (uint)(position + 1) < (uint)data.Length && data[position + 1] < 0x80:
                    _reader.Position = position + 2;
                    instruction = new Instruction { Opcode = (Opcode)opcode, Position = position, Index = data[position + 1] };
                    return;
                case FastShape.Block when (uint)(position + 1) < (uint)data.Length && data[position + 1] == 0x40:
                    _reader.Position = position + 2;
                    instruction = new Instruction { Opcode = (Opcode)opcode, Position = position };
                    return;
            }
        }
        ReadSlow(out instruction);
    }

    private enum FastShape : byte
    {
        Other,
        NoImmediates,
        ByteIndex,
        Block,
    }

    private static readonly FastShape[] s_fastShapes = ComputeFastShapes();

    private static FastShape[] ComputeFastShapes()
    {
        var shapes = new FastShape[256];
        for (int code = 0; code < 256; code++)
        {
            if (OpcodeTable.IsPrefix(code)) continue;
            if (OpcodeTable.Single(code) is not { } info) continue;
            shapes[code] = info.Immediates switch
            {
                ImmediateKind.None => FastShape.NoImmediates,
                ImmediateKind.Label or ImmediateKind.Function or ImmediateKind.Local or ImmediateKind.Global
                    or ImmediateKind.Table or ImmediateKind.Tag or ImmediateKind.Memory => FastShape.ByteIndex,
                ImmediateKind.BlockType => FastShape.Block, // with the empty block type 0x40 (BlockType.Empty is the default)
                _ => FastShape.Other,
            };
        }
        return shapes;
    }

    private void ReadSlow(out Instruction instruction)
    {
        int position = _reader.Position;
        int first = _reader.ReadByte();
        OpcodeInfo info;
        if (OpcodeTable.IsPrefix(first))
        {
            uint sub = _reader.ReadU32();
            var found = OpcodeTable.Prefixed(first, sub);
            if (found is null) FailIllegal(position, first, sub);
            info = found.Value;
        }
        else
        {
            var found = OpcodeTable.Single(first);
            if (found is null) FailIllegal(position, first, null);
            info = found.Value;
        }
        ReadImmediates(info, position, out instruction);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailIllegal(int position, int first, uint? sub) => WasmReader.Fail(sub is null ? $"illegal opcode {first:x2}" : $"illegal opcode {first:x2} {sub:x2}", _reader.BaseOffset + position);

    private void ReadImmediates(in OpcodeInfo info, int position, out Instruction result)
    {
        var op = info.Opcode;
        switch (info.Immediates)
        {
            case ImmediateKind.None:
                result = new Instruction { Opcode = op, Position = position };
                return;
            case ImmediateKind.BlockType:
                result = new Instruction { Opcode = op, Position = position, BlockType = _reader.ReadBlockType() };
                return;
            case ImmediateKind.TryTable:
            {
                var bt = _reader.ReadBlockType();
                uint count = _reader.ReadCount();
                int start = _reader.Position;
                for (uint i = 0; i < count; i++) ReadCatchClause(ref _reader);
                result = new Instruction { Opcode = op, Position = position, BlockType = bt, VectorOffset = start, VectorCount = count };
                return;
            }
            case ImmediateKind.BrTable:
            {
                uint count = _reader.ReadCount();
                int start = _reader.Position;
                for (uint i = 0; i < count; i++) _reader.ReadU32();
                uint defaultLabel = _reader.ReadU32();
                result = new Instruction { Opcode = op, Position = position, Index = defaultLabel, VectorOffset = start, VectorCount = count };
                return;
            }
            case ImmediateKind.Label:
            case ImmediateKind.Function:
            case ImmediateKind.Type:
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Table:
            case ImmediateKind.Tag:
            case ImmediateKind.Data:
            case ImmediateKind.Element:
                result = new Instruction { Opcode = op, Position = position, Index = _reader.ReadU32() };
                return;
            case ImmediateKind.Memory:
                result = new Instruction { Opcode = op, Position = position, Index = _reader.ReadU32() };
                return;
            case ImmediateKind.CallIndirect:
            case ImmediateKind.MemoryCopy:
            case ImmediateKind.MemoryInit:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
            case ImmediateKind.StructField:
            case ImmediateKind.ArrayNewFixed:
            case ImmediateKind.TypeData:
            case ImmediateKind.TypeElement:
            case ImmediateKind.TypeType:
            {
                uint a = _reader.ReadU32();
                uint b = _reader.ReadU32();
                result = new Instruction { Opcode = op, Position = position, Index = a, Index2 = b };
                return;
            }
            case ImmediateKind.I32:
                result = new Instruction { Opcode = op, Position = position, Value = (ulong)(long)_reader.ReadS32() };
                return;
            case ImmediateKind.I64:
                result = new Instruction { Opcode = op, Position = position, Value = (ulong)_reader.ReadS64() };
                return;
            case ImmediateKind.F32:
                result = new Instruction { Opcode = op, Position = position, Value = _reader.ReadFixed32() };
                return;
            case ImmediateKind.F64:
                result = new Instruction { Opcode = op, Position = position, Value = _reader.ReadFixed64() };
                return;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
            {
                ulong lo = _reader.ReadFixed64();
                ulong hi = _reader.ReadFixed64();
                result = new Instruction { Opcode = op, Position = position, Value = lo, Value2 = hi };
                return;
            }
            case ImmediateKind.SelectTypes:
            {
                uint count = _reader.ReadCount();
                int start = _reader.Position;
                for (uint i = 0; i < count; i++) _reader.ReadValType();
                result = new Instruction { Opcode = op, Position = position, VectorOffset = start, VectorCount = count };
                return;
            }
            case ImmediateKind.HeapType:
                result = new Instruction { Opcode = op, Position = position, HeapType = _reader.ReadHeapType() };
                return;
            case ImmediateKind.BrOnCast:
            {
                int flagsAt = _reader.Offset;
                byte flags = _reader.ReadByte();
                if ((flags & 0xFC) != 0) WasmReader.Fail("malformed br_on_cast flags", flagsAt);
                uint label = _reader.ReadU32();
                var ht1 = _reader.ReadHeapType();
                var ht2 = _reader.ReadHeapType();
                result = new Instruction { Opcode = op, Position = position, Byte = flags, Index = label, HeapType = ht1, HeapType2 = ht2 };
                return;
            }
            case ImmediateKind.MemArg:
            {
                ReadMemArg(out uint memory, out byte align, out ulong offset);
                result = new Instruction { Opcode = op, Position = position, Index = memory, Byte = align, Value = offset };
                return;
            }
            case ImmediateKind.MemArgLane:
            {
                ReadMemArg(out uint memory, out byte align, out ulong offset);
                byte lane = _reader.ReadByte();
                result = new Instruction { Opcode = op, Position = position, Index = memory, Byte = align, Value = offset, Index2 = lane };
                return;
            }
            case ImmediateKind.Lane:
                result = new Instruction { Opcode = op, Position = position, Byte = _reader.ReadByte() };
                return;
            case ImmediateKind.Fence:
            {
                int at = _reader.Offset;
                if (_reader.ReadByte() != 0) WasmReader.Fail("malformed fence", at);
                result = new Instruction { Opcode = op, Position = position };
                return;
            }
            default:
                throw new InvalidOperationException($"unhandled immediate kind {info.Immediates}");
        }
    }

    private void ReadMemArg(out uint memory, out byte align, out ulong offset)
    {
        int start = _reader.Offset;
        uint flags = _reader.ReadU32();
        if (flags >= 0x80) WasmReader.Fail("malformed memop flags", start);
        memory = (flags & 0x40) != 0 ? _reader.ReadU32() : 0;
        align = (byte)(flags & 0x3F);
        offset = _reader.ReadU64();
    }

    private static CatchClause ReadCatchClause(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte kind = reader.ReadByte();
        switch (kind)
        {
            case 0 or 1:
            {
                uint tag = reader.ReadU32();
                uint label = reader.ReadU32();
                return new CatchClause((CatchKind)kind, tag, label);
            }
            case 2 or 3:
                return new CatchClause((CatchKind)kind, 0, reader.ReadU32());
            default:
                WasmReader.Fail("malformed catch clause", at);
                return default;
        }
    }

    /// <summary>The targets of a br_table (without the default, which is <see cref="Instruction.Index"/>).</summary>
    public static uint[] BrTableTargets(ReadOnlySpan<byte> code, in Instruction instruction)
    {
        var reader = new WasmReader(code);
        reader.Position = instruction.VectorOffset;
        var targets = new uint[instruction.VectorCount];
        for (int i = 0; i < targets.Length; i++) targets[i] = reader.ReadU32();
        return targets;
    }

    /// <summary>The value types of a typed select.</summary>
    public static ValType[] SelectTypes(ReadOnlySpan<byte> code, in Instruction instruction)
    {
        var reader = new WasmReader(code);
        reader.Position = instruction.VectorOffset;
        var types = new ValType[instruction.VectorCount];
        for (int i = 0; i < types.Length; i++) types[i] = reader.ReadValType();
        return types;
    }

    /// <summary>The catch clauses of a try_table.</summary>
    public static CatchClause[] CatchClauses(ReadOnlySpan<byte> code, in Instruction instruction)
    {
        var reader = new WasmReader(code);
        reader.Position = instruction.VectorOffset;
        var clauses = new CatchClause[instruction.VectorCount];
        for (int i = 0; i < clauses.Length; i++) clauses[i] = ReadCatchClause(ref reader);
        return clauses;
    }
}
