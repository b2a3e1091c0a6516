using Weft.Syntax;

namespace Weft.Binary;

// spec 5.5.12 and 5.5.14: element and data segments.
internal sealed partial class ModuleReader
{
    // Element segment forms (a u32 0..7): bit 0 = passive or declarative, bit 1 = explicit table index (when active) or
    // declarative (when not), bit 2 = expressions rather than function indices.
    private void ReadElementSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++) _elements.Add(ReadElementSegment(ref r));
    }

    private ElementSegment ReadElementSegment(ref WasmReader r)
    {
        uint form = r.ReadU32();
        if (form > 7) WasmReader.Fail("malformed elements segment kind", r.Offset - 1);
        bool passiveOrDeclarative = (form & 1) != 0;
        bool expressions = (form & 4) != 0;
        var mode = !passiveOrDeclarative ? SegmentMode.Active : (form & 2) != 0 ? SegmentMode.Declarative : SegmentMode.Passive;
        uint table = 0;
        ConstExpr? offset = null;
        if (mode == SegmentMode.Active)
        {
            if ((form & 2) != 0) table = r.ReadU32();
            offset = ReadConstExpr(ref r);
        }

        ValType elementType;
        if ((form & 3) == 0)
        {
            // Forms 0 and 4 have no type: function indices are (ref func), expressions (ref null func).
            elementType = expressions ? ValType.FuncRef : ValType.Ref(HeapType.Func, nullable: false);
        }
        else if (expressions)
        {
            elementType = r.ReadRefType();
        }
        else
        {
            if (r.ReadByte() != 0x00) WasmReader.Fail("malformed element kind", r.Offset - 1);
            elementType = ValType.Ref(HeapType.Func, nullable: false);
        }

        var items = expressions ? ReadElementExpressions(ref r) : ReadFunctionIndices(ref r);
        return new ElementSegment(mode, table, offset, elementType, items);
    }

    private ConstExpr[] ReadElementExpressions(ref WasmReader r)
    {
        uint count = r.ReadCount();
        var items = new List<ConstExpr>();
        for (uint i = 0; i < count; i++) items.Add(ReadConstExpr(ref r));
        return items.ToArray();
    }

    // A vector of function indices becomes ref.func expressions, encoded into one buffer that the items share.
    private static ConstExpr[] ReadFunctionIndices(ref WasmReader r)
    {
        uint count = r.ReadCount();
        if (count == 0) return [];
        var writer = new WasmWriter((int)Math.Min(count * 4, 1 << 16));
        var starts = new List<(int Start, int Offset)>();
        for (uint i = 0; i < count; i++)
        {
            int offset = r.Offset;
            uint function = r.ReadU32();
            starts.Add((writer.Length, offset));
            InstructionWriter.Write(writer, new Instruction { Opcode = Opcode.RefFunc, Index = function });
            InstructionWriter.WriteOpcode(writer, Opcode.End);
        }
        ReadOnlyMemory<byte> code = writer.ToArray();
        var items = new ConstExpr[starts.Count];
        for (int i = 0; i < items.Length; i++)
        {
            int end = i + 1 < items.Length ? starts[i + 1].Start : code.Length;
            items[i] = new ConstExpr(code[starts[i].Start..end], starts[i].Offset);
        }
        return items;
    }

    private void ReadDataSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++) _data.Add(ReadDataSegment(ref r));
    }

    // Data segment forms: 0 = active in memory 0, 1 = passive, 2 = active with a memory index.
    private DataSegment ReadDataSegment(ref WasmReader r)
    {
        uint form = r.ReadU32();
        if (form > 2) WasmReader.Fail("malformed data segment kind", r.Offset - 1);
        uint memory = form == 2 ? r.ReadU32() : 0;
        var offset = form == 1 ? null : ReadConstExpr(ref r);
        int length = r.ReadLength();
        int start = r.Position;
        r.Skip(length);
        return new DataSegment(form == 1 ? SegmentMode.Passive : SegmentMode.Active, memory, offset, Slice(start, start + length));
    }
}
