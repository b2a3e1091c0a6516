using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>
/// One builtin function: its import name, the import types it accepts, and the static helper that implements it.
/// Compiled code calls the helper directly with the wasm arguments as they are on the IL stack (int, long, float,
/// double, Vector128&lt;byte&gt;, object), so RyuJIT inlines it into the caller; the same helper, wrapped as a typed
/// host function, is the function object an export, table or <c>ref.func</c> of the import sees.
/// </summary>
internal sealed class BuiltinFunction
{
    private readonly Func<Engine, DefinedType>? _exactType;
    private readonly Func<DefinedType, bool>? _accepts;

    private BuiltinFunction(string name, MethodInfo method, Func<Engine, DefinedType>? exactType, Func<DefinedType, bool>? accepts, string typeText)
    {
        Name = name;
        Method = method;
        _exactType = exactType;
        _accepts = accepts;
        TypeText = typeText;
    }

    /// <summary>The import name, e.g. <c>charCodeAt</c>.</summary>
    public string Name { get; }

    /// <summary>The static helper compiled code calls.</summary>
    public MethodInfo Method { get; }

    /// <summary>Whether the helper's last parameter is the canonical array type of the result (compiled code passes it).</summary>
    public bool TakesResultType => Method.GetParameters() is { Length: > 0 } p && p[^1].ParameterType == typeof(DefinedType);

    /// <summary>The type the builtin wants, in the text format (for link errors).</summary>
    public string TypeText { get; }

    /// <summary>A builtin with one exact function type (the JS API's builtins: the import's type must be that type).</summary>
    public static BuiltinFunction Exact([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type helpers, string name, Func<Engine, DefinedType> type, string typeText, string? method = null) =>
        new(name, MethodOf(helpers, method ?? name), type, null, typeText);

    /// <summary>A builtin whose import types are checked by a predicate (Weft's array SIMD builtins: any array type of the right element).</summary>
    public static BuiltinFunction Structural(string name, MethodInfo method, Func<DefinedType, bool> accepts, string typeText) =>
        new(name, method, null, accepts, typeText);

    /// <summary>Whether an import's canonical function type may take this builtin (spec 4.5.2 matching for exact builtins).</summary>
    public bool Accepts(Engine engine, DefinedType importType) =>
        _exactType is not null ? _exactType(engine).IsSubtypeOf(importType) : _accepts!(importType);

    /// <summary>A function object for the builtin with the import's type: a typed host function over the same helper.</summary>
    public Function CreateFunction(DefinedType importType)
    {
        if (TakesResultType)
        {
            // encodeStringToUTF8Array: the helper also takes the canonical array type it creates (the result's).
            var arrayType = ValidModule.DefinedTypeOf(importType.Results[0].Heap);
            var bound = Method.CreateDelegate<Func<object?, DefinedType, object>>();
            return new HostFunction(importType, new Func<object?, object>(value => bound(value, arrayType)), typed: true, store: null);
        }
        // Modules with builtins are compiled with Reflection.Emit (precompiled assemblies refuse them), so this path
        // only runs where dynamic code is; the guard says so to the trimming and NativeAOT analyzers.
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new NotSupportedException("builtin functions need dynamic code (modules with builtins cannot be precompiled)");
        }
        var types = Method.GetParameters().Select(p => p.ParameterType).Append(Method.ReturnType).ToArray();
        var delegateType = Expression.GetDelegateType(types);
        return new HostFunction(importType, Method.CreateDelegate(delegateType), typed: true, store: null);
    }

    private static MethodInfo MethodOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type helpers, string name) =>
        helpers.GetMethod(char.ToUpperInvariant(name[0]) + name[1..], BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"no helper {helpers.Name}.{name}");

    /// <summary>The canonical type of a standalone function type in an engine (builtin types are standalone, final, in their own group).</summary>
    public static DefinedType FuncType(Engine engine, ValType[] parameters, ValType[] results) =>
        HostFunctionTypes.Canonical(engine, parameters, results);
}
