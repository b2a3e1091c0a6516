using Weft.Syntax;

namespace Weft.Binary;

// spec 5.5.5-5.5.10 and the tag section: imports, functions, tables, memories, tags, globals, exports.
internal sealed partial class ModuleReader
{
    private void ReadImportSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++)
        {
            string module = r.ReadName();
            string name = r.ReadName();
            _imports.Add(new Import(module, name, ReadExternType(ref r)));
        }
    }

    private ExternType ReadExternType(ref WasmReader r)
    {
        byte kind = r.ReadByte();
        switch (kind)
        {
            case 0: return new FuncImportType(ReadTypeIndex(ref r));
            case 1: return ReadTableType(ref r);
            case 2: return ReadMemoryType(ref r);
            case 3: return ReadGlobalType(ref r);
            case 4: return ReadTagType(ref r);
            default:
                WasmReader.Fail("malformed import kind", r.Offset - 1);
                return null;
        }
    }

    private void ReadFunctionSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        _functions.EnsureCapacity(_functions.Count + (int)count); // bounded: ReadCount checked it against the bytes left
        for (uint i = 0; i < count; i++) _functions.Add(r.ReadU32());
    }

    private void ReadTableSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++) _tables.Add(ReadTable(ref r));
    }

    // A table is a table type, or 0x40 0x00, a table type and an initializer expression. The reference decoder tries
    // the second form and falls back to the first on any error, so an error anywhere in the second form is reported as
    // the first form's: the 0x40 is not a reference type.
    private TableDefinition ReadTable(ref WasmReader r)
    {
        if (r.Peek() != 0x40) return new TableDefinition(ReadTableType(ref r), null);
        int at = r.Offset;
        try
        {
            r.Position++;
            if (r.ReadByte() != 0x00) WasmReader.Fail("zero byte expected", r.Offset - 1);
            var type = ReadTableType(ref r);
            return new TableDefinition(type, ReadConstExpr(ref r));
        }
        catch (MalformedModuleException)
        {
            WasmReader.Fail("malformed reference type", at);
            return null;
        }
    }

    private static TableType ReadTableType(ref WasmReader r)
    {
        var element = r.ReadRefType();
        return new TableType(element, ReadLimits(ref r, allowShared: false));
    }

    private void ReadMemorySection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++) _memories.Add(ReadMemoryType(ref r));
    }

    // spec 5.3.10: flags bit 0 = has maximum, bit 2 = i64 addresses. Bit 1 (shared, from the threads proposal) is
    // accepted for memories only and left for the validator to judge; so is bit 3 (custom-page-sizes: a u32 log2 of
    // the page size follows the bounds). Both bounds are u64 whatever the address type; the validator checks their
    // range.
    private static Limits ReadLimits(ref WasmReader r, bool allowShared) => ReadLimits(ref r, allowShared ? 0x07 : 0x05, out _);

    private static Limits ReadLimits(ref WasmReader r, int allowed, out int pageSizeLog2)
    {
        int at = r.Offset;
        byte flags = r.ReadByte();
        if ((flags & ~allowed) != 0) WasmReader.Fail("malformed limits flags", at);
        ulong min = r.ReadU64();
        ulong? max = (flags & 0x01) != 0 ? r.ReadU64() : null;
        var addressType = (flags & 0x04) != 0 ? AddressType.I64 : AddressType.I32;
        pageSizeLog2 = MemoryType.DefaultPageSizeLog2;
        if ((flags & 0x08) != 0)
        {
            int pageAt = r.Offset;
            uint log2 = r.ReadU32();
            // A page size that does not fit a u64 is malformed; other powers of two are the validator's to refuse.
            if (log2 >= 64) WasmReader.Fail("invalid custom page size", pageAt);
            pageSizeLog2 = (int)log2;
        }
        return new Limits(addressType, min, max, Shared: (flags & 0x02) != 0);
    }

    private MemoryType ReadMemoryType(ref WasmReader r)
    {
        var limits = ReadLimits(ref r, _customPageSizes ? 0x0F : 0x07, out int pageSizeLog2);
        return new MemoryType(limits, pageSizeLog2);
    }

    private void ReadTagSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++) _tags.Add(ReadTagType(ref r));
    }

    // A tag type is an attribute byte (0 = exception, the only kind) and a function type index.
    private static TagType ReadTagType(ref WasmReader r)
    {
        if (r.ReadByte() != 0x00) WasmReader.Fail("zero byte expected", r.Offset - 1);
        return new TagType(ReadTypeIndex(ref r));
    }

    private static GlobalType ReadGlobalType(ref WasmReader r)
    {
        var type = r.ReadValType();
        return new GlobalType(type, r.ReadMutability());
    }

    private void ReadGlobalSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++)
        {
            var type = ReadGlobalType(ref r);
            _globals.Add(new GlobalDefinition(type, ReadConstExpr(ref r)));
        }
    }

    private void ReadExportSection(ref WasmReader r)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++)
        {
            string name = r.ReadName();
            byte kind = r.ReadByte();
            if (kind > 4) WasmReader.Fail("malformed export kind", r.Offset - 1);
            _exports.Add(new Export(name, (ExternKind)kind, r.ReadU32()));
        }
    }
}
