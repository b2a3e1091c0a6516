using System.Buffers.Binary;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// Decodes the binary format (spec 5.5) into a <see cref="Module"/>. Function bodies and constant expressions are kept
/// as slices of the decoder's own copy of the input, but every one of them is decoded in full here (instruction by
/// instruction, with its block structure), so that any encoding error is reported as malformed before validation.
/// </summary>
/// <remarks>
/// Like the reference decoder, the module is read as one stream: a section's declared size is checked after its
/// content has been read ("section size mismatch"), and reading past it is only an error at the end of the input.
/// That decides which message a broken module gets, and the spec tests match those messages.
/// </remarks>
internal sealed partial class ModuleReader
{
    private const uint Magic = 0x6D736100; // "\0asm"
    private const uint Version = 1;

    // The section ids of Wasm 3.0 in the order they must appear (the tag section sits between memory and global).
    private static ReadOnlySpan<byte> SectionOrder => [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

    private readonly byte[] _bytes;
    private readonly ReadOnlyMemory<byte> _memory;

    private readonly List<RecGroup> _recGroups = [];
    private readonly List<Import> _imports = [];
    private readonly List<uint> _functions = [];
    private readonly List<TableDefinition> _tables = [];
    private readonly List<MemoryType> _memories = [];
    private readonly List<TagType> _tags = [];
    private readonly List<GlobalDefinition> _globals = [];
    private readonly List<Export> _exports = [];
    private readonly List<ElementSegment> _elements = [];
    private DecodedBodies.Entry[] _codes = [];
    private readonly List<DataSegment> _data = [];
    private readonly List<CustomSection> _customs = [];
    private uint? _start;
    private uint? _dataCount;
    private bool _bodiesUseData;

    /// <summary>Whether limits flag bit 3 is custom-page-sizes' page size (true) or malformed, as in Wasm 3.0.</summary>
    private readonly bool _customPageSizes;

    private ModuleReader(byte[] bytes, bool customPageSizes = true)
    {
        _bytes = bytes;
        _memory = bytes;
        _customPageSizes = customPageSizes;
    }

    /// <summary>Decodes a module. The bytes are copied, so the caller may reuse the array.</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    public static Module Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Read(bytes.AsMemory());
    }

    /// <summary>Decodes a module. The bytes are copied once; the module's slices point into that copy.</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    public static Module Read(ReadOnlyMemory<byte> bytes) => new ModuleReader(bytes.ToArray()).ReadModule();

    /// <summary>
    /// Decodes a module from an array the caller hands over: it is not copied, and the module's slices point into it,
    /// so nobody may write to it afterwards. <c>WasmModule</c> owns the copy it made of its input; a second copy of a
    /// 10 MB module cost about an eighth of decode+validate (fresh pages, see docs/RATIONALE.md, issue 17).
    /// </summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    internal static Module ReadOwned(byte[] bytes) => new ModuleReader(bytes).ReadModule();

    /// <summary>
    /// Decodes a module by the Wasm 3.0 rules alone, without the custom-page-sizes proposal (limits flag bit 3 is then
    /// malformed): the script runner checks the 3.0 suite's assertions on that bit this way.
    /// </summary>
    internal static Module ReadWithoutCustomPageSizes(byte[] bytes) => new ModuleReader(bytes.ToArray(), customPageSizes: false).ReadModule();

    /// <summary>The position of a section id in <see cref="SectionOrder"/> (1-based), or 0 for custom sections.</summary>
    internal static int RankOf(byte id) => id == 0 ? 0 : SectionOrder.IndexOf(id) + 1;

    private Module ReadModule()
    {
        var r = new WasmReader(_bytes);
        if (BinaryPrimitives.ReadUInt32LittleEndian(r.ReadBytes(4)) != Magic) WasmReader.Fail("magic header not detected", 0);
        if (BinaryPrimitives.ReadUInt32LittleEndian(r.ReadBytes(4)) != Version) WasmReader.Fail("unknown binary version", 4);

        int lastRank = 0;
        byte lastId = 0;
        while (!r.AtEnd)
        {
            int idAt = r.Offset;
            byte id = _bytes[r.Position];
            if (id > 13) WasmReader.Fail("malformed section id", idAt);
            if (id != 0)
            {
                int rank = RankOf(id);
                // A section out of order (or repeated) is never read: the module simply has content after its end.
                if (rank <= lastRank) WasmReader.Fail("unexpected content after last section", _bytes.Length);
                lastRank = rank;
                lastId = id;
            }
            r.Position++;
            int size = r.ReadLength();
            int start = r.Position;
            ReadSection(ref r, id, size, lastId);
            if (r.Position != start + size) WasmReader.Fail("section size mismatch", start);
        }

        if (_functions.Count != _codes.Length)
        {
            WasmReader.Fail("function and code section have inconsistent lengths", _bytes.Length);
        }
        if (_dataCount is { } count && count != (uint)_data.Count)
        {
            WasmReader.Fail("data count and data section have inconsistent lengths", _bytes.Length);
        }
        if (_dataCount is null && _bodiesUseData) WasmReader.Fail("data count section required", _bytes.Length);

        return new Module
        {
            RecGroups = _recGroups.ToArray(),
            Imports = _imports.ToArray(),
            Functions = _functions.ToArray(),
            Tables = _tables.ToArray(),
            Memories = _memories.ToArray(),
            Tags = _tags.ToArray(),
            Globals = _globals.ToArray(),
            Exports = _exports.ToArray(),
            Start = _start,
            Elements = _elements.ToArray(),
            DataCount = _dataCount,
            Codes = new DecodedBodies(_bytes, _codes),
            Data = _data.ToArray(),
            CustomSections = _customs.ToArray(),
            Names = NameSectionReader.Decode(_customs),
        };
    }

    private void ReadSection(ref WasmReader r, byte id, int size, byte lastId)
    {
        switch (id)
        {
            case 0: ReadCustomSection(ref r, size, lastId); break;
            case 1: ReadTypeSection(ref r); break;
            case 2: ReadImportSection(ref r); break;
            case 3: ReadFunctionSection(ref r); break;
            case 4: ReadTableSection(ref r); break;
            case 5: ReadMemorySection(ref r); break;
            case 6: ReadGlobalSection(ref r); break;
            case 7: ReadExportSection(ref r); break;
            case 8: _start = r.ReadU32(); break;
            case 9: ReadElementSection(ref r); break;
            case 10: ReadCodeSection(ref r); break;
            case 11: ReadDataSection(ref r); break;
            case 12: _dataCount = r.ReadU32(); break;
            case 13: ReadTagSection(ref r); break;
        }
    }

    // spec 5.5.3: a custom section is a name and arbitrary bytes up to the section's end.
    private void ReadCustomSection(ref WasmReader r, int size, byte after)
    {
        int start = r.Position;
        string name = r.ReadName();
        int rest = size - (r.Position - start);
        if (rest < 0) WasmReader.Fail("unexpected end of section or function", _bytes.Length);
        int at = r.Position;
        r.Skip(rest);
        _customs.Add(new CustomSection(name, _memory.Slice(at, rest), after));
    }

    /// <summary>A slice of the decoder's copy of the input, given in module offsets.</summary>
    private ReadOnlyMemory<byte> Slice(int start, int end) => _memory[start..end];
}
