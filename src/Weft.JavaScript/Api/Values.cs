using System.Numerics;
using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Weft.Gc;
using Weft.Syntax;

namespace Weft.JavaScript.Api;

/// <summary>
/// The JS API's ToWebAssemblyValue and ToJSValue. References keep their identity both ways: a JS string is a .NET
/// string in wasm (what the js-string builtins work on), any other JS value is the Jint value itself (an externref
/// or host anyref), a small integer Number given as anyref is an i31ref, and wasm functions and GC objects get one
/// JS wrapper each (exported functions are callable, GC objects are opaque).
/// </summary>
internal sealed partial class WebAssemblyBridge
{
    private readonly ConditionalWeakTable<object, ObjectInstance> _opaque = new();

    /// <summary>ToWebAssemblyValue(v, type), the type in canonical form.</summary>
    public WasmValue ToWasm(JsValue v, ValType type)
    {
        switch (type.Kind)
        {
            case ValKind.I32: return WasmValue.FromInt32(TypeConverter.ToInt32(v));
            case ValKind.I64: return WasmValue.FromInt64((long)(ulong)(TypeConverter.ToBigInt(v) & ulong.MaxValue));
            case ValKind.F32: return WasmValue.FromSingle((float)TypeConverter.ToNumber(v));
            case ValKind.F64: return WasmValue.FromDouble(TypeConverter.ToNumber(v));
            case ValKind.V128: throw TypeError("v128 values cannot be passed between JavaScript and WebAssembly");
            default: return WasmValue.FromReference(ToReference(v, type));
        }
    }

    public object? ToReference(JsValue v, ValType type)
    {
        if (v.IsNull())
        {
            if (!type.Nullable) throw TypeError($"null is not a value of type {type}");
            return null;
        }
        var heap = type.Heap;
        object? r;
        switch (heap.Kind)
        {
            case HeapKind.Exn or HeapKind.NoExn:
                throw TypeError("exnref values cannot be passed between JavaScript and WebAssembly");
            case HeapKind.Func or HeapKind.NoFunc:
                r = AsWasmFunction(v) ?? throw TypeError("the value is not a WebAssembly function");
                break;
            case HeapKind.Concrete when CanonicalTypes.Of(type) is { IsFunc: true }:
                r = AsWasmFunction(v) ?? throw TypeError("the value is not a WebAssembly function");
                break;
            default:
                r = Internalize(v);
                break;
        }
        if (!GcCasts.Matches(r, type)) throw TypeError($"the value is not of type {type}");
        return r;
    }

    /// <summary>ToWebAssemblyValue(v, anyref) for a non-null value: what a JS value is inside wasm.</summary>
    public object Internalize(JsValue v)
    {
        switch (v)
        {
            case JsString s: return s.ToString();
            case JsNumber n:
                {
                    double d = n.AsNumber();
                    if (d >= -(1 << 30) && d < (1 << 30) && Math.Floor(d) == d && !(d == 0 && double.IsNegative(d)))
                        return I31Ref.Create((int)d);
                    return v;
                }
            case OpaqueReference o: return o.Target;
            default:
                if (AsWasmFunction(v) is { } f) return f;
                return v;
        }
    }

    /// <summary>ToJSValue(w) for a value of a given type.</summary>
    public JsValue ToJs(WasmValue w, ValType type) => type.Kind switch
    {
        ValKind.I32 => JsNumber.Create(w.AsInt32()),
        ValKind.I64 => new JsBigInt(new BigInteger(w.AsInt64())),
        ValKind.F32 => JsNumber.Create((double)w.AsSingle()),
        ValKind.F64 => JsNumber.Create(w.AsDouble()),
        ValKind.V128 => throw TypeError("v128 values cannot be passed between JavaScript and WebAssembly"),
        _ => type.Heap.Kind is HeapKind.Exn or HeapKind.NoExn && w.AsReference() is not null
            ? throw TypeError("exnref values cannot be passed between JavaScript and WebAssembly")
            : ToJs(w.AsReference()),
    };

    /// <summary>A wasm reference as JavaScript sees it.</summary>
    public JsValue ToJs(object? r)
    {
        switch (r)
        {
            case null: return JsValue.Null;
            case string s: return new JsString(s);
            case JsValue j: return j;
            case I31Ref i: return JsNumber.Create(i.Value);
            case Function f: return ExportedFunction(f);
            case WasmException e when ReferenceEquals(e.Tag, JsTag): return ToJs(e.Payload[0].AsReference());
            default:
                return _opaque.GetValue(r, o => new OpaqueReference(_js, o));
        }
    }

    /// <summary>The default value of a type (for Table and Global constructors without a value).</summary>
    public static WasmValue DefaultOf(ValType type) => type.Kind switch
    {
        ValKind.I32 => WasmValue.FromInt32(0),
        ValKind.I64 => WasmValue.FromInt64(0),
        ValKind.F32 => WasmValue.FromSingle(0),
        ValKind.F64 => WasmValue.FromDouble(0),
        ValKind.V128 => WasmValue.FromVector(default),
        _ => WasmValue.FromReference(null),
    };

    /// <summary>The JS API's DefaultValue: undefined for externref, null for the other reference types.</summary>
    public WasmValue DefaultValue(ValType type) =>
        type.IsRef && type.Heap.Kind == HeapKind.Extern ? WasmValue.FromReference(JsValue.Undefined) : DefaultOf(type);

    public JavaScriptException TypeError(string message) => new(_js.Intrinsics.TypeError, message);

    public JavaScriptException RangeError(string message) => new(_js.Construct("RangeError", [message]));
}
