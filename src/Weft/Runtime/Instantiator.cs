using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// Instantiates a compiled module in a store (spec 4.5.4 "instantiation"): checks the imports, allocates memories,
/// tables, globals and tags, evaluates segments, applies active segments in order, then runs the start function.
/// A trap while applying segments fails the instantiation but keeps the writes already made to shared memories
/// and tables, as the spec says.
/// </summary>
internal static class Instantiator
{
    public static Instance Instantiate(Store store, WasmModule module, IReadOnlyList<Extern> imports)
    {
        var valid = module.Valid;
        var syntax = module.Syntax;
        if (store.Limits.MaxInstances is { } maxInstances && store.InstanceCount >= maxInstances)
        {
            throw new LinkException("instance limit exceeded", $"the store allows {maxInstances} instances");
        }
        if (module.Engine != store.Engine)
        {
            throw new ArgumentException($"the module belongs to another engine ({module.Engine}) than the store ({store.Engine})", nameof(module));
        }
        store.Engine.ThrowIfDisposed();
        // Builtins and string constants take their places among the host's imports (WasmModuleOptions).
        if (valid.Builtins is { } builtins) imports = builtins.Complete(store, valid, imports);
        CheckImports(store, valid, syntax, imports);
        // Own the store for the whole instantiation: it attaches an instance and allocates in the store, which must
        // not happen while another thread runs wasm in it (that thread's call is not disturbed; this one is refused).
        var entry = store.EnterWasm();
        try
        {
            return Instantiate(store, module, imports, valid, syntax);
        }
        finally
        {
            entry?.Leave();
        }
    }

    private static Instance Instantiate(Store store, WasmModule module, IReadOnlyList<Extern> imports, ValidModule valid, Syntax.Module syntax)
    {
        var compiled = module.CompiledFor(store.CodeOptions);
        for (int i = 0; i < imports.Count; i++)
        {
            if (imports[i] is Function function) compiled.PrepareImport(i, function);
        }
        var context = compiled.CreateContext();
        context.Store = store;
        store.Attach(context);
        context.Types = valid.Types.ToArray();

        // Imports first in every index space, in the order the module lists them.
        var functions = new List<Function>();
        var tables = new List<Table>();
        var memories = new List<Memory>();
        // Arrays, not List<Global> and List<WasmValue>: crossgen2 compiles no method that calls a framework method
        // whose signature holds a type of unstable layout (Global has a Vector128 field; WasmValue is a Weft struct
        // outside the framework's version bubble), so this whole method was JIT-compiled at every instantiation
        // (RATIONALE.md, "Start-up: an empty module's `weft run`, fourth look").
        var globals = new Global?[valid.GlobalCount];
        int globalCount = 0;
        var globalArray = new WasmValue[valid.GlobalCount];
        var tags = new List<Tag>();
        Caller? caller = null;
        foreach (var item in imports)
        {
            switch (item)
            {
                // A host function that wants its caller is bound to this instance (see Caller).
                case HostFunction { NeedsBinding: true } h: functions.Add(h.BindTo(caller ??= new Caller(store, context))); break;
                case Function f: functions.Add(f); break;
                case Table t: tables.Add(t); break;
                case Memory m:
                    memories.Add(m);
                    // A shared memory stays alive while any store that instantiated against it does.
                    if (m.IsShared) store.Share(m);
                    // A host memory's later mappings keep the size this module declares it needs (Memory.Host.cs).
                    else if (m.IsHostMemory) m.NoteImport(valid.Memories[memories.Count - 1].Limits.Min);
                    break;
                case Global g: globalArray[globalCount] = g.Value; globals[globalCount++] = g; break;
                case Tag t: tags.Add(t); break;
            }
        }
        for (int i = 0; i < syntax.Functions.Count; i++)
        {
            int index = functions.Count;
            functions.Add(new WasmFunction(valid.Functions[index], context, compiled.EntryPoint(i), index));
        }
        for (int i = valid.ImportedTagCount; i < valid.TagCount; i++) tags.Add(new Tag(valid.Tags[i]));
        context.Functions = [.. functions];
        context.Tags = [.. tags];

        var evaluator = new ConstExprEvaluator(valid, globalArray, context.Functions, store);
        for (int i = 0; i < syntax.Globals.Count; i++)
        {
            int index = valid.ImportedGlobalCount + i;
            var value = evaluator.Evaluate(syntax.Globals[i].Init);
            globalArray[index] = value;
            if (compiled.KeepsGlobal(index))
            {
                globalCount++;
                compiled.InitializeGlobal(context, index, value);
            }
            else
            {
                var type = syntax.Globals[i].Type;
                globals[globalCount++] = new Global(store, new GlobalType(valid.Canonical(type.ValueType), type.Mutable), value);
            }
        }
        context.Globals = globals;

        foreach (var memoryType in syntax.Memories) memories.Add(new Memory(store, memoryType));
        context.Memories = [.. memories];
        context.Memory0 = memories.Count > 0 ? memories[0] : null;

        foreach (var table in syntax.Tables)
        {
            var init = table.Init is null ? null : evaluator.Evaluate(table.Init).AsReference();
            var type = new TableType(valid.Canonical(table.Type.ElementType), table.Type.Limits);
            tables.Add(new Table(store, type, init));
        }
        context.Tables = [.. tables];

        var segments = new object?[syntax.Elements.Count][];
        for (int s = 0; s < segments.Length; s++)
        {
            var items = syntax.Elements[s].Items;
            var values = new object?[items.Count];
            for (int i = 0; i < values.Length; i++) values[i] = evaluator.Evaluate(items[i]).AsReference();
            segments[s] = values;
        }
        context.ElementSegments = segments;
        context.DataSegments = syntax.Data.Select(d => d.Bytes.ToArray()).ToArray();

        var exports = new Dictionary<string, Extern>(StringComparer.Ordinal);
        foreach (var export in syntax.Exports)
        {
            exports[export.Name] = export.Kind switch
            {
                ExternKind.Func => context.Functions[export.Index],
                ExternKind.Table => context.Tables[export.Index],
                ExternKind.Memory => context.Memories[export.Index],
                ExternKind.Global => context.Globals[export.Index]!,
                _ => context.Tags[export.Index],
            };
        }
        var instance = new Instance(store, module, context, exports);
        caller?.SetInstance(instance);
        store.InstanceCount++;

        compiled.PrepareAhead(FirstFunctions(syntax, valid.ImportedFunctionCount));
        try
        {
            ApplySegments(syntax, context, evaluator);
            if (syntax.Start is { } start) DynamicInvoker.Invoke(context.Functions[start], []);
        }
        // Weft exceptions pass through untouched (see DynamicInvoker.Invoke).
        catch (Exception e) when (e is not WeftException)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        return instance;
    }

    private static void ApplySegments(Syntax.Module syntax, InstanceContext context, ConstExprEvaluator evaluator)
    {
        for (int s = 0; s < syntax.Elements.Count; s++)
        {
            var segment = syntax.Elements[s];
            if (segment.Mode == SegmentMode.Active)
            {
                var table = context.Tables[segment.TableIndex];
                ulong offset = ToOffset(evaluator.Evaluate(segment.Offset!));
                var values = context.ElementSegments[s];
                TableOps.Init(offset, 0, (ulong)values.Length, table, values, meter: null); // sized by the module
            }
            if (segment.Mode != SegmentMode.Passive) context.ElementSegments[s] = [];
        }
        for (int d = 0; d < syntax.Data.Count; d++)
        {
            var segment = syntax.Data[d];
            if (segment.Mode != SegmentMode.Active) continue;
            var memory = context.Memories[segment.MemoryIndex];
            ulong offset = ToOffset(evaluator.Evaluate(segment.Offset!));
            var bytes = context.DataSegments[d];
            MemoryOps.Init(offset, 0, (ulong)bytes.Length, memory, bytes, meter: null); // sized by the module
            context.DataSegments[d] = [];
        }
    }

    // The defined functions most likely to run first: the start function, then the exported ones.
    private static List<int> FirstFunctions(Syntax.Module syntax, int imported)
    {
        var first = new List<int>();
        if (syntax.Start is { } start && start >= imported) first.Add((int)start - imported);
        foreach (var export in syntax.Exports)
        {
            if (export.Kind == ExternKind.Func && export.Index >= imported) first.Add((int)export.Index - imported);
        }
        return first;
    }

    private static ulong ToOffset(WasmValue value) => value.Kind == ValKind.I32 ? (uint)value.AsInt32() : (ulong)value.AsInt64();

    private static void CheckImports(Store store, ValidModule valid, Syntax.Module syntax, IReadOnlyList<Extern> imports)
    {
        if (imports.Count != syntax.Imports.Count)
        {
            throw new LinkException("unknown import", $"the module has {syntax.Imports.Count} imports, {imports.Count} were given");
        }
        for (int i = 0; i < imports.Count; i++)
        {
            var import = syntax.Imports[i];
            var item = imports[i];
            if (!Matches(valid, i, item)) throw Incompatible(store, import, item);
            // Compiled code reaches an imported entity directly, with no store transition: an entity of another
            // store would run (or be read) under that store's stack guard and lifetime, not this one's.
            if (StoreOwnership.StoreOf(item) is { } owner && owner != store)
            {
                throw StoreOwnership.Foreign($"\"{import.ModuleName}\" \"{import.Name}\"");
            }
        }
    }

    /// <summary>
    /// Whether an entity matches import number <paramref name="import"/> of a module (spec 4.5.2 "import matching":
    /// declared subtyping for functions, limits against the current size for tables and memories, exact types for
    /// tags and mutable globals).
    /// </summary>
    internal static bool Matches(ValidModule valid, int import, Extern item)
    {
        int index = valid.IndexOfImport(import);
        return valid.Module.Imports[import].Type switch
        {
            FuncImportType => item is Function f && f.CanonicalType.IsSubtypeOf(valid.Functions[index]),
            TableType => item is Table t && Subtyping.Matches(CurrentType(t), valid.Tables[index]),
            MemoryType => item is Memory m && Subtyping.Matches(CurrentType(m), valid.Memories[index]),
            GlobalType => item is Global g && Subtyping.Matches(g.Type, valid.Globals[index]),
            TagType => item is Tag tag && ReferenceEquals(tag.CanonicalType, valid.Tags[index]),
            _ => false,
        };
    }
    /// <summary>"incompatible import type", saying why when the entity belongs to another engine.</summary>
    internal static LinkException Incompatible(Store store, Syntax.Import import, Extern item) =>
        // Types are canonical per engine: a function or tag of another engine can never match.
        EngineOf(item) is { } engine && engine != store.Engine
            ? new LinkException("incompatible import type", $"\"{import.ModuleName}\" \"{import.Name}\" belongs to another engine")
            : new LinkException("incompatible import type", $"\"{import.ModuleName}\" \"{import.Name}\"");

    private static Engine? EngineOf(Extern item) => item switch
    {
        Function f => Engine.Of(f.CanonicalType),
        Tag tag => Engine.Of(tag.CanonicalType),
        _ => null,
    };

    // An entity's type for import matching has its current size as the minimum (spec 4.5.2 "external typing").
    private static TableType CurrentType(Table table) => new(table.Type.ElementType, table.Type.Limits with { Min = table.Length });

    private static MemoryType CurrentType(Memory memory) => memory.Type with { Limits = memory.Type.Limits with { Min = memory.Pages } };
}
