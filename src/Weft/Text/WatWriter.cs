using System.Globalization;
using System.Text;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Text;

/// <summary>
/// Writes a <see cref="Module"/> in the text format (for <c>weft wasm2wat</c>): every field in its plain form with
/// numeric indices, function bodies as flat instruction sequences. Parsing the output gives back the same module
/// for modules in canonical form (such as those the text parser produces).
/// </summary>
internal static partial class WatWriter
{
    /// <summary>Writes a module as text.</summary>
    public static string Write(Module module)
    {
        var text = new StringBuilder();
        text.Append("(module");
        if (module.Names?.ModuleName is { } moduleName) WriteNameAnnotation(text, moduleName);
        foreach (var group in module.RecGroups) WriteRecGroup(text, group);
        foreach (var import in module.Imports) WriteImport(text, import);
        uint firstDefined = (uint)module.ImportCount(ExternKind.Func);
        for (int i = 0; i < module.Functions.Count && i < module.Codes.Count; i++)
        {
            string? name = null;
            module.Names?.FunctionNames.TryGetValue(firstDefined + (uint)i, out name);
            WriteFunction(text, module.Functions[i], module.Codes[i], name);
        }
        foreach (var table in module.Tables)
        {
            text.Append("\n  (table ").Append(table.Type.Limits).Append(' ').Append(table.Type.ElementType);
            if (table.Init is { } init) WriteInlineExpr(text, init);
            text.Append(')');
        }
        foreach (var memory in module.Memories) text.Append("\n  (memory ").Append(memory.ToText()).Append(')');
        foreach (var tag in module.Tags) text.Append("\n  (tag (type ").Append(tag.TypeIndex).Append("))");
        foreach (var global in module.Globals)
        {
            text.Append("\n  (global ");
            WriteGlobalType(text, global.Type);
            WriteInlineExpr(text, global.Init);
            text.Append(')');
        }
        foreach (var export in module.Exports)
        {
            text.Append("\n  (export ");
            WriteString(text, Encoding.UTF8.GetBytes(export.Name));
            text.Append(" (").Append(KindName(export.Kind)).Append(' ').Append(export.Index).Append("))");
        }
        if (module.Start is { } start) text.Append("\n  (start ").Append(start).Append(')');
        foreach (var segment in module.Elements) WriteElementSegment(text, segment);
        foreach (var segment in module.Data) WriteDataSegment(text, segment);
        foreach (var custom in module.CustomSections) WriteCustom(text, custom);
        text.Append(")\n");
        return text.ToString();
    }

    private static void WriteRecGroup(StringBuilder text, RecGroup group)
    {
        bool rec = group.ExplicitRec || group.Types.Count != 1;
        if (rec) text.Append("\n  (rec");
        foreach (var type in group.Types)
        {
            text.Append(rec ? "\n    (type " : "\n  (type ").Append(type).Append(')');
        }
        if (rec) text.Append(')');
    }

    private static void WriteImport(StringBuilder text, Import import)
    {
        text.Append("\n  (import ");
        WriteString(text, Encoding.UTF8.GetBytes(import.ModuleName));
        text.Append(' ');
        WriteString(text, Encoding.UTF8.GetBytes(import.Name));
        text.Append(" (").Append(KindName(import.Type.Kind)).Append(' ');
        switch (import.Type)
        {
            case FuncImportType f: text.Append("(type ").Append(f.TypeIndex).Append(')'); break;
            case TableType t: text.Append(t.Limits).Append(' ').Append(t.ElementType); break;
            case MemoryType m: text.Append(m.ToText()); break;
            case GlobalType g: WriteGlobalType(text, g); break;
            case TagType t: text.Append("(type ").Append(t.TypeIndex).Append(')'); break;
        }
        text.Append("))");
    }

    private static void WriteGlobalType(StringBuilder text, GlobalType type)
    {
        if (type.Mutable) text.Append("(mut ").Append(type.ValueType).Append(')');
        else text.Append(type.ValueType);
    }

    private static string KindName(ExternKind kind) => kind switch
    {
        ExternKind.Func => "func",
        ExternKind.Table => "table",
        ExternKind.Memory => "memory",
        ExternKind.Global => "global",
        _ => "tag",
    };

    private static void WriteFunction(StringBuilder text, uint typeIndex, FunctionBody body, string? name)
    {
        text.Append("\n  (func");
        if (name is not null) WriteNameAnnotation(text, name);
        text.Append(" (type ").Append(typeIndex).Append(')');
        foreach (var local in body.Locals)
        {
            text.Append(" (local");
            for (uint i = 0; i < local.Count; i++) text.Append(' ').Append(local.Type);
            text.Append(')');
        }
        WriteInstructions(text, body.Code.Span, indent: 2);
        text.Append(')');
    }

    // A constant expression after a field's other parts, on the same line.
    private static void WriteInlineExpr(StringBuilder text, ConstExpr expr)
    {
        var line = new StringBuilder();
        WriteInstructions(line, expr.Code.Span, indent: -1);
        text.Append(line);
    }

    private static void WriteElementSegment(StringBuilder text, ElementSegment segment)
    {
        text.Append("\n  (elem");
        switch (segment.Mode)
        {
            case SegmentMode.Active:
                text.Append(" (table ").Append(segment.TableIndex).Append(") (offset");
                if (segment.Offset is { } offset) WriteInlineExpr(text, offset);
                text.Append(')');
                break;
            case SegmentMode.Declarative:
                text.Append(" declare");
                break;
        }
        text.Append(' ').Append(segment.ElementType);
        foreach (var item in segment.Items)
        {
            text.Append(" (item");
            WriteInlineExpr(text, item);
            text.Append(')');
        }
        text.Append(')');
    }

    private static void WriteDataSegment(StringBuilder text, DataSegment segment)
    {
        text.Append("\n  (data");
        if (segment.Mode == SegmentMode.Active)
        {
            text.Append(" (memory ").Append(segment.MemoryIndex).Append(") (offset");
            if (segment.Offset is { } offset) WriteInlineExpr(text, offset);
            text.Append(')');
        }
        text.Append(' ');
        WriteString(text, segment.Bytes.Span);
        text.Append(')');
    }

    // Custom sections keep their place: after the section with the recorded id (0: before all sections).
    private static void WriteCustom(StringBuilder text, CustomSection custom)
    {
        text.Append("\n  (@custom ");
        WriteString(text, Encoding.UTF8.GetBytes(custom.Name));
        string place = custom.After switch
        {
            0 => "(before first)",
            1 => "(after type)",
            2 => "(after import)",
            3 => "(after func)",
            4 => "(after table)",
            5 => "(after memory)",
            6 => "(after global)",
            7 => "(after export)",
            8 => "(after start)",
            9 => "(after elem)",
            10 => "(after code)",
            12 => "(after datacount)",
            13 => "(after tag)",
            _ => "(after data)",
        };
        text.Append(' ').Append(place).Append(' ');
        WriteString(text, custom.Data.Span);
        text.Append(')');
    }

    private static void WriteNameAnnotation(StringBuilder text, string name)
    {
        text.Append(" (@name ");
        WriteString(text, Encoding.UTF8.GetBytes(name));
        text.Append(')');
    }

    /// <summary>Writes bytes as a string literal: printable ASCII as is, everything else as <c>\hh</c>.</summary>
    private static void WriteString(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        text.Append('"');
        foreach (byte b in bytes)
        {
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') text.Append((char)b);
            else text.Append('\\').Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
        text.Append('"');
    }
}
