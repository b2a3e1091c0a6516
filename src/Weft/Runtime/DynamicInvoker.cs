using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// Calls any function with boxed <see cref="WasmValue"/> arguments: a generated stub per signature unpacks the
/// arguments, calls the entry point and packs the results. This is the host's general entry into wasm; it sets
/// up the stack guard and turns every failure into a Weft exception.
/// </summary>
internal static class DynamicInvoker
{
    /// <summary>Calls a function with boxed arguments (already checked) and returns its boxed results.</summary>
    internal delegate WasmValue[] Stub(Function function, WasmValue[] arguments);
    private static readonly FieldInfo s_code = typeof(Function).GetField(nameof(Function.Code), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_context = typeof(Function).GetField(nameof(Function.Context), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public static WasmValue[] Invoke(Function function, WasmValue[] arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        var type = function.CanonicalType;
        var parameters = type.Params;
        if (arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"the function takes {parameters.Length} arguments, not {arguments.Length}", nameof(arguments));
        }
        var store = function.Store;
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Kind != parameters[i].Kind)
            {
                throw new ArgumentException($"argument {i} is {arguments[i].Kind}, the function expects {parameters[i]}", nameof(arguments));
            }
            // Compiled code trusts static reference types (struct.get is a plain field load), so check them here.
            if (parameters[i].IsRef && !Gc.GcCasts.Matches(arguments[i].AsReference(), parameters[i]))
            {
                throw new ArgumentException($"argument {i} does not match the parameter type {parameters[i]}", nameof(arguments));
            }
            if (store is not null && parameters[i].IsRef) StoreOwnership.CheckReference(store, arguments[i].AsReference(), $"argument {i}");
        }
        var stub = Engine.Of(type).CodeGenerator.Invoker(type);
        StoreThread? entry = null;
        if (store is null) StackBounds.CheckHostEntry();
        else entry = store.EnterWasm();
        try
        {
            return stub(function, arguments);
        }
        // Only a non-Weft exception is caught (once, where it first crosses into the host): a trap passing through
        // many nested host/wasm boundaries must not be caught and thrown again at each, since .NET runs a catch on
        // top of the stack not yet unwound and every rethrow is a new dispatch (deep re-entry then overflowed the
        // stack, and unwinding grew faster than the depth). The filter only looks at the exception's type.
        catch (Exception e) when (e is not WeftException)
        {
            throw ExceptionMapping.ToWeft(e);
        }
        finally
        {
            entry?.Leave();
        }
    }

    /// <summary>The IL stub for a signature: unpacks the arguments, calls the entry point with calli, packs the results.</summary>
    [RequiresDynamicCode("Invoke stubs are generated with Reflection.Emit.")]
    internal static Stub CreateStub(DefinedType type)
    {
        var method = new DynamicMethod("invoke", typeof(WasmValue[]), [typeof(Function), typeof(WasmValue[])], typeof(DynamicInvoker).Module, skipVisibility: true);
        EmitStubBody(method.GetILGenerator(), type);
        return method.CreateDelegate<Stub>();
    }

    /// <summary>The body of an invoke stub (<see cref="Stub"/>'s signature); also written ahead of time (Compilation/Aot).</summary>
    internal static void EmitStubBody(ILGenerator il, DefinedType type)
    {
        var parameters = type.Params.ToArray();
        var results = type.Results.ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, ValueMarshal.Reader(ClrTypes.KindOf(parameters[i])));
        }
        var returnType = ClrTypes.ReturnType(results);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_context);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, s_code);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, returnType, ClrTypes.ParameterTypes(parameters, typeof(object)), null);
        EmitPackResults(il, results, returnType);
        il.Emit(OpCodes.Ret);
    }

    private static void EmitPackResults(ILGenerator il, ValType[] results, Type returnType)
    {
        if (results.Length == 0)
        {
            il.Emit(OpCodes.Call, typeof(Array).GetMethod(nameof(Array.Empty))!.MakeGenericMethod(typeof(WasmValue)));
            return;
        }
        var value = il.DeclareLocal(returnType);
        il.Emit(OpCodes.Stloc, value);
        var array = il.DeclareLocal(typeof(WasmValue[]));
        il.Emit(OpCodes.Ldc_I4, results.Length);
        il.Emit(OpCodes.Newarr, typeof(WasmValue));
        il.Emit(OpCodes.Stloc, array);
        if (results.Length == 1)
        {
            il.Emit(OpCodes.Ldloc, array);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(OpCodes.Call, ValueMarshal.Writer(ClrTypes.KindOf(results[0])));
            il.Emit(OpCodes.Stelem, typeof(WasmValue));
        }
        else
        {
            // Through a managed pointer to each nested tuple: IL linear in the result count, nothing copied.
            var layout = TupleLayout.Of(results.Select(ClrTypes.Of).ToArray());
            var pointers = ClrTypes.EmitNodePointers(il, layout, value, il.DeclareLocal);
            for (int i = 0; i < results.Length; i++)
            {
                var (node, field) = layout.Elements[i];
                il.Emit(OpCodes.Ldloc, array);
                il.Emit(OpCodes.Ldc_I4, i);
                ClrTypes.EmitNodeAddress(il, value, pointers, node);
                il.Emit(OpCodes.Ldfld, field);
                il.Emit(OpCodes.Call, ValueMarshal.Writer(ClrTypes.KindOf(results[i])));
                il.Emit(OpCodes.Stelem, typeof(WasmValue));
            }
        }
        il.Emit(OpCodes.Ldloc, array);
    }
}
