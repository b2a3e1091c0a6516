using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Weft.Syntax;

namespace Weft.JavaScript.Api;

/// <summary>
/// The C# half of the WebAssembly namespace: the functions webassembly.js calls (as <c>native.*</c>) to compile,
/// link and run wasm in the realm's <see cref="Store"/>, and the wrappers for wasm functions. One per Jint engine;
/// like the store, single-threaded.
/// </summary>
internal sealed partial class WebAssemblyBridge
{
    private readonly Jint.Engine _js;
    private readonly ConditionalWeakTable<object, Handle> _handles = new();
    private readonly ConditionalWeakTable<Function, ClrFunction> _functions = new();
    private readonly ConditionalWeakTable<JsValue, Function> _functionOf = new();
    private ObjectInstance _shim = null!;
    private readonly Action<Action> _queueTask;

    public WebAssemblyBridge(Jint.Engine js, Weft.Engine engine, Store store, Action<Action> queueTask)
    {
        _js = js;
        Engine = engine;
        Store = store;
        _queueTask = queueTask;
        // JSTag: the tag of exceptions that carry a JavaScript value through wasm (its one externref parameter).
        JsTag = new Tag(engine, ValType.ExternRef);
        Buffers = new MemoryBuffers(this, js);
    }

    public MemoryBuffers Buffers { get; }

    private void Flush()
    {
        if (Buffers.AnyMirrored) Buffers.Flush();
    }

    private void Refresh()
    {
        if (Buffers.Any) Buffers.Refresh();
    }

    public Weft.Engine Engine { get; }

    public Store Store { get; }

    public Tag JsTag { get; }

    /// <summary>Builds the native object, runs webassembly.js with it and returns the WebAssembly namespace.</summary>
    public JsValue Install()
    {
        var native = new JsObject(_js);
        void Def(string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
            native.FastSetDataProperty(name, new ClrFunction(_js, name, body, length));
        Def("init", 1, (_, a) => { _shim = (ObjectInstance)a[0]; return JsValue.Undefined; });
        Def("queueTask", 1, (_, a) => { var f = a[0]; _queueTask(() => f.Call()); return JsValue.Undefined; });
        Def("compile", 3, (_, a) => HandleOf(Compile(Bytes(a[0]), Arg(a, 1), Arg(a, 2))));
        Def("validate", 3, (_, a) => Validate(Bytes(a[0]), Arg(a, 1), Arg(a, 2)));
        Def("moduleExports", 1, (_, a) => ModuleExports(Target<WasmModule>(a[0])));
        Def("moduleImports", 1, (_, a) => ModuleImports(Target<WasmModule>(a[0])));
        Def("customSections", 2, (_, a) => CustomSections(Target<WasmModule>(a[0]), a[1].ToString()));
        Def("readImports", 2, (_, a) => new Handle(_js, ReadImports(Target<WasmModule>(a[0]), Arg(a, 1))));
        Def("instantiate", 2, (_, a) => Instantiate(Target<WasmModule>(a[0]), Target<Dictionary<int, Extern>>(a[1])));
        DefineMemory(Def);
        DefineTable(Def);
        DefineGlobal(Def);
        DefineTagAndException(Def);
        native.FastSetDataProperty("jsTag", HandleOf(JsTag));
        var factory = _js.Evaluate(Resources.Read("webassembly.js"), "webassembly.js");
        return factory.Call(JsValue.Undefined, [native, _js.Global]);
    }

    private static JsValue Arg(JsValue[] a, int i) => i < a.Length ? a[i] : JsValue.Undefined;

    private static byte[] Bytes(JsValue v) => v.AsUint8Array();

    public Handle HandleOf(object target) => _handles.GetValue(target, t => new Handle(_js, t));

    private T Target<T>(JsValue v) where T : class =>
        v is Handle { Target: T t } ? t : throw TypeError($"expected a {typeof(T).Name} handle");

    private JsValue Shim(string name, JsValue arg) => _shim.Get(name).Call(JsValue.Undefined, [arg]);

    private JavaScriptException JsError(string constructor, string message) =>
        new(_js.Construct(_shim.Get(constructor), [message]));

    // ---- modules ----

    private WasmModule Compile(byte[] bytes, JsValue builtins, JsValue strings)
    {
        try
        {
            return ModuleCompilation.Compile(Engine, bytes, Names(builtins), strings.IsUndefined() ? null : strings.ToString());
        }
        catch (Exception e) when (e is MalformedModuleException or InvalidModuleException or CompilationException or LinkException)
        {
            throw JsError("CompileError", e.Message);
        }
    }

    private JsValue Validate(byte[] bytes, JsValue builtins, JsValue strings)
    {
        try
        {
            ModuleCompilation.Compile(Engine, bytes, Names(builtins), strings.IsUndefined() ? null : strings.ToString());
            return JsBoolean.True;
        }
        catch (Exception e) when (e is MalformedModuleException or InvalidModuleException or CompilationException or LinkException)
        {
            return JsBoolean.False;
        }
    }

    private static string[]? Names(JsValue v) => v.IsUndefined() ? null : v.AsArray().Select(x => x.ToString()).ToArray();

    private static string KindName(ExternKind kind) => kind switch
    {
        ExternKind.Func => "function",
        ExternKind.Table => "table",
        ExternKind.Memory => "memory",
        ExternKind.Global => "global",
        _ => "tag",
    };

    private JsValue ModuleExports(WasmModule module) =>
        new JsArray(_js, module.Exports.Select(e => (JsValue)JsObject.CreateFromEntries(_js,
        [
            new("name", e.Name),
            new("kind", KindName(e.Kind)),
        ])).ToArray());

    private JsValue ModuleImports(WasmModule module) =>
        new JsArray(_js, ModuleCompilation.VisibleImports(module).Select(i => (JsValue)JsObject.CreateFromEntries(_js,
        [
            new("module", i.Module),
            new("name", i.Name),
            new("kind", KindName(i.Kind)),
        ])).ToArray());

    private JsValue CustomSections(WasmModule module, string name)
    {
        var list = new List<JsValue>();
        foreach (var section in module.GetCustomSections(name)) list.Add(NewArrayBuffer(section.Span));
        return new JsArray(_js, list.ToArray());
    }

    private JsValue? _arrayBufferCtor;

    public JsValue NewArrayBuffer(ReadOnlySpan<byte> content)
    {
        _arrayBufferCtor ??= _js.Intrinsics.ArrayBuffer;
        var buffer = _js.Construct(_arrayBufferCtor, [content.Length]);
        content.CopyTo(buffer.AsArrayBuffer());
        return buffer;
    }

    // ---- instantiation ----

    private Dictionary<int, Extern> ReadImports(WasmModule module, JsValue importObject)
    {
        var imports = ModuleCompilation.VisibleImports(module);
        if (imports.Count > 0 && importObject.IsUndefined()) throw TypeError("imports must be an object when the module has imports");
        var externs = new Dictionary<int, Extern>();
        foreach (var import in imports)
        {
            var moduleValue = importObject.Get(import.Module);
            if (!moduleValue.IsObject()) throw TypeError($"import module \"{import.Module}\" is not an object");
            var v = moduleValue.Get(import.Name);
            externs[import.Index] = ReadImport(import, v);
        }
        return externs;
    }

    private JsValue Instantiate(WasmModule module, Dictionary<int, Extern> externs)
    {
        Instance instance;
        try
        {
            Flush();
            instance = ModuleCompilation.Instantiate(module, Store, i => externs[i.Index]);
        }
        catch (LinkException e)
        {
            throw JsError("LinkError", e.Message);
        }
        catch (Exception e) when (e is TrapException or WasmException)
        {
            throw FromWasm(e);
        }
        finally
        {
            Refresh();
        }
        var entries = new List<JsValue>();
        foreach (var export in module.Exports)
        {
            var item = instance.GetExport(export.Name);
            entries.Add(export.Name);
            entries.Add(KindName(export.Kind));
            entries.Add(item is Function f ? ExportedFunction(f) : HandleOf(item!));
        }
        return new JsArray(_js, entries.ToArray());
    }

    private Extern ReadImport(ModuleImport import, JsValue v)
    {
        string where = $"import \"{import.Module}\" \"{import.Name}\"";
        switch (import.Kind)
        {
            case ExternKind.Func:
                if (!v.IsCallable()) throw JsError("LinkError", $"{where}: function import requires a callable");
                if (AsWasmFunction(v) is { } wasm) return wasm;
                return HostFunction((WasmFunctionType)import.Type, v);
            case ExternKind.Global:
                {
                    if (Shim("unwrapGlobal", v) is Handle { Target: Global g }) return g;
                    var type = (WasmGlobalType)import.Type;
                    var valueType = type.ValueType;
                    if (valueType.Kind == ValKind.I64 && !v.IsBigInt()) throw JsError("LinkError", $"{where}: global import must be a BigInt or WebAssembly.Global");
                    if (valueType.Kind is ValKind.I32 or ValKind.F32 or ValKind.F64 && !v.IsNumber()) throw JsError("LinkError", $"{where}: global import must be a Number or WebAssembly.Global");
                    if (valueType.Kind == ValKind.V128) throw JsError("LinkError", $"{where}: v128 global imports need a WebAssembly.Global");
                    if (type.Mutable) throw JsError("LinkError", $"{where}: imported mutable global must be a WebAssembly.Global object");
                    return new Global(Store, new GlobalType(valueType, false), ToWasm(v, valueType));
                }
            case ExternKind.Memory:
                return Shim("unwrapMemory", v) is Handle { Target: Memory m } ? m : throw JsError("LinkError", $"{where}: memory import must be a WebAssembly.Memory object");
            case ExternKind.Table:
                return Shim("unwrapTable", v) is Handle { Target: Table t } ? t : throw JsError("LinkError", $"{where}: table import requires a WebAssembly.Table");
            default:
                return Shim("unwrapTag", v) is Handle { Target: Tag tag } ? tag : throw JsError("LinkError", $"{where}: tag import requires a WebAssembly.Tag");
        }
    }
}
