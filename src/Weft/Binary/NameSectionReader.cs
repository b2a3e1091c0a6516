using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// Decodes the "name" custom section (spec 7.4.1): the module name, function names and local names. Custom sections
/// are never validated, so a malformed name section is not an error: it is simply not decoded.
/// </summary>
internal static class NameSectionReader
{
    /// <summary>The name section's subsection ids that Weft reads; others are skipped.</summary>
    private const byte ModuleSubsection = 0;
    private const byte FunctionSubsection = 1;
    private const byte LocalSubsection = 2;

    /// <summary>Decodes the first "name" section among <paramref name="customs"/>, or returns null if there is none or it is malformed.</summary>
    public static NameSection? Decode(IReadOnlyList<CustomSection> customs)
    {
        foreach (var custom in customs)
        {
            if (custom.Name == "name") return TryDecode(custom.Data.Span);
        }
        return null;
    }

    /// <summary>Decodes the content of a name section (after its name), or returns null if it is malformed.</summary>
    public static NameSection? TryDecode(ReadOnlySpan<byte> content)
    {
        try
        {
            return Decode(content);
        }
        catch (MalformedModuleException)
        {
            return null;
        }
    }

    private static NameSection Decode(ReadOnlySpan<byte> content)
    {
        var r = new WasmReader(content);
        string? moduleName = null;
        var functions = new Dictionary<uint, string>();
        var locals = new Dictionary<uint, IReadOnlyDictionary<uint, string>>();
        while (!r.AtEnd)
        {
            byte id = r.ReadByte();
            int size = r.ReadLength();
            var sub = new WasmReader(r.ReadBytes(size));
            switch (id)
            {
                case ModuleSubsection:
                    moduleName = sub.ReadName();
                    break;
                case FunctionSubsection:
                    ReadNameMap(ref sub, functions);
                    break;
                case LocalSubsection:
                    uint count = sub.ReadCount();
                    for (uint i = 0; i < count; i++)
                    {
                        uint function = sub.ReadU32();
                        var map = new Dictionary<uint, string>();
                        ReadNameMap(ref sub, map);
                        locals.TryAdd(function, map);
                    }
                    break;
                default:
                    continue; // other subsections (labels, types, ...) are not used; their content is skipped
            }
            if (!sub.AtEnd) sub.Fail("section size mismatch");
        }
        return new NameSection { ModuleName = moduleName, FunctionNames = functions, LocalNames = locals };
    }

    private static void ReadNameMap(ref WasmReader r, Dictionary<uint, string> map)
    {
        uint count = r.ReadCount();
        for (uint i = 0; i < count; i++)
        {
            uint index = r.ReadU32();
            map.TryAdd(index, r.ReadName());
        }
    }
}
