using Weft.Syntax;

namespace Weft.Binary;

// The content of each non-custom section, mirroring ModuleReader.
internal sealed partial class ModuleWriter
{
    private void WriteTypes(WasmWriter w)
    {
        w.WriteU32((uint)_module.RecGroups.Count);
        foreach (var group in _module.RecGroups)
        {
            if (group.ExplicitRec || group.Types.Count != 1)
            {
                w.WriteByte(0x4E);
                w.WriteU32((uint)group.Types.Count);
            }
            foreach (var type in group.Types) WriteSubType(w, type);
        }
    }

    private static void WriteSubType(WasmWriter w, SubType type)
    {
        if (!type.IsPlain)
        {
            w.WriteByte(type.Final ? (byte)0x4F : (byte)0x50);
            w.WriteU32((uint)type.Supertypes.Count);
            foreach (uint super in type.Supertypes) w.WriteU32(super);
        }
        switch (type.Composite)
        {
            case FuncType func:
                w.WriteByte(0x60);
                WriteValTypes(w, func.Params);
                WriteValTypes(w, func.Results);
                break;
            case StructType structType:
                w.WriteByte(0x5F);
                w.WriteU32((uint)structType.Fields.Count);
                foreach (var field in structType.Fields) WriteFieldType(w, field);
                break;
            case ArrayType array:
                w.WriteByte(0x5E);
                WriteFieldType(w, array.Element);
                break;
            default:
                throw new InvalidOperationException($"unknown composite type {type.Composite.GetType().Name}");
        }
    }

    private static void WriteValTypes(WasmWriter w, IReadOnlyList<ValType> types)
    {
        w.WriteU32((uint)types.Count);
        foreach (var type in types) w.WriteValType(type);
    }

    private static void WriteFieldType(WasmWriter w, FieldType field)
    {
        w.WriteStorageType(field.Storage);
        w.WriteByte(field.Mutable ? (byte)1 : (byte)0);
    }

    private void WriteImports(WasmWriter w)
    {
        w.WriteU32((uint)_module.Imports.Count);
        foreach (var import in _module.Imports)
        {
            w.WriteName(import.ModuleName);
            w.WriteName(import.Name);
            w.WriteByte((byte)import.Type.Kind);
            switch (import.Type)
            {
                case FuncImportType func: w.WriteU32(func.TypeIndex); break;
                case TableType table: WriteTableType(w, table); break;
                case MemoryType memory: WriteMemoryType(w, memory); break;
                case GlobalType global: WriteGlobalType(w, global); break;
                case TagType tag: WriteTagType(w, tag); break;
                default: throw new InvalidOperationException($"unknown import type {import.Type.GetType().Name}");
            }
        }
    }

    private void WriteFunctions(WasmWriter w)
    {
        w.WriteU32((uint)_module.Functions.Count);
        foreach (uint type in _module.Functions) w.WriteU32(type);
    }

    private void WriteTables(WasmWriter w)
    {
        w.WriteU32((uint)_module.Tables.Count);
        foreach (var table in _module.Tables)
        {
            if (table.Init is null)
            {
                WriteTableType(w, table.Type);
                continue;
            }
            w.WriteByte(0x40);
            w.WriteByte(0x00);
            WriteTableType(w, table.Type);
            w.WriteBytes(table.Init.Code.Span);
        }
    }

    private static void WriteTableType(WasmWriter w, TableType table)
    {
        w.WriteValType(table.ElementType);
        WriteLimits(w, table.Limits);
    }

    private static void WriteLimits(WasmWriter w, Limits limits, int customFlag = 0)
    {
        int flags = (limits.Max is null ? 0 : 1) | (limits.Shared ? 2 : 0) | (limits.AddressType == AddressType.I64 ? 4 : 0) | customFlag;
        w.WriteByte((byte)flags);
        w.WriteU64(limits.Min);
        if (limits.Max is { } max) w.WriteU64(max);
    }

    // custom-page-sizes: flag bit 3 and the page size's log2 only when it is not the default, so ordinary modules
    // encode exactly as before.
    private static void WriteMemoryType(WasmWriter w, MemoryType memory)
    {
        WriteLimits(w, memory.Limits, memory.HasCustomPageSize ? 0x08 : 0);
        if (memory.HasCustomPageSize) w.WriteU32((uint)memory.PageSizeLog2);
    }

    private void WriteMemories(WasmWriter w)
    {
        w.WriteU32((uint)_module.Memories.Count);
        foreach (var memory in _module.Memories) WriteMemoryType(w, memory);
    }

    private void WriteTags(WasmWriter w)
    {
        w.WriteU32((uint)_module.Tags.Count);
        foreach (var tag in _module.Tags) WriteTagType(w, tag);
    }

    private static void WriteTagType(WasmWriter w, TagType tag)
    {
        w.WriteByte(0x00);
        w.WriteU32(tag.TypeIndex);
    }

    private static void WriteGlobalType(WasmWriter w, GlobalType global)
    {
        w.WriteValType(global.ValueType);
        w.WriteByte(global.Mutable ? (byte)1 : (byte)0);
    }

    private void WriteGlobals(WasmWriter w)
    {
        w.WriteU32((uint)_module.Globals.Count);
        foreach (var global in _module.Globals)
        {
            WriteGlobalType(w, global.Type);
            w.WriteBytes(global.Init.Code.Span);
        }
    }

    private void WriteExports(WasmWriter w)
    {
        w.WriteU32((uint)_module.Exports.Count);
        foreach (var export in _module.Exports)
        {
            w.WriteName(export.Name);
            w.WriteByte((byte)export.Kind);
            w.WriteU32(export.Index);
        }
    }

    private void WriteCodes(WasmWriter w)
    {
        w.WriteU32((uint)_module.Codes.Count);
        var body = new WasmWriter(256);
        foreach (var code in _module.Codes)
        {
            body.Clear();
            WriteLocals(body, code.Locals);
            w.WriteU32((uint)(body.Length + code.Code.Length));
            w.WriteBytes(body.WrittenSpan);
            w.WriteBytes(code.Code.Span);
        }
    }

    /// <summary>Encodes a body's local declarations (the runs of one type), as they start the body.</summary>
    internal static void WriteLocals(WasmWriter w, IReadOnlyList<LocalDecl> locals)
    {
        w.WriteU32((uint)locals.Count);
        foreach (var local in locals)
        {
            w.WriteU32(local.Count);
            w.WriteValType(local.Type);
        }
    }
}
