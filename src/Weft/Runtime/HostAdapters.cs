using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// Generates the entry points through which compiled code calls host functions. An adapter has the calling
/// convention of every wasm function (wasm parameters, then the context, which is the <see cref="HostFunction"/>)
/// and calls the delegate: directly when it is typed over the CLR types, else through a <see cref="HostCallback"/>
/// with boxed values. A .NET exception escaping the host becomes a <see cref="TrapException"/>; Weft exceptions pass
/// through uncaught.
/// </summary>
// Only making adapters needs dynamic code: the helpers they call (InvokeUntyped, Wrap, CheckResult) serve
// precompiled adapters and the slow path too.
internal sealed class HostAdapters(bool collectible)
{
    private readonly ConcurrentDictionary<(DefinedType, Type?), nint> _cache = new();
    private readonly Lock _defineLock = new();
    private ModuleBuilder? _module;
    private int _count;
    private static readonly MethodInfo s_callback = typeof(HostFunction).GetProperty(nameof(HostFunction.Callback))!.GetMethod!;
    private static readonly MethodInfo s_caller = typeof(HostFunction).GetProperty(nameof(HostFunction.Caller))!.GetMethod!;
    private static readonly MethodInfo s_wrap = typeof(HostAdapters).GetMethod(nameof(Wrap), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_checkResult = typeof(HostAdapters).GetMethod(nameof(CheckResult), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_invokeUntyped = typeof(HostAdapters).GetMethod(nameof(InvokeUntyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The entry point for a host function of a type, calling a delegate of <paramref name="typedDelegate"/> type (or untyped when null).</summary>
    /// <remarks>Asks the code generator of the type's engine; 0 when it has no native entry points (calls then take the slow path).</remarks>
    public static nint For(DefinedType type, Type? typedDelegate) => Engine.Of(type).CodeGenerator.HostEntry(type, typedDelegate);

    /// <summary>The adapter of this engine for a host function type and delegate type, made on first use (thread-safe).</summary>
    [RequiresDynamicCode("Host adapters are generated with Reflection.Emit.")]
    public nint Get(DefinedType type, Type? typedDelegate) =>
        _cache.GetOrAdd((type, typedDelegate), key => Create(key.Item1, key.Item2));

    /// <summary>Forgets the adapters (the engine is disposed).</summary>
    public void Clear()
    {
        lock (_defineLock)
        {
            _cache.Clear();
            // The builder references every class made: a disposed engine that is still referenced keeps none.
            _module = null;
        }
    }

    // Adapters are static methods of generated classes (a DynamicMethod's entry point cannot be taken for calli).
    // They are keyed by canonical types, which live as long as the engine: so does their assembly (collectible
    // when the engine is).
    [RequiresDynamicCode("Host adapters are generated with Reflection.Emit.")]
    private nint Create(DefinedType type, Type? typedDelegate)
    {
        lock (_defineLock)
        {
            _module ??= AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(GeneratedCode.AssemblyName), collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run)
                .DefineDynamicModule(GeneratedCode.AssemblyName);
            var typeBuilder = _module.DefineType($"HostAdapter{++_count}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
            var parameters = type.Params.ToArray();
            var results = type.Results.ToArray();
            var returnType = ClrTypes.ReturnType(results);
            var method = typeBuilder.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.Static, returnType, ClrTypes.ParameterTypes(parameters, typeof(object)));
            EmitBody(method.GetILGenerator(), parameters, results, returnType, typedDelegate);
            var created = typeBuilder.CreateType();
            return created.GetMethod("Invoke")!.MethodHandle.GetFunctionPointer();
        }
    }

    private static void EmitBody(ILGenerator il, ValType[] parameters, ValType[] results, Type returnType, Type? typedDelegate)
    {
        var result = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        il.BeginExceptionBlock();
        if (typedDelegate is not null)
        {
            il.Emit(OpCodes.Ldarg, parameters.Length);
            il.Emit(OpCodes.Castclass, typeof(HostFunction));
            il.Emit(OpCodes.Call, s_callback);
            il.Emit(OpCodes.Castclass, typedDelegate);
            bool wantsCaller = HostFunctionTypes.WantsCaller(typedDelegate);
            if (wantsCaller)
            {
                il.Emit(OpCodes.Ldarg, parameters.Length);
                il.Emit(OpCodes.Castclass, typeof(HostFunction));
                il.Emit(OpCodes.Call, s_caller);
            }
            var invoke = typedDelegate.GetMethod("Invoke")!;
            var clrParameters = invoke.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
            {
                il.Emit(OpCodes.Ldarg, i);
                // A parameter typed more narrowly than object (GcArray for (ref null $a)): compiled code's static
                // types guarantee the class (HostFunctionTypes.ClassOf), so the cast cannot fail.
                var clr = clrParameters[i + (wantsCaller ? 1 : 0)].ParameterType;
                if (parameters[i].IsRef && clr != typeof(object)) il.Emit(OpCodes.Castclass, clr);
            }
            il.Emit(OpCodes.Callvirt, invoke);
            EmitCheckTypedResults(il, parameters.Length, results, invoke.ReturnType, returnType);
        }
        else
        {
            EmitPackArguments(il, parameters);
            il.Emit(OpCodes.Call, s_invokeUntyped);
            EmitUnpackResults(il, results);
        }
        // Typed results are checked above where their CLR type does not guarantee the wasm type; untyped results
        // are checked in InvokeUntyped, because compiled code trusts static types.
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        // catch (object e) when (e is not WeftException) { throw Wrap(e); }: a host's own exception is wrapped once,
        // here where it first leaves the host; a Weft exception (a trap from wasm the host function called, a wasm
        // exception it threw) passes through without being caught. With a plain catch and rethrow, every host frame
        // of a deep host/wasm/host/... recursion would catch the trap on top of the stack not yet unwound and start
        // a new dispatch from there: the stack overflowed (killing the process), and unwinding cost grew faster than
        // the depth. A filter runs in .NET's first pass and returns; only the one dispatch unwinds.
        il.BeginExceptFilterBlock();
        il.Emit(OpCodes.Isinst, typeof(WeftException));
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ceq);
        il.BeginCatchBlock(null!);
        il.Emit(OpCodes.Castclass, typeof(Exception));
        il.Emit(OpCodes.Call, s_wrap);
        il.Emit(OpCodes.Throw);
        il.EndExceptionBlock();
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// Emits the untyped call's operands: the <see cref="HostFunction"/> (the adapter's last argument) and the wasm
    /// arguments packed into a new WasmValue array. Shared by the run-time adapters and the precompiled ones (Aot).
    /// </summary>
    internal static void EmitPackArguments(ILGenerator il, ValType[] parameters)
    {
        il.Emit(OpCodes.Ldarg, parameters.Length);
        il.Emit(OpCodes.Castclass, typeof(HostFunction));
        il.Emit(OpCodes.Ldc_I4, parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(WasmValue));
        for (int i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i);
            il.Emit(OpCodes.Call, ValueMarshal.Writer(ClrTypes.KindOf(parameters[i])));
            il.Emit(OpCodes.Stelem, typeof(WasmValue));
        }
    }

    internal static void EmitUnpackResults(ILGenerator il, ValType[] results)
    {
        if (results.Length == 0)
        {
            il.Emit(OpCodes.Pop);
            return;
        }
        var array = il.DeclareLocal(typeof(WasmValue[]));
        il.Emit(OpCodes.Stloc, array);
        for (int i = 0; i < results.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, array);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, ValueMarshal.Reader(ClrTypes.KindOf(results[i])));
        }
        if (results.Length > 1)
        {
            var types = results.Select(ClrTypes.Of).ToArray();
            ClrTypes.EmitPackTuple(il, types);
        }
    }

    // A typed delegate's results as compiled code takes them: each reference result its CLR type does not
    // guarantee (a non-null, concrete or narrower type) checked by CheckResult, and a tuple of other CLR types
    // (GcArray, Function, ...) repacked as the tuple of object the calling convention has.
    private static void EmitCheckTypedResults(ILGenerator il, int contextArg, ValType[] results, Type delegateReturn, Type returnType)
    {
        if (results.Length == 0) return;
        if (results.Length == 1)
        {
            if (HostFunctionTypes.NeedsResultCheck(delegateReturn, results[0])) EmitCheck(il, contextArg, 0);
            return;
        }
        var clrResults = HostFunctionTypes.FlattenResultType(delegateReturn);
        bool check = false;
        for (int i = 0; i < results.Length; i++) check |= HostFunctionTypes.NeedsResultCheck(clrResults[i], results[i]);
        if (!check && delegateReturn == returnType) return;
        var layout = TupleLayout.Of(clrResults);
        var value = il.DeclareLocal(delegateReturn);
        il.Emit(OpCodes.Stloc, value);
        var pointers = ClrTypes.EmitNodePointers(il, layout, value, il.DeclareLocal);
        for (int i = 0; i < results.Length; i++)
        {
            var (node, field) = layout.Elements[i];
            ClrTypes.EmitNodeAddress(il, value, pointers, node);
            il.Emit(OpCodes.Ldfld, field);
            if (HostFunctionTypes.NeedsResultCheck(clrResults[i], results[i])) EmitCheck(il, contextArg, i);
        }
        ClrTypes.EmitPackTuple(il, results.Select(ClrTypes.Of).ToArray());
    }

    private static void EmitCheck(ILGenerator il, int contextArg, int index)
    {
        il.Emit(OpCodes.Ldarg, contextArg);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Call, s_checkResult);
    }

    /// <summary>A typed host function's reference result, checked against its wasm type (compiled code trusts static types).</summary>
    internal static object? CheckResult(object? value, object function, int index)
    {
        var host = (HostFunction)function;
        var type = host.CanonicalType.Results[index];
        if (!Gc.GcCasts.Matches(value, type))
        {
            throw new TrapException(TrapKind.HostError, $"host function returned a reference that does not match {type}");
        }
        CheckSameStore(host, value);
        return value;
    }

    // A function of another store, called from this one, would run under that store's stack guard, limits and
    // thread ownership. Functions that may return functions are bound to their importing store (HostFunction.NeedsBinding).
    private static void CheckSameStore(HostFunction host, object? value)
    {
        if (host.BoundStore is { } store && StoreOwnership.IsForeign(store, value))
        {
            throw new TrapException(TrapKind.HostError, "host function returned a function of another store");
        }
    }

    internal static WasmValue[] InvokeUntyped(HostFunction function, WasmValue[] arguments)
    {
        var results = new WasmValue[function.CanonicalType.Results.Length];
        if (function.Callback is HostFunctionCallback withCaller) withCaller(function.Caller!, arguments, results);
        else ((HostCallback)function.Callback)(arguments, results);
        var types = function.CanonicalType.Results;
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i].Kind != types[i].Kind)
            {
                throw new TrapException(TrapKind.HostError, $"host function returned {results[i].Kind} where {types[i]} was expected");
            }
            if (types[i].IsRef && !Gc.GcCasts.Matches(results[i].AsReference(), types[i]))
            {
                throw new TrapException(TrapKind.HostError, $"host function returned a reference that does not match {types[i]}");
            }
            if (types[i].IsRef) CheckSameStore(function, results[i].AsReference());
        }
        return results;
    }

    internal static Exception Wrap(Exception exception) => exception is WeftException
        ? exception
        : new TrapException(TrapKind.HostError, $"host function failed: {exception.GetType().Name}: {exception.Message}", exception);
}
