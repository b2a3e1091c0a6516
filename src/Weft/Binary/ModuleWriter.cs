using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// Encodes a <see cref="Module"/> in the binary format, canonically: smallest LEB128s, non-empty sections only, in the
/// spec's order, custom sections put back after the section recorded in <see cref="CustomSection.After"/> (the branch
/// hint section at the latest just before the code section). Function bodies and constant expressions are written
/// verbatim. For every module the reader accepts, <c>Write(Read(Write(m)))</c> equals <c>Write(m)</c>.
/// </summary>
internal sealed partial class ModuleWriter
{
    private readonly Module _module;
    private readonly WasmWriter _out;
    private readonly WasmWriter _section = new(1024);
    private readonly bool[] _customWritten;

    private ModuleWriter(Module module)
    {
        _module = module;
        _customWritten = new bool[module.CustomSections.Count];
        _out = new WasmWriter(EstimateSize(module));
    }

    /// <summary>Encodes a module.</summary>
    public static byte[] Write(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new ModuleWriter(module).WriteModule();
    }

    private static int EstimateSize(Module module)
    {
        long size = 64;
        foreach (var body in module.Codes) size += body.Code.Length + 8;
        foreach (var data in module.Data) size += data.Bytes.Length + 8;
        foreach (var custom in module.CustomSections) size += custom.Data.Length + custom.Name.Length + 8;
        return (int)Math.Min(size, int.MaxValue / 2);
    }

    private byte[] WriteModule()
    {
        _out.WriteBytes("\0asm"u8);
        _out.WriteBytes([1, 0, 0, 0]);
        var m = _module;
        if (m.RecGroups.Count > 0) WriteSection(1, WriteTypes);
        if (m.Imports.Count > 0) WriteSection(2, WriteImports);
        if (m.Functions.Count > 0) WriteSection(3, WriteFunctions);
        if (m.Tables.Count > 0) WriteSection(4, WriteTables);
        if (m.Memories.Count > 0) WriteSection(5, WriteMemories);
        if (m.Tags.Count > 0) WriteSection(13, WriteTags);
        if (m.Globals.Count > 0) WriteSection(6, WriteGlobals);
        if (m.Exports.Count > 0) WriteSection(7, WriteExports);
        if (m.Start is { } start) WriteSection(8, w => w.WriteU32(start));
        if (m.Elements.Count > 0) WriteSection(9, WriteElements);
        if ((m.DataCount ?? (BodiesUseData(m) || HasCustomSectionAfter(m, 12) ? (uint)m.Data.Count : null)) is { } dataCount) WriteSection(12, w => w.WriteU32(dataCount));
        if (m.Codes.Count > 0) WriteSection(10, WriteCodes);
        if (m.Data.Count > 0) WriteSection(11, WriteData);
        WriteCustomSectionsBefore(int.MaxValue);
        if (m.Names is { } names && !HasCustomSection(m, "name")) WriteCustomSection("name", NameSectionWriter.Encode(names));
        return _out.ToArray();
    }

    // Like the reference encoder: a module whose code names data segments gets a data count section even if none was
    // recorded (as from a text module), since the decoder requires one then.
    private static bool BodiesUseData(Module module)
    {
        foreach (var body in module.Codes)
        {
            ExpressionScanner.Scan(body.Code.Span, 0, out bool usesData);
            if (usesData) return true;
        }
        return false;
    }

    // A custom section recorded after the data count section keeps it, even when the module has no recorded count (a
    // text module never has one): without it the section would read back as placed after an earlier section, and a
    // binary -> text -> binary round trip would move it (found by the differential fuzzer's round trips).
    private static bool HasCustomSectionAfter(Module module, byte id)
    {
        foreach (var custom in module.CustomSections)
        {
            if (custom.After == id) return true;
        }
        return false;
    }

    private static bool HasCustomSection(Module module, string name)
    {
        foreach (var custom in module.CustomSections)
        {
            if (custom.Name == name) return true;
        }
        return false;
    }

    // Writes a section with its size; the custom sections placed before it go first.
    private void WriteSection(byte id, Action<WasmWriter> content)
    {
        WriteCustomSectionsBefore(ModuleReader.RankOf(id));
        _section.Clear();
        content(_section);
        _out.WriteByte(id);
        _out.WriteU32((uint)_section.Length);
        _out.WriteBytes(_section.WrittenSpan);
    }

    // A custom section recorded after section X goes before the first written section that comes later than X.
    private void WriteCustomSectionsBefore(int rank)
    {
        var customs = _module.CustomSections;
        for (int i = 0; i < customs.Count; i++)
        {
            if (_customWritten[i] || PlacementRank(customs[i]) >= rank) continue;
            _customWritten[i] = true;
            WriteCustomSection(customs[i].Name, customs[i].Data.Span);
        }
    }

    // The rank of the section a custom section follows. The branch hint section must precede the code section (its
    // offsets point into code that an engine may compile as it streams), wherever it was recorded.
    private static int PlacementRank(CustomSection custom)
    {
        int after = ModuleReader.RankOf(custom.After);
        return custom.Name == BranchHintSection.Name ? Math.Min(after, s_beforeCode) : after;
    }

    private static readonly int s_beforeCode = ModuleReader.RankOf(10) - 1;

    private void WriteCustomSection(string name, ReadOnlySpan<byte> data)
    {
        _section.Clear();
        _section.WriteName(name);
        _section.WriteBytes(data);
        _out.WriteByte(0);
        _out.WriteU32((uint)_section.Length);
        _out.WriteBytes(_section.WrittenSpan);
    }
}
