using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.JavaScript.Api;

/// <summary>Calls across the boundary: exported wasm functions as JS functions, JS functions as wasm imports, and exceptions both ways.</summary>
internal sealed partial class WebAssemblyBridge
{
    /// <summary>The Exported Function of a wasm function: one per function, named by its index, length = parameter count.</summary>
    public ClrFunction ExportedFunction(Function f) => _functions.GetValue(f, fn =>
    {
        var parameters = fn.Parameters.ToArray();
        var results = fn.Results.ToArray();
        string name = fn is WasmFunction w ? w.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
        if (fn is Runtime.HostFunction && _hostFunctionNames.TryGetValue(fn, out var hostName)) name = hostName;
        var js = new ClrFunction(_js, name, (_, args) => CallWasm(fn, parameters, results, args), parameters.Length, PropertyFlag.Configurable);
        // WebIDL/ECMAScript: a function's name is configurable (Jint's host functions make it fixed).
        js.DefineOwnProperty("name", new PropertyDescriptor(name, PropertyFlag.Configurable));
        _functionOf.AddOrUpdate(js, fn);
        return js;
    });

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Function, string> _hostFunctionNames = new();

    /// <summary>The wasm function behind a JS value, if it is an Exported Function.</summary>
    public Function? AsWasmFunction(JsValue v) => v is ClrFunction && _functionOf.TryGetValue(v, out var f) ? f : null;

    private JsValue CallWasm(Function f, ValType[] parameters, ValType[] results, JsValue[] args)
    {
        var wasmArgs = new WasmValue[parameters.Length];
        for (int i = 0; i < parameters.Length; i++) wasmArgs[i] = ToWasm(i < args.Length ? args[i] : JsValue.Undefined, parameters[i]);
        WasmValue[] r;
        Flush();
        try
        {
            r = f.Invoke(wasmArgs);
        }
        catch (Exception e) when (e is TrapException or WasmException)
        {
            throw FromWasm(e);
        }
        finally
        {
            Refresh();
        }
        if (results.Length == 0) return JsValue.Undefined;
        if (results.Length == 1) return ToJs(r[0], results[0]);
        var values = new JsValue[results.Length];
        for (int i = 0; i < results.Length; i++) values[i] = ToJs(r[i], results[i]);
        return new JsArray(_js, values);
    }

    /// <summary>A JS function as a wasm function of the import's type ("create a host function").</summary>
    private Function HostFunction(WasmFunctionType type, JsValue callable)
    {
        var parameters = type.Parameters.ToArray();
        var results = type.Results.ToArray();
        var f = Function.FromCallback(type, (ReadOnlySpan<WasmValue> args, Span<WasmValue> res) =>
        {
            Refresh();
            try
            {
                var jsArgs = new JsValue[parameters.Length];
                for (int i = 0; i < parameters.Length; i++) jsArgs[i] = ToJs(args[i], parameters[i]);
                var ret = callable.Call(JsValue.Undefined, jsArgs);
                if (results.Length == 1) res[0] = ToWasm(ret, results[0]);
                else if (results.Length > 1)
                {
                    if (!ret.IsObject()) throw TypeError("a function returning several values must return an iterable");
                    var list = IterableToList(ret);
                    if (list.Count != results.Length) throw TypeError($"expected {results.Length} results, got {list.Count}");
                    for (int i = 0; i < results.Length; i++) res[i] = ToWasm(list[i], results[i]);
                }
            }
            catch (JavaScriptException e)
            {
                throw ToWasmException(e.Error);
            }
            finally
            {
                Flush();
            }
        });
        return f;
    }

    private List<JsValue> IterableToList(JsValue iterable)
    {
        _arrayFrom ??= _js.Intrinsics.Array.Get("from");
        var array = _arrayFrom.Call(_js.Intrinsics.Array, [iterable]).AsArray();
        var list = new List<JsValue>((int)array.Length);
        for (uint i = 0; i < array.Length; i++) list.Add(array[i]);
        return list;
    }

    private JsValue? _arrayFrom;

    /// <summary>A JS exception entering wasm: a WebAssembly.Exception is itself; any other value travels under JSTag.</summary>
    public WasmException ToWasmException(JsValue error)
    {
        if (Shim("unwrapException", error) is Handle { Target: WasmException e }) return e;
        return new WasmException(JsTag, WasmValue.FromReference(error.IsNull() ? null : Internalize(error)));
    }

    /// <summary>A wasm exception or trap leaving wasm for JS.</summary>
    public Exception FromWasm(Exception e)
    {
        switch (e)
        {
            case WasmException w when ReferenceEquals(w.Tag, JsTag):
                return new JavaScriptException(ToJs(w.Payload[0].AsReference()));
            case WasmException w:
                return new JavaScriptException(Shim("wrapException", HandleOf(w)));
            case TrapException { Kind: TrapKind.HostError, InnerException: JavaScriptException inner }:
                return inner;
            case TrapException { Kind: TrapKind.HostError, InnerException: JintException inner }:
                return inner;
            case TrapException { Kind: TrapKind.CallStackExhausted } t:
                return RangeError("Maximum call stack size exceeded: " + t.Message);
            case TrapException t:
                return JsError("RuntimeError", t.Message);
            default:
                return e;
        }
    }
}
