using System.Runtime.Intrinsics;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>Wasm function types for host functions: from CLR delegate signatures, canonicalized engine-wide.</summary>
internal static class HostFunctionTypes
{
    /// <summary>The canonical type of a standalone (final, non-recursive) function type over abstract types, in the default engine.</summary>
    public static DefinedType Canonical(IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results) =>
        Canonical(Engine.Default, parameters, results);

    /// <summary>The canonical type of a standalone (final, non-recursive) function type over abstract types, in an engine (which keeps it).</summary>
    public static DefinedType Canonical(Engine engine, IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results)
    {
        foreach (var t in parameters.Concat(results))
        {
            if (t.IsRef && t.Heap.IsConcrete)
            {
                throw new ArgumentException("host function types may use abstract reference types only", nameof(parameters));
            }
        }
        var group = new RecGroup([SubType.Plain(new FuncType([.. parameters], [.. results]))], explicitRec: false);
        return engine.Types.Canonicalize(group, 0, []).Members[0];
    }

    /// <summary>
    /// The wasm signature of a typed delegate, and whether its first parameter is a <see cref="Caller"/> (which is
    /// not a wasm parameter: the adapter passes the calling instance there).
    /// </summary>
    public static (ValType[] Parameters, ValType[] Results, bool WantsCaller) FromDelegate(Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke") ?? throw new ArgumentException("not a delegate type", nameof(delegateType));
        var clrParameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool wantsCaller = clrParameters.Length > 0 && clrParameters[0] == typeof(Caller);
        var parameters = clrParameters.Skip(wantsCaller ? 1 : 0).Select(Of).ToArray();
        var returnType = invoke.ReturnType;
        ValType[] results = returnType == typeof(void) ? [] : FlattenResultType(returnType).Select(Of).ToArray();
        // Beyond this, compiled code carries results in a tree of tuples, not C#'s TRest chain (ClrTypes.TupleLayout).
        if (results.Length > ClrTypes.MaxStandardTuple)
        {
            throw new ArgumentException($"a typed host function returns at most {ClrTypes.MaxStandardTuple} results; define one with more through the untyped callback");
        }
        return (parameters, results, wantsCaller);
    }

    /// <summary>The element types of a ValueTuple result type (flattening TRest), or the type itself.</summary>
    public static Type[] FlattenResultType(Type type) =>
        type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)
            ? FlattenTuple(type).ToArray()
            : [type];

    private static IEnumerable<Type> FlattenTuple(Type tuple)
    {
        var args = tuple.GetGenericArguments();
        for (int i = 0; i < args.Length; i++)
        {
            if (i == 7)
            {
                foreach (var t in FlattenTuple(args[7])) yield return t;
            }
            else yield return args[i];
        }
    }

    private static ValType Of(Type type)
    {
        if (type == typeof(int)) return ValType.I32;
        if (type == typeof(long)) return ValType.I64;
        if (type == typeof(float)) return ValType.F32;
        if (type == typeof(double)) return ValType.F64;
        if (type == typeof(Vector128<byte>)) return ValType.V128;
        if (type == typeof(object)) return ValType.ExternRef;
        if (type == typeof(Function)) return ValType.FuncRef;
        throw new ArgumentException($"{type} has no wasm value type; use int, long, float, double, Vector128<byte>, object or Function (and Caller as the first parameter)");
    }
}
