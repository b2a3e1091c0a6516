using System.Runtime.Intrinsics;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// Checks that CLR types match a function's wasm signature exactly as compiled code passes them: i32 int,
/// i64 long, f32 float, f64 double, v128 <c>Vector128&lt;byte&gt;</c>, any reference object (or <see cref="Function"/>
/// for function references); several results as a ValueTuple of those.
/// </summary>
internal static class TypedSignature
{
    public static void Check(Function function, Type[] parameters, Type[] result)
    {
        var type = function.CanonicalType;
        var wasmParams = type.Params;
        var wasmResults = type.Results;
        bool ok = parameters.Length == wasmParams.Length;
        for (int i = 0; ok && i < parameters.Length; i++) ok = Fits(parameters[i], wasmParams[i]);
        if (ok)
        {
            if (result.Length == 0) ok = wasmResults.Length == 0;
            else if (wasmResults.Length == 1) ok = Fits(result[0], wasmResults[0]);
            else
            {
                var flat = HostFunctionTypes.FlattenResultType(result[0]);
                // Beyond MaxStandardTuple results compiled code uses a tree of tuples, not C#'s TRest chain.
                ok = flat.Length == wasmResults.Length && flat.Length > 1 && flat.Length <= ClrTypes.MaxStandardTuple;
                for (int i = 0; ok && i < flat.Length; i++) ok = Fits(flat[i], wasmResults[i]);
            }
        }
        if (!ok)
        {
            string given = $"({string.Join(", ", parameters.Select(Name))}) -> {(result.Length == 0 ? "void" : Name(result[0]))}";
            throw new ArgumentException($"the function's type is {Describe(wasmParams)} -> {Describe(wasmResults)}, which the CLR types {given} do not match");
        }
    }

    private static bool Fits(Type clr, ValType wasm) => wasm.Kind switch
    {
        ValKind.I32 => clr == typeof(int),
        ValKind.I64 => clr == typeof(long),
        ValKind.F32 => clr == typeof(float),
        ValKind.F64 => clr == typeof(double),
        ValKind.V128 => clr == typeof(Vector128<byte>),
        _ => clr == typeof(object) || (clr == typeof(Function) && IsFunctionReference(wasm)),
    };

    private static bool IsFunctionReference(ValType type) => type.Heap.Kind is HeapKind.Func or HeapKind.NoFunc
        || (type.Heap.IsConcrete && Validation.TypeRegistry.Get(type.Heap.Index).IsFunc);

    private static string Describe(ReadOnlySpan<ValType> types)
    {
        var names = new List<string>();
        foreach (var t in types) names.Add(t.ToString());
        return "(" + string.Join(" ", names) + ")";
    }

    private static string Name(Type type) => type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
