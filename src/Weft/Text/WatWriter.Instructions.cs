using System.Globalization;
using System.Text;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

// Function bodies and constant expressions, decoded and written as flat instruction sequences.
internal static partial class WatWriter
{
    /// <summary>
    /// Writes encoded instructions, leaving out the final <c>end</c>. With <paramref name="indent"/> -1 they go on
    /// the current line; otherwise one per line, nested blocks indented.
    /// </summary>
    private static void WriteInstructions(StringBuilder text, ReadOnlySpan<byte> code, int indent)
    {
        var reader = new InstructionReader(code);
        int depth = 0;
        while (!reader.AtEnd)
        {
            var instruction = reader.Read();
            var opcode = instruction.Opcode;
            if (opcode == Opcode.End && depth == 0 && reader.AtEnd) break;
            if (opcode is Opcode.End or Opcode.Delegate) depth--;
            bool outdent = opcode is Opcode.Else or Opcode.Catch or Opcode.CatchAll;
            if (indent < 0) text.Append(' ');
            else text.Append('\n').Append(' ', 2 * (indent + Math.Max(0, outdent ? depth - 1 : depth)));
            WriteInstruction(text, code, instruction);
            if (opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Try or Opcode.TryTable) depth++;
        }
    }

    private static void WriteInstruction(StringBuilder text, ReadOnlySpan<byte> code, in Instruction instruction)
    {
        var info = instruction.Info;
        text.Append(info.Name);
        switch (info.Immediates)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.BlockType:
                WriteBlockType(text, instruction.BlockType);
                break;
            case ImmediateKind.TryTable:
                WriteBlockType(text, instruction.BlockType);
                foreach (var clause in InstructionReader.CatchClauses(code, instruction))
                {
                    text.Append(clause.Kind switch
                    {
                        CatchKind.Catch => " (catch ",
                        CatchKind.CatchRef => " (catch_ref ",
                        CatchKind.CatchAll => " (catch_all ",
                        _ => " (catch_all_ref ",
                    });
                    if (clause.Kind is CatchKind.Catch or CatchKind.CatchRef) text.Append(clause.Tag).Append(' ');
                    text.Append(clause.Label).Append(')');
                }
                break;
            case ImmediateKind.BrTable:
                foreach (uint target in InstructionReader.BrTableTargets(code, instruction)) text.Append(' ').Append(target);
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.Label:
            case ImmediateKind.Function:
            case ImmediateKind.Type:
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Table:
            case ImmediateKind.Tag:
            case ImmediateKind.Memory:
            case ImmediateKind.Data:
            case ImmediateKind.Element:
                text.Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.CallIndirect:
                text.Append(' ').Append(instruction.Index2).Append(" (type ").Append(instruction.Index).Append(')');
                break;
            case ImmediateKind.MemoryInit:
            case ImmediateKind.TableInit:
                // The text names the memory or table first, the segment second.
                text.Append(' ').Append(instruction.Index2).Append(' ').Append(instruction.Index);
                break;
            case ImmediateKind.MemoryCopy:
            case ImmediateKind.TableCopy:
            case ImmediateKind.StructField:
            case ImmediateKind.ArrayNewFixed:
            case ImmediateKind.TypeData:
            case ImmediateKind.TypeElement:
            case ImmediateKind.TypeType:
                text.Append(' ').Append(instruction.Index).Append(' ').Append(instruction.Index2);
                break;
            case ImmediateKind.I32:
                text.Append(' ').Append(instruction.I32.ToString(CultureInfo.InvariantCulture));
                break;
            case ImmediateKind.I64:
                text.Append(' ').Append(instruction.I64.ToString(CultureInfo.InvariantCulture));
                break;
            case ImmediateKind.F32:
                text.Append(' ').Append(FormatF32(instruction.F32Bits));
                break;
            case ImmediateKind.F64:
                text.Append(' ').Append(FormatF64(instruction.F64Bits));
                break;
            case ImmediateKind.V128:
                text.Append(" i32x4");
                for (int lane = 0; lane < 4; lane++)
                {
                    ulong half = lane < 2 ? instruction.Value : instruction.Value2;
                    uint bits = (uint)(half >> (32 * (lane % 2)));
                    text.Append(" 0x").Append(bits.ToString("x8", CultureInfo.InvariantCulture));
                }
                break;
            case ImmediateKind.Shuffle:
                for (int lane = 0; lane < 16; lane++)
                {
                    ulong half = lane < 8 ? instruction.Value : instruction.Value2;
                    text.Append(' ').Append((byte)(half >> (8 * (lane % 8))));
                }
                break;
            case ImmediateKind.SelectTypes:
                text.Append(" (result");
                foreach (var type in InstructionReader.SelectTypes(code, instruction)) text.Append(' ').Append(type);
                text.Append(')');
                break;
            case ImmediateKind.HeapType:
                if (instruction.Opcode is Opcode.RefNull)
                {
                    text.Append(' ').Append(instruction.HeapType);
                }
                else
                {
                    bool nullable = instruction.Opcode is Opcode.RefTestNull or Opcode.RefCastNull;
                    text.Append(' ').Append(ValType.Ref(instruction.HeapType, nullable));
                }
                break;
            case ImmediateKind.BrOnCast:
                text.Append(' ').Append(instruction.Index)
                    .Append(' ').Append(ValType.Ref(instruction.HeapType, (instruction.Byte & 1) != 0))
                    .Append(' ').Append(ValType.Ref(instruction.HeapType2, (instruction.Byte & 2) != 0));
                break;
            case ImmediateKind.MemArg:
            case ImmediateKind.MemArgLane:
                if (instruction.Index != 0) text.Append(' ').Append(instruction.Index);
                if (instruction.Value != 0) text.Append(" offset=").Append(instruction.Value);
                if (instruction.Byte != info.NaturalAlignment) text.Append(" align=").Append(1UL << Math.Min((int)instruction.Byte, 63));
                if (info.Immediates == ImmediateKind.MemArgLane) text.Append(' ').Append(instruction.Index2);
                break;
            case ImmediateKind.Lane:
                text.Append(' ').Append(instruction.Byte);
                break;
        }
    }

    private static void WriteBlockType(StringBuilder text, BlockType type)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Value: text.Append(" (result ").Append(type.Type).Append(')'); break;
            case BlockTypeKind.TypeIndex: text.Append(" (type ").Append(type.TypeIndex).Append(')'); break;
        }
    }

    /// <summary>An f32 as text that parses back to the same bits: shortest round-trip decimal, or inf/nan.</summary>
    internal static string FormatF32(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        string sign = (bits & 0x8000_0000) != 0 ? "-" : "";
        if (float.IsNaN(value)) return sign + "nan:0x" + (bits & 0x7F_FFFF).ToString("x", CultureInfo.InvariantCulture);
        if (float.IsInfinity(value)) return sign + "inf";
        return sign + Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>An f64 as text that parses back to the same bits.</summary>
    internal static string FormatF64(ulong bits)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);
        string sign = (bits & 0x8000_0000_0000_0000) != 0 ? "-" : "";
        if (double.IsNaN(value)) return sign + "nan:0x" + (bits & 0xF_FFFF_FFFF_FFFF).ToString("x", CultureInfo.InvariantCulture);
        if (double.IsInfinity(value)) return sign + "inf";
        return sign + Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
    }
}
