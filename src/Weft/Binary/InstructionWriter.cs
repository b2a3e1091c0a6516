using Weft.Syntax;

namespace Weft.Binary;

/// <summary>Encodes instructions into a <see cref="WasmWriter"/> (used by the text parser and the module writer).</summary>
internal static class InstructionWriter
{
    /// <summary>Writes an opcode (with its prefix and LEB128 sub-opcode if any).</summary>
    public static void WriteOpcode(WasmWriter writer, Opcode opcode)
    {
        int value = (int)opcode;
        if (value < 0x100)
        {
            writer.WriteByte((byte)value);
            return;
        }
        writer.WriteByte((byte)(value >> 12));
        writer.WriteU32((uint)(value & 0xFFF));
    }

    /// <summary>
    /// Writes an instruction whose immediates are all held in <paramref name="instruction"/>. Instructions with vector
    /// immediates (br_table, typed select, try_table) go through their own methods below.
    /// </summary>
    public static void Write(WasmWriter writer, in Instruction instruction)
    {
        var info = OpcodeTable.Get(instruction.Opcode);
        WriteOpcode(writer, instruction.Opcode);
        switch (info.Immediates)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                writer.WriteBlockType(instruction.BlockType);
                break;
            case ImmediateKind.Label:
            case ImmediateKind.Function:
            case ImmediateKind.Type:
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Table:
            case ImmediateKind.Tag:
            case ImmediateKind.Data:
            case ImmediateKind.Element:
            case ImmediateKind.Memory:
                writer.WriteU32(instruction.Index);
                break;
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
                writer.WriteU32(instruction.Index);
                writer.WriteU32(instruction.Index2);
                break;
            case ImmediateKind.I32:
                writer.WriteS32(instruction.I32);
                break;
            case ImmediateKind.I64:
                writer.WriteS64(instruction.I64);
                break;
            case ImmediateKind.F32:
                writer.WriteFixed32(instruction.F32Bits);
                break;
            case ImmediateKind.F64:
                writer.WriteFixed64(instruction.F64Bits);
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                writer.WriteFixed64(instruction.Value);
                writer.WriteFixed64(instruction.Value2);
                break;
            case ImmediateKind.HeapType:
                writer.WriteHeapType(instruction.HeapType);
                break;
            case ImmediateKind.BrOnCast:
                writer.WriteByte(instruction.Byte);
                writer.WriteU32(instruction.Index);
                writer.WriteHeapType(instruction.HeapType);
                writer.WriteHeapType(instruction.HeapType2);
                break;
            case ImmediateKind.MemArg:
                WriteMemArg(writer, instruction);
                break;
            case ImmediateKind.MemArgLane:
                WriteMemArg(writer, instruction);
                writer.WriteByte((byte)instruction.Index2);
                break;
            case ImmediateKind.Lane:
                writer.WriteByte(instruction.Byte);
                break;
            case ImmediateKind.Fence:
                writer.WriteByte(0);
                break;
            default:
                throw new InvalidOperationException($"{info.Name} has vector immediates; use its own writer method");
        }
    }

    private static void WriteMemArg(WasmWriter writer, in Instruction instruction)
    {
        if (instruction.Index == 0)
        {
            writer.WriteU32(instruction.Byte);
        }
        else
        {
            writer.WriteU32(instruction.Byte | 0x40u);
            writer.WriteU32(instruction.Index);
        }
        writer.WriteU64(instruction.Value);
    }

    /// <summary>Writes br_table.</summary>
    public static void WriteBrTable(WasmWriter writer, IReadOnlyList<uint> targets, uint defaultLabel)
    {
        WriteOpcode(writer, Opcode.BrTable);
        writer.WriteU32((uint)targets.Count);
        foreach (uint t in targets) writer.WriteU32(t);
        writer.WriteU32(defaultLabel);
    }

    /// <summary>Writes a typed select.</summary>
    public static void WriteSelectTyped(WasmWriter writer, IReadOnlyList<ValType> types)
    {
        WriteOpcode(writer, Opcode.SelectTyped);
        writer.WriteU32((uint)types.Count);
        foreach (var t in types) writer.WriteValType(t);
    }

    /// <summary>Writes try_table with its catch clauses.</summary>
    public static void WriteTryTable(WasmWriter writer, BlockType blockType, IReadOnlyList<CatchClause> clauses)
    {
        WriteOpcode(writer, Opcode.TryTable);
        writer.WriteBlockType(blockType);
        writer.WriteU32((uint)clauses.Count);
        foreach (var c in clauses)
        {
            writer.WriteByte((byte)c.Kind);
            if (c.Kind is CatchKind.Catch or CatchKind.CatchRef) writer.WriteU32(c.Tag);
            writer.WriteU32(c.Label);
        }
    }
}
