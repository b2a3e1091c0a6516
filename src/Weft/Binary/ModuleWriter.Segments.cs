using Weft.Syntax;

namespace Weft.Binary;

// Element and data segments, in the smallest form that reproduces them.
internal sealed partial class ModuleWriter
{
    private void WriteElements(WasmWriter w)
    {
        w.WriteU32((uint)_module.Elements.Count);
        foreach (var segment in _module.Elements) WriteElementSegment(w, segment);
    }

    // The function-index forms (0-3) decode to (ref func) segments of ref.func items, so they are used exactly when the
    // segment is one; otherwise the expression forms (4-7). Forms 0 and 4 are active in table 0 without a type
    // (4 implies (ref null func)).
    private static void WriteElementSegment(WasmWriter w, ElementSegment segment)
    {
        bool indices = segment.ElementType == ValType.Ref(HeapType.Func, nullable: false) && AllRefFunc(segment.Items);
        bool activeInTableZero = segment.Mode == SegmentMode.Active && segment.TableIndex == 0;
        uint form = segment.Mode switch
        {
            SegmentMode.Passive => 1u,
            SegmentMode.Declarative => 3u,
            _ => activeInTableZero && (indices || segment.ElementType == ValType.FuncRef) ? 0u : 2u,
        };
        if (!indices) form |= 4;
        w.WriteU32(form);
        if (segment.Mode == SegmentMode.Active)
        {
            if ((form & 2) != 0) w.WriteU32(segment.TableIndex);
            w.WriteBytes(RequireOffset(segment.Offset).Code.Span);
        }
        if ((form & 3) != 0)
        {
            if (indices) w.WriteByte(0x00); // element kind: funcref
            else w.WriteValType(segment.ElementType);
        }
        w.WriteU32((uint)segment.Items.Count);
        foreach (var item in segment.Items)
        {
            if (indices) w.WriteU32(RefFuncIndex(item.Code.Span));
            else w.WriteBytes(item.Code.Span);
        }
    }

    private static bool AllRefFunc(IReadOnlyList<ConstExpr> items)
    {
        foreach (var item in items)
        {
            if (!TryRefFuncIndex(item.Code.Span, out _)) return false;
        }
        return true;
    }

    private static uint RefFuncIndex(ReadOnlySpan<byte> code) => TryRefFuncIndex(code, out uint index) ? index : 0;

    // Whether the expression is exactly ref.func x; end.
    private static bool TryRefFuncIndex(ReadOnlySpan<byte> code, out uint index)
    {
        index = 0;
        if (code.Length < 3 || code[0] != (byte)Opcode.RefFunc || code[^1] != (byte)Opcode.End) return false;
        try
        {
            var reader = new InstructionReader(code);
            var first = reader.Read();
            var second = reader.Read();
            if (first.Opcode != Opcode.RefFunc || second.Opcode != Opcode.End || !reader.AtEnd) return false;
            index = first.Index;
            return true;
        }
        catch (MalformedModuleException)
        {
            return false;
        }
    }

    private static ConstExpr RequireOffset(ConstExpr? offset) =>
        offset ?? throw new InvalidOperationException("an active segment has no offset expression");

    private void WriteData(WasmWriter w)
    {
        w.WriteU32((uint)_module.Data.Count);
        foreach (var segment in _module.Data)
        {
            if (segment.Mode == SegmentMode.Passive)
            {
                w.WriteU32(1);
            }
            else if (segment.MemoryIndex == 0)
            {
                w.WriteU32(0);
                w.WriteBytes(RequireOffset(segment.Offset).Code.Span);
            }
            else
            {
                w.WriteU32(2);
                w.WriteU32(segment.MemoryIndex);
                w.WriteBytes(RequireOffset(segment.Offset).Code.Span);
            }
            w.WriteByteString(segment.Bytes.Span);
        }
    }
}
