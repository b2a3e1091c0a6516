using System.CommandLine;
using Weft.Syntax;

namespace Weft.Cli;

/// <summary><c>weft inspect FILE</c>: what a module is made of: sections, types, imports and exports.</summary>
internal static class InspectCommand
{
    private static readonly string[] s_sectionNames =
        ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count", "tag"];

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The module: binary (.wasm) or text (.wat)." }.AcceptExistingOnly();
        var command = new Command("inspect", "Describe a module: its sections (binary modules), types, imports and exports.") { file };
        command.SetAction(parsed =>
        {
            var source = parsed.GetRequiredValue(file);
            var module = ModuleFiles.Load(source, parsed);
            if (module is null) return ExitCode.Failed;
            var o = parsed.InvocationConfiguration.Output;
            byte[] bytes = File.ReadAllBytes(source.FullName);
            o.WriteLine($"module: {source.Name} ({(WasmModule.IsBinary(bytes) ? "binary" : "text")}, {bytes.Length} bytes)");
            if (WasmModule.IsBinary(bytes))
            {
                o.WriteLine("sections:");
                foreach (var (id, offset, size, name) in Sections(bytes))
                {
                    string label = id < s_sectionNames.Length ? s_sectionNames[id] : $"unknown ({id})";
                    o.WriteLine($"  {label + (name is null ? "" : $" \"{name}\""),-24} offset {offset,8}  size {size,8}");
                }
            }
            var types = module.Types;
            o.WriteLine($"types ({types.Count}):");
            for (int i = 0; i < types.Count; i++) o.WriteLine($"  {i}: {types[i]}");
            var imports = module.Imports;
            o.WriteLine($"imports ({imports.Count}):");
            foreach (var i in imports) o.WriteLine($"  {Kind(i.Kind),-6} \"{i.Module}\" \"{i.Name}\" {i.Type}");
            var exports = module.Exports;
            o.WriteLine($"exports ({exports.Count}):");
            foreach (var e in exports) o.WriteLine($"  {Kind(e.Kind),-6} \"{e.Name}\" {e.Type}");
            o.WriteLine($"functions defined: {module.DefinedFunctionCount}");
            if (module.StartFunction is { } start) o.WriteLine($"start function: {start}");
            return ExitCode.Ok;
        });
        return command;
    }

    private static string Kind(ExternKind kind) => kind switch
    {
        ExternKind.Func => "func",
        ExternKind.Table => "table",
        ExternKind.Memory => "memory",
        ExternKind.Global => "global",
        _ => "tag",
    };

    /// <summary>The section headers of a binary module (already validated, so well-formed).</summary>
    private static IEnumerable<(int Id, int Offset, uint Size, string? Name)> Sections(byte[] bytes)
    {
        int at = 8;
        while (at < bytes.Length)
        {
            int id = bytes[at++];
            int start = at;
            uint size = ReadU32(bytes, ref at);
            int content = at;
            string? name = null;
            if (id == 0)
            {
                uint length = ReadU32(bytes, ref at);
                name = System.Text.Encoding.UTF8.GetString(bytes, at, (int)length);
            }
            yield return (id, start - 1, size, name);
            at = content + (int)size;
        }
    }

    private static uint ReadU32(byte[] bytes, ref int at)
    {
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[at++];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
    }
}
