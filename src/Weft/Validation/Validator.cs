using System.Globalization;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Validates a module (spec 3.4.10 "modules") and produces the <see cref="ValidModule"/> the compiler and runtime
/// work from. The checks run in the order of the reference interpreter, so a module with several problems reports
/// the one the test suite expects: types, imports, tags, functions, memories, tables, globals, data, elements,
/// function bodies, start, exports.
/// </summary>
internal static class Validator
{
    /// <summary>Validates <paramref name="module"/> in the default engine; throws <see cref="InvalidModuleException"/> with the spec's message.</summary>
    public static ValidModule Validate(Module module) => Validate(module, Engine.Default.Types);

    /// <summary>
    /// Validates <paramref name="module"/> against the canonical types of <paramref name="registry"/>; throws
    /// <see cref="InvalidModuleException"/> with the spec's message. A rejected module leaves no types behind.
    /// </summary>
    public static ValidModule Validate(Module module, TypeRegistry registry)
    {
        var types = registry.Canonicalize(module);
        try
        {
            return Validate(module, registry.Engine, types);
        }
        catch
        {
            registry.Release(types);
            throw;
        }
    }

    private static ValidModule Validate(Module module, Engine engine, DefinedType[] types)
    {
        int importedFunctions = 0, importedTables = 0, importedMemories = 0, importedGlobals = 0, importedTags = 0;
        foreach (var import in module.Imports)
        {
            switch (import.Type.Kind)
            {
                case ExternKind.Func: importedFunctions++; break;
                case ExternKind.Table: importedTables++; break;
                case ExternKind.Memory: importedMemories++; break;
                case ExternKind.Global: importedGlobals++; break;
                case ExternKind.Tag: importedTags++; break;
            }
        }
        var valid = new ValidModule(
            module,
            types,
            importedFunctions + module.Functions.Count,
            importedTables + module.Tables.Count,
            importedMemories + module.Memories.Count,
            importedGlobals + module.Globals.Count,
            importedTags + module.Tags.Count)
        {
            Engine = engine,
            ImportedFunctionCount = importedFunctions,
            ImportedTableCount = importedTables,
            ImportedMemoryCount = importedMemories,
            ImportedGlobalCount = importedGlobals,
            ImportedTagCount = importedTags,
            DataCount = module.Data.Count,
        };
        DeclareReferences(valid);
        var checker = new FunctionValidator(valid);

        for (int i = 0; i < module.Imports.Count; i++) valid.SetImportIndex(i, CheckImport(valid, module.Imports[i].Type));
        foreach (var tag in module.Tags) valid.AddTag(CheckTagType(valid, tag));
        foreach (uint typeIndex in module.Functions) valid.AddFunction(FuncTypeAt(valid, typeIndex));
        foreach (var memory in module.Memories) valid.AddMemory(CheckMemoryType(memory));
        for (int i = 0; i < module.Tables.Count; i++)
        {
            try
            {
                valid.AddTable(CheckTable(valid, checker, module.Tables[i]));
            }
            catch (InvalidModuleException e)
            {
                throw InContext(e, "table", importedTables + i);
            }
        }
        for (int i = 0; i < module.Globals.Count; i++)
        {
            try
            {
                valid.AddGlobal(CheckGlobal(valid, checker, module.Globals[i]));
            }
            catch (InvalidModuleException e)
            {
                throw InContext(e, "global", importedGlobals + i);
            }
        }
        for (int i = 0; i < module.Data.Count; i++)
        {
            try
            {
                CheckData(valid, checker, module.Data[i]);
            }
            catch (InvalidModuleException e)
            {
                throw InContext(e, "data segment", i);
            }
        }
        for (int i = 0; i < module.Elements.Count; i++)
        {
            try
            {
                valid.AddElement(CheckElement(valid, checker, module.Elements[i]));
            }
            catch (InvalidModuleException e)
            {
                throw InContext(e, "element segment", i);
            }
        }

        if (module.Codes.Count != module.Functions.Count)
        {
            throw new MalformedModuleException("function and code section have inconsistent lengths", -1);
        }
        for (int i = 0; i < module.Codes.Count; i++)
        {
            try
            {
                checker.Validate(importedFunctions + i);
            }
            catch (InvalidModuleException e)
            {
                throw InContext(e, "function", importedFunctions + i);
            }
        }

        if (module.Start is { } start) CheckStart(valid, start);
        CheckExports(valid);
        return valid;
    }

    /// <summary>The same error, with where it happened added to the message (the reason stays the spec's).</summary>
    private static InvalidModuleException InContext(InvalidModuleException error, string what, int index) =>
        new(error.Reason, error.Offset, string.Create(CultureInfo.InvariantCulture, $"in {what} {index}"));

    /// <summary>
    /// Spec 3.4.10: C.refs, the functions a body may take references to, are those referenced anywhere in the module
    /// outside function bodies and the start section.
    /// </summary>
    private static void DeclareReferences(ValidModule valid)
    {
        var module = valid.Module;
        foreach (var global in module.Globals) ConstantExpressions.DeclareReferences(valid, global.Init);
        foreach (var table in module.Tables)
        {
            if (table.Init is { } init) ConstantExpressions.DeclareReferences(valid, init);
        }
        foreach (var element in module.Elements)
        {
            if (element.Offset is { } offset) ConstantExpressions.DeclareReferences(valid, offset);
            foreach (var item in element.Items) ConstantExpressions.DeclareReferences(valid, item);
        }
        foreach (var data in module.Data)
        {
            if (data.Offset is { } offset) ConstantExpressions.DeclareReferences(valid, offset);
        }
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternKind.Func) valid.Declare(export.Index);
        }
    }

    // ---- types of entities (spec 3.2) ----

    private static DefinedType TypeAt(ValidModule valid, uint index)
    {
        var types = valid.Types;
        if (index >= (uint)types.Length) throw ValidationErrors.Unknown("type", index);
        return types[(int)index];
    }

    private static DefinedType FuncTypeAt(ValidModule valid, uint index)
    {
        var type = TypeAt(valid, index);
        if (!type.IsFunc) throw new InvalidModuleException(string.Create(CultureInfo.InvariantCulture, $"non-function type {index}"));
        return type;
    }

    /// <summary>Spec 3.2.4: a value type is valid when its type index (if any) is; returns its canonical form.</summary>
    private static ValType CanonicalValType(ValidModule valid, ValType type) =>
        type.IsRef && type.Heap.IsConcrete ? ValType.Ref(TypeAt(valid, type.Heap.Index).HeapType, type.Nullable) : type;

    /// <summary>Spec 3.2.8 limits: within the range of the address type, minimum no larger than maximum.</summary>
    private static void CheckLimits(Limits limits, ulong range, string message)
    {
        if (limits.Min > range) throw new InvalidModuleException(message);
        if (limits.Max is { } max)
        {
            if (max > range) throw new InvalidModuleException(message);
            if (limits.Min > max) throw new InvalidModuleException("size minimum must not be greater than maximum");
        }
    }

    /// <summary>
    /// Spec 3.2.12 memory types: at most 2^16 pages for 32-bit memories, 2^48 for 64-bit ones. With custom-page-sizes
    /// the page is 1 or 65536 bytes; 1-byte pages bound the size at 2^32-1 (i32) or 2^64-1 (i64) bytes, so that the
    /// size in pages still fits the address type next to memory.grow's -1.
    /// </summary>
    private static MemoryType CheckMemoryType(MemoryType memory)
    {
        if (memory.PageSizeLog2 is not (0 or MemoryType.DefaultPageSizeLog2)) throw new InvalidModuleException("invalid custom page size");
        bool bytePages = memory.PageSizeLog2 == 0;
        if (memory.Limits.AddressType == AddressType.I64)
        {
            CheckLimits(memory.Limits, bytePages ? ulong.MaxValue : 1UL << 48, "memory size must be at most 2^48 pages (256 TiB) for i64");
        }
        else
        {
            CheckLimits(memory.Limits, bytePages ? uint.MaxValue : 1UL << 16, "memory size must be at most 65536 pages (4GiB)");
        }
        // Threads: a shared memory never moves nor outgrows what other threads can see, so it needs a maximum.
        if (memory.Limits.Shared && memory.Limits.Max is null) throw new InvalidModuleException("shared memory must have maximum");
        return memory;
    }

    /// <summary>Spec 3.2.11 table types: a valid reference type, at most 2^32-1 elements for 32-bit tables.</summary>
    private static TableType CheckTableType(ValidModule valid, TableType table)
    {
        var element = CanonicalValType(valid, table.ElementType);
        if (table.Limits.AddressType == AddressType.I64)
        {
            CheckLimits(table.Limits, ulong.MaxValue, "table size must be at most 2^64-1 for i64");
        }
        else
        {
            CheckLimits(table.Limits, uint.MaxValue, "table size must be at most 2^32-1 for i32");
        }
        return element == table.ElementType ? table : table with { ElementType = element };
    }

    /// <summary>Spec 3.2.13 global types.</summary>
    private static GlobalType CheckGlobalType(ValidModule valid, GlobalType global)
    {
        var type = CanonicalValType(valid, global.ValueType);
        return type == global.ValueType ? global : global with { ValueType = type };
    }

    /// <summary>Spec 3.2.14 tag types: a function type without results.</summary>
    private static DefinedType CheckTagType(ValidModule valid, TagType tag)
    {
        var type = FuncTypeAt(valid, tag.TypeIndex);
        if (type.Results.Length != 0) throw new InvalidModuleException("non-empty tag result type");
        return type;
    }

    /// <summary>Spec 3.4.8 imports: the extern type must be valid; the entity joins its index space at the returned index.</summary>
    private static int CheckImport(ValidModule valid, ExternType type) => type switch
    {
        FuncImportType func => valid.AddFunction(FuncTypeAt(valid, func.TypeIndex)),
        TableType table => valid.AddTable(CheckTableType(valid, table)),
        MemoryType memory => valid.AddMemory(CheckMemoryType(memory)),
        GlobalType global => valid.AddGlobal(CheckGlobalType(valid, global)),
        TagType tag => valid.AddTag(CheckTagType(valid, tag)),
        _ => throw new InvalidOperationException($"unknown import type {type}"),
    };

    // ---- definitions (spec 3.4.10) ----

    /// <summary>
    /// Spec 3.4.10 tables: the initializer has the element type (an absent one is the element type's null, so
    /// non-nullable tables need one) and sees only imported globals, since globals are validated after tables.
    /// </summary>
    private static TableType CheckTable(ValidModule valid, FunctionValidator checker, TableDefinition table)
    {
        var type = CheckTableType(valid, table.Type);
        if (table.Init is { } init)
        {
            ConstantExpressions.Validate(checker, init, type.ElementType, valid.ImportedGlobalCount);
        }
        else if (!type.ElementType.Nullable)
        {
            var expected = type.ElementType;
            var actual = expected.WithNullable(true);
            throw ValidationErrors.Mismatch("instruction", [expected], "stack", [actual], valid, -1);
        }
        return type;
    }

    /// <summary>Spec 3.4.10 globals: each initializer sees the imported and the earlier defined globals.</summary>
    private static GlobalType CheckGlobal(ValidModule valid, FunctionValidator checker, GlobalDefinition global)
    {
        var type = CheckGlobalType(valid, global.Type);
        ConstantExpressions.Validate(checker, global.Init, type.ValueType, valid.GlobalCount);
        return type;
    }

    /// <summary>Spec 3.4.10 data segments: an active one names a memory and an offset of its address type.</summary>
    private static void CheckData(ValidModule valid, FunctionValidator checker, DataSegment data)
    {
        if (data.Mode != SegmentMode.Active) return;
        var memories = valid.Memories;
        if (data.MemoryIndex >= (uint)memories.Length) throw ValidationErrors.Unknown("memory", data.MemoryIndex);
        var address = memories[(int)data.MemoryIndex].Limits.AddressValType;
        ConstantExpressions.Validate(checker, data.Offset ?? Missing(), address, valid.GlobalCount);
    }

    /// <summary>
    /// Spec 3.4.10 element segments: every item is a constant of the segment's type; an active segment's type must
    /// match its table's element type and its offset is of the table's address type.
    /// </summary>
    private static ValType CheckElement(ValidModule valid, FunctionValidator checker, ElementSegment element)
    {
        var type = CanonicalValType(valid, element.ElementType);
        foreach (var item in element.Items) ConstantExpressions.Validate(checker, item, type, valid.GlobalCount);
        if (element.Mode == SegmentMode.Active)
        {
            var tables = valid.Tables;
            if (element.TableIndex >= (uint)tables.Length) throw ValidationErrors.Unknown("table", element.TableIndex);
            var table = tables[(int)element.TableIndex];
            if (!Subtyping.MatchesRef(type, table.ElementType))
            {
                throw new InvalidModuleException(
                    $"type mismatch: element segment's type {ValidationErrors.Format(type, valid)} does not match table's element type {ValidationErrors.Format(table.ElementType, valid)}");
            }
            ConstantExpressions.Validate(checker, element.Offset ?? Missing(), table.Limits.AddressValType, valid.GlobalCount);
        }
        return type;
    }

    private static ConstExpr Missing() => throw new MalformedModuleException("active segment without offset", -1);

    /// <summary>Spec 3.4.10 start: a function of type [] -> [].</summary>
    private static void CheckStart(ValidModule valid, uint start)
    {
        var functions = valid.Functions;
        if (start >= (uint)functions.Length) throw ValidationErrors.Unknown("function", start);
        var type = functions[(int)start];
        if (type.Params.Length != 0 || type.Results.Length != 0)
        {
            throw new InvalidModuleException("start function must not have parameters or results");
        }
    }

    /// <summary>Spec 3.4.10 exports: each names an existing entity, and no two share a name.</summary>
    private static void CheckExports(ValidModule valid)
    {
        var exports = valid.Module.Exports;
        foreach (var export in exports)
        {
            var (space, count) = export.Kind switch
            {
                ExternKind.Func => ("function", valid.FunctionCount),
                ExternKind.Table => ("table", valid.TableCount),
                ExternKind.Memory => ("memory", valid.MemoryCount),
                ExternKind.Global => ("global", valid.GlobalCount),
                _ => ("tag", valid.TagCount),
            };
            if (export.Index >= (uint)count) throw ValidationErrors.Unknown(space, export.Index);
        }
        var names = new HashSet<string>(exports.Count, StringComparer.Ordinal);
        foreach (var export in exports)
        {
            if (!names.Add(export.Name)) throw new InvalidModuleException($"duplicate export name \"{export.Name}\"");
        }
    }
}
