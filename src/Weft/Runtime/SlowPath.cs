using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// The engine-neutral way to run host functions: with boxed <see cref="WasmValue"/>s and no generated code, for code
/// generators without native entry points (an interpreter). The IL generator's adapters are the fast path to the same
/// behaviour: a typed delegate gets CLR values (and the <see cref="Caller"/> first when it asks for one), an untyped
/// callback gets the values with its results checked, and a .NET exception becomes a
/// <see cref="TrapKind.HostError"/> trap while Weft exceptions pass through.
/// </summary>
internal static class SlowPath
{
    /// <summary>Calls a host function with arguments of its parameter types.</summary>
    public static WasmValue[] CallHost(HostFunction function, WasmValue[] arguments)
    {
        try
        {
            if (!function.Typed) return HostAdapters.InvokeUntyped(function, arguments);
            var type = function.CanonicalType;
            int offset = function.WantsCaller ? 1 : 0;
            var clrArguments = new object?[arguments.Length + offset];
            if (function.WantsCaller) clrArguments[0] = function.Caller;
            for (int i = 0; i < arguments.Length; i++) clrArguments[i + offset] = ToClr(arguments[i]);
            object? result = function.Callback.DynamicInvoke(clrArguments);
            var results = type.Results;
            if (results.Length == 0) return [];
            if (results.Length == 1) return [FromClr(result, results[0])];
            var tuple = (ITuple)result!;
            var values = new WasmValue[results.Length];
            for (int i = 0; i < values.Length; i++) values[i] = FromClr(TupleItem(tuple, i), results[i]);
            return values;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw HostAdapters.Wrap(inner);
        }
        catch (Exception e) when (e is not WeftException)
        {
            throw HostAdapters.Wrap(e);
        }
    }

    // A C# ValueTuple of more than 7 elements nests the rest in its 8th.
    private static object? TupleItem(ITuple tuple, int index) =>
        index < 7 || tuple.Length < 8 ? tuple[index] : TupleItem((ITuple)tuple[7]!, index - 7);

    /// <summary>The CLR value a typed delegate takes for a wasm value.</summary>
    public static object? ToClr(WasmValue value) => value.Kind switch
    {
        ValKind.I32 => value.AsInt32(),
        ValKind.I64 => value.AsInt64(),
        ValKind.F32 => value.AsSingle(),
        ValKind.F64 => value.AsDouble(),
        ValKind.V128 => value.AsVector(),
        _ => value.AsReference(),
    };

    /// <summary>The wasm value of a CLR value a typed delegate returned for a result of type <paramref name="type"/>.</summary>
    public static WasmValue FromClr(object? value, ValType type) => type.Kind switch
    {
        ValKind.I32 => WasmValue.FromInt32((int)value!),
        ValKind.I64 => WasmValue.FromInt64((long)value!),
        ValKind.F32 => ValueMarshal.FromF32((float)value!),
        ValKind.F64 => ValueMarshal.FromF64((double)value!),
        ValKind.V128 => WasmValue.FromVector((Vector128<byte>)value!),
        _ => WasmValue.FromReference(value),
    };
}
