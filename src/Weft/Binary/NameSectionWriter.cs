using Weft.Syntax;

namespace Weft.Binary;

/// <summary>Encodes a <see cref="NameSection"/> as the content of a "name" custom section (spec 7.4.1).</summary>
internal static class NameSectionWriter
{
    /// <summary>The content after the section name: the module, function and local name subsections that are non-empty.</summary>
    public static byte[] Encode(NameSection names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var output = new WasmWriter();
        var sub = new WasmWriter();
        if (names.ModuleName is { } moduleName)
        {
            sub.WriteName(moduleName);
            WriteSubsection(output, 0, sub);
        }
        if (names.FunctionNames.Count > 0)
        {
            sub.Clear();
            WriteNameMap(sub, names.FunctionNames);
            WriteSubsection(output, 1, sub);
        }
        if (names.LocalNames.Count > 0)
        {
            sub.Clear();
            sub.WriteU32((uint)names.LocalNames.Count);
            foreach (var (function, locals) in names.LocalNames.OrderBy(p => p.Key))
            {
                sub.WriteU32(function);
                WriteNameMap(sub, locals);
            }
            WriteSubsection(output, 2, sub);
        }
        return output.ToArray();
    }

    private static void WriteSubsection(WasmWriter output, byte id, WasmWriter content)
    {
        output.WriteByte(id);
        output.WriteByteString(content.WrittenSpan);
    }

    // Name maps are sorted by index, as the spec requires.
    private static void WriteNameMap(WasmWriter w, IReadOnlyDictionary<uint, string> map)
    {
        w.WriteU32((uint)map.Count);
        foreach (var (index, name) in map.OrderBy(p => p.Key))
        {
            w.WriteU32(index);
            w.WriteName(name);
        }
    }
}
