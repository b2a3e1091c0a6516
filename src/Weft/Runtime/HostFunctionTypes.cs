using System.Runtime.Intrinsics;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>Wasm function types for host functions: from CLR delegate signatures, canonicalized engine-wide.</summary>
internal static class HostFunctionTypes
{
    /// <summary>
    /// The canonical type of a standalone (final, non-recursive) function type over abstract reference types or
    /// canonical concrete ones (type ids), in the engine of the concrete types it names (the default engine if none).
    /// </summary>
    public static DefinedType Canonical(IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results)
    {
        var named = parameters.Concat(results).FirstOrDefault(t => t.IsRef && t.Heap.IsConcrete);
        var engine = named.IsRef ? Engine.Of(NamedType(named)) : Engine.Default;
        return Canonical(engine, parameters, results);
    }

    private static DefinedType NamedType(ValType t)
    {
        try
        {
            return TypeRegistry.Get(t.Heap.Index);
        }
        catch (InvalidOperationException)
        {
            throw new ArgumentException($"{t} names no canonical type (concrete heap types in host function types are type ids, e.g. from GcType.Ref or a module's import types)", "parameters");
        }
    }

    /// <summary>
    /// The canonical type of a standalone function type in an engine (which keeps it). Canonical types it names
    /// become the "earlier" types of a one-group module, so that the group is canonicalized exactly as a module
    /// declaring it after those types would be; they must belong to the same engine.
    /// </summary>
    public static DefinedType Canonical(Engine engine, IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results)
    {
        var earlier = new List<DefinedType>();
        ValType Relative(ValType t)
        {
            if (t.Kind == ValKind.Bottom || (t.IsRef && t.Heap.Kind == HeapKind.Bottom)) throw new ArgumentException($"{t} is not a value type", nameof(parameters));
            if (!t.IsRef || !t.Heap.IsConcrete) return t;
            var named = NamedType(t);
            if (Engine.Of(named) != engine) throw new ArgumentException($"{t} names a type of another engine", nameof(parameters));
            int at = earlier.IndexOf(named);
            if (at < 0)
            {
                at = earlier.Count;
                earlier.Add(named);
            }
            return ValType.Ref(HeapType.Concrete((uint)at), t.Nullable);
        }
        var func = new FuncType([.. parameters.Select(Relative)], [.. results.Select(Relative)]);
        var group = new RecGroup([SubType.Plain(func)], explicitRec: false);
        return engine.Types.Canonicalize(group, (uint)earlier.Count, earlier.ToArray()).Members[0];
    }

    /// <summary>Whether a delegate type's first parameter is a <see cref="Caller"/>.</summary>
    public static bool WantsCaller(Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke") ?? throw new ArgumentException("not a delegate type", nameof(delegateType));
        var parameters = invoke.GetParameters();
        return parameters.Length > 0 && parameters[0].ParameterType == typeof(Caller);
    }

    /// <summary>
    /// Checks that a typed delegate can implement a function type: its parameters (after an optional
    /// <see cref="Caller"/>) and result (void, a type, or a ValueTuple) fit the wasm types one by one (see
    /// <see cref="ClassOf"/>). Returns whether it wants the caller.
    /// </summary>
    public static bool CheckDelegate(Type delegateType, DefinedType type)
    {
        var invoke = delegateType.GetMethod("Invoke") ?? throw new ArgumentException("not a delegate type", nameof(delegateType));
        var clrParameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        bool wantsCaller = clrParameters.Length > 0 && clrParameters[0] == typeof(Caller);
        var parameters = clrParameters.Skip(wantsCaller ? 1 : 0).ToArray();
        var returnType = invoke.ReturnType;
        Type[] results = returnType == typeof(void) ? [] : type.Results.Length == 1 ? [returnType] : FlattenResultType(returnType);
        bool ok = parameters.Length == type.Params.Length && results.Length == type.Results.Length
            && (results.Length <= 1 || (results.Length <= ClrTypes.MaxStandardTuple && returnType.IsValueType && returnType.IsGenericType));
        for (int i = 0; ok && i < parameters.Length; i++) ok = Fits(parameters[i], type.Params[i]);
        for (int i = 0; ok && i < results.Length; i++) ok = Fits(results[i], type.Results[i]);
        if (!ok)
        {
            throw new ArgumentException($"the delegate {delegateType} cannot implement {type.Composite}: each parameter and result must be the CLR type of its wasm type (int, long, float, double, Vector128<byte>; for a reference object or the class its heap type guarantees), several results a ValueTuple of at most {ClrTypes.MaxStandardTuple}");
        }
        return wantsCaller;
    }

    /// <summary>Whether a delegate's CLR type can carry values of a wasm type in both directions.</summary>
    public static bool Fits(Type clr, ValType wasm) => wasm.Kind switch
    {
        ValKind.I32 => clr == typeof(int),
        ValKind.I64 => clr == typeof(long),
        ValKind.F32 => clr == typeof(float),
        ValKind.F64 => clr == typeof(double),
        ValKind.V128 => clr == typeof(Vector128<byte>),
        _ => clr == typeof(object) || (ClassOf(wasm.Heap) is { } c && clr.IsAssignableFrom(c) && !clr.IsValueType),
    };

    /// <summary>
    /// The .NET class every non-null value of a heap type (canonical) is an instance of, or null when only object
    /// holds them all (extern, any and eq hold host objects or both GC objects and i31 values).
    /// </summary>
    public static Type? ClassOf(HeapType heap) => heap.Kind switch
    {
        HeapKind.Func or HeapKind.NoFunc => typeof(Function),
        HeapKind.Struct => typeof(GcStruct),
        HeapKind.Array => typeof(GcArray),
        HeapKind.I31 => typeof(I31Ref),
        HeapKind.Exn or HeapKind.NoExn => typeof(WasmException),
        HeapKind.Concrete => TypeRegistry.Get(heap.Index) switch
        {
            { IsFunc: true } => typeof(Function),
            { IsStruct: true } => typeof(GcStruct),
            _ => typeof(GcArray),
        },
        _ => null,
    };

    /// <summary>
    /// Whether a result of a typed delegate must be checked against its wasm type before compiled code (which trusts
    /// static types) sees it: a non-null or concrete reference type, or one the CLR type does not already guarantee.
    /// </summary>
    public static bool NeedsResultCheck(Type clr, ValType wasm)
    {
        if (!wasm.IsRef) return false;
        if (!wasm.Nullable || wasm.Heap.IsConcrete) return true;
        if (wasm.Heap.Kind == HeapKind.Func) return true; // it must be a function of the calling store (CheckResult)
        if (wasm.Heap.Kind is HeapKind.Extern or HeapKind.Any) return false;
        return !(ClassOf(wasm.Heap) is { } c && c.IsAssignableFrom(clr) && wasm.Heap.Kind is not (HeapKind.NoFunc or HeapKind.NoExn));
    }

    /// <summary>
    /// The wasm signature of a typed delegate, and whether its first parameter is a <see cref="Caller"/> (which is
    /// not a wasm parameter: the adapter passes the calling instance there).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2070",
        Justification = "A delegate type's Invoke method is kept with the type: every call of the delegate goes through it (NativeAOT keeps its metadata; the sample examples/PrecompiledSha256 relies on it).")]
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
        if (type == typeof(GcStruct)) return ValType.StructRef;
        if (type == typeof(GcArray)) return ValType.ArrayRef;
        if (type == typeof(I31Ref)) return ValType.I31Ref;
        if (type == typeof(WasmException)) return ValType.ExnRef;
        throw new ArgumentException($"{type} has no wasm value type; use int, long, float, double, Vector128<byte>, object, Function, GcStruct, GcArray, I31Ref or WasmException (and Caller as the first parameter), or give the wasm type explicitly (WasmFunctionType)");
    }
}
