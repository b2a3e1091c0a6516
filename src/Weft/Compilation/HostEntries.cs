using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Emits the compiled host entries of a module's exported functions (Runtime/TypedCallEntry.cs): per exported defined
/// function with numeric parameters and results (at most the typed API's eight parameters), a static
/// <c>hostentry_N(context, parameters...)</c> doing the store entry's fast path around a direct call of the body, and
/// its NoInlining twin <c>hostentryslow_N(context, position, parameters...)</c> for every other case. A typed delegate
/// closed over the instance context lands on the first: one call where a typed caller makes two, and the body,
/// when small (safe leaves are AggressiveInlining), inlined into it. The names carry no '$' and no leading 'f', so
/// backtraces show no frame for them. Eager code only: lazy bodies are reached through stubs, and precompiled
/// assemblies keep their format (their typed calls use the typed callers).
/// </summary>
internal static class HostEntries
{
    private const int MaxParameters = 8;

    private static readonly MethodInfo s_tryEnter = Member(nameof(TypedCallEntry.TryEnter));
    private static readonly MethodInfo s_stillOwns = Member(nameof(TypedCallEntry.StillOwns));
    private static readonly MethodInfo s_undo = Member(nameof(TypedCallEntry.Undo));
    private static readonly MethodInfo s_leave = Member(nameof(TypedCallEntry.Leave));
    private static readonly MethodInfo s_leaveWith = Member(nameof(TypedCallEntry.LeaveWith));
    private static readonly MethodInfo s_leaveWithout = Member(nameof(TypedCallEntry.LeaveWithout));
    private static readonly MethodInfo s_enterSlow = Member(nameof(TypedCallEntry.EnterSlow));
    private static readonly MethodInfo s_leaveSlow = Member(nameof(TypedCallEntry.LeaveSlow));
    private static readonly MethodInfo s_map = Member(nameof(TypedCallEntry.Map));

    private static MethodInfo Member(string name) => typeof(TypedCallEntry).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    /// <summary>
    /// Defines the entries in a static class of their own in the module's dynamic module (so no code type reaches the
    /// CLR's method limit) and returns it with the entry of each defined function (null where none), or null when no
    /// export qualifies. The caller creates the type after the code types.
    /// </summary>
    [RequiresDynamicCode("Host entries are emitted with Reflection.Emit.")]
    public static (TypeBuilder Type, MethodBuilder?[] Entries)? Define(ModuleCompiler compiler)
    {
        if (!TypedCallEntry.Enabled) return null;
        var module = compiler.Module;
        TypeBuilder? type = null;
        var entries = new MethodBuilder?[compiler.Methods.Length];
        foreach (var export in module.Exports)
        {
            if (export.Kind != ExternKind.Func) continue;
            int defined = (int)export.Index - compiler.ImportedFunctionCount;
            if (defined < 0 || entries[defined] is not null) continue;
            var signature = compiler.FunctionTypes[export.Index];
            // Every numeric export, each called so that a body a backtrace may contain keeps its frame (BodyCall; an
            // inlined function that traps loses its frame, and one compiled to the pending-exception protocol its throw
            // site). WEFT_HOST_ENTRY_ALL=0: safe leaves only (no calls, no traps), the earlier rule.
            if (!Qualifies(signature) || (!TypedCallEntry.AllExports && compiler.Leaves[defined] != LeafKind.SafeLeaf)) continue;
            type ??= ((ModuleBuilder)compiler.Type.Module).DefineType($"WasmModule{compiler.Id}HostEntries",
                TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
            entries[defined] = Emit(compiler, type, defined, signature);
        }
        return type is null ? null : (type, entries);
    }

    /// <summary>
    /// Creates the entries' type (after the code types) and registers its entries for <see cref="TypedCallEntry.Create"/>
    /// under the module's context class.
    /// </summary>
    public static void Register((TypeBuilder Type, MethodBuilder?[] Entries) defined, Type contextType, CompiledModule compiled, int importedFunctions)
    {
        var created = defined.Type.CreateType();
        var methods = created.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .ToDictionary(m => m.Name, StringComparer.Ordinal);
        var entries = new MethodInfo?[defined.Entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            if (defined.Entries[i] is { } entry) entries[i] = methods[entry.Name];
        }
        TypedCallEntry.Register(contextType, new TypedCallEntry.Set(entries, compiled.FunctionPointers, importedFunctions));
    }

    // How the entry calls the body: a body that may appear in a backtrace must keep its frame, so a direct call only
    // where RyuJIT cannot inline it (NoInlining: a trapping leaf) or where no backtrace can hold it (a safe leaf,
    // AggressiveInlining on purpose); anything else by calli of its own address (ldftn), which RyuJIT does not
    // inline. A trapping leaf that only reads is called through its inlinable copy, replayed on a throw
    // (HostEntryReplay: Copy set, the fast entry only).
    private readonly record struct BodyCall(MethodInfo Body, bool Direct, Type ReturnType, Type[] ParameterTypes, MethodInfo? Copy = null);

    private static void EmitBodyCall(ILGenerator il, BodyCall call)
    {
        if (call.Direct)
        {
            il.Emit(OpCodes.Call, call.Body);
            return;
        }
        il.Emit(OpCodes.Ldftn, call.Body);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, call.ReturnType, call.ParameterTypes, null);
    }

    private static void EmitArguments(ILGenerator il, int parameters, int firstParameter)
    {
        for (int p = 0; p < parameters; p++) il.Emit(OpCodes.Ldarg, (short)(firstParameter + p));
        il.Emit(OpCodes.Ldarg_0);
    }

    private static bool Qualifies(FuncType signature)
    {
        if (signature.Params.Count > MaxParameters || signature.Results.Count > ClrTypes.MaxStandardTuple) return false;
        foreach (var p in signature.Params)
        {
            if (ClrTypes.KindOf(p) == StackKind.Ref) return false;
        }
        foreach (var r in signature.Results)
        {
            if (ClrTypes.KindOf(r) == StackKind.Ref) return false;
        }
        return true;
    }

    private static MethodBuilder Emit(ModuleCompiler compiler, TypeBuilder type, int defined, FuncType signature)
    {
        int index = compiler.ImportedFunctionCount + defined;
        var returnType = ClrTypes.ReturnType(signature.Results);
        var wasmParameters = ClrTypes.ParameterTypes(signature.Params, compiler.ContextType)[..^1];
        var method = compiler.Methods[defined];
        bool direct = compiler.Leaves[defined] == LeafKind.SafeLeaf || (method.GetMethodImplementationFlags() & MethodImplAttributes.NoInlining) != 0;
        var body = new BodyCall(method, direct, returnType, [.. wasmParameters, compiler.ContextType]);
        var copy = HostEntryReplay.Qualifies(compiler, defined) ? HostEntryReplay.DefineCopy(compiler, type, defined) : null;
        var inv = System.Globalization.CultureInfo.InvariantCulture;

        var slow = type.DefineMethod("hostentryslow_" + index.ToString(inv), MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            returnType, [compiler.ContextType, typeof(nuint), .. wasmParameters]);
        slow.SetImplementationFlags(MethodImplAttributes.NoInlining);
        var il = slow.GetILGenerator();
        var owner = il.DeclareLocal(typeof(StoreThread));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Call, s_enterSlow);
        il.Emit(OpCodes.Stloc, owner);
        EmitGuardedCall(il, body, returnType, wasmParameters.Length, firstParameter: 2, owner, s_leaveSlow);

        var fast = type.DefineMethod("hostentry_" + index.ToString(inv), MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            returnType, [compiler.ContextType, .. wasmParameters]);
        // The address of `here` is the stack position: no zeroing of it on every call.
        fast.InitLocals = false;
        il = fast.GetILGenerator();
        var here = il.DeclareLocal(typeof(byte));
        var position = il.DeclareLocal(typeof(nuint));
        owner = il.DeclareLocal(typeof(StoreThread));
        var toSlow = il.DefineLabel();
        var undone = il.DefineLabel();
        // Rounding the position down by a byte is harmless (an entry one byte deeper) and frees the low bit.
        il.Emit(OpCodes.Ldloca, here);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldc_I4, -2);
        il.Emit(OpCodes.Conv_I);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Stloc, position);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, position);
        il.Emit(OpCodes.Call, s_tryEnter);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, owner);
        il.Emit(OpCodes.Brfalse, toSlow);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, owner);
        il.Emit(OpCodes.Call, s_stillOwns);
        il.Emit(OpCodes.Brfalse, undone);
        EmitFastCall(il, body with { Copy = copy }, returnType, wasmParameters.Length, owner);
        // The store changed hands between the flag and the re-read: take the flag back, the slow path decides.
        il.MarkLabel(undone);
        il.Emit(OpCodes.Ldloc, owner);
        il.Emit(OpCodes.Call, s_undo);
        il.Emit(OpCodes.Ldloc, position);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Or);
        il.Emit(OpCodes.Stloc, position);
        // Every other case: the slow twin with the same arguments (so this method makes no call before the body's).
        il.MarkLabel(toSlow);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, position);
        for (int p = 0; p < wasmParameters.Length; p++) il.Emit(OpCodes.Ldarg, (short)(p + 1));
        il.Emit(OpCodes.Call, slow);
        il.Emit(OpCodes.Ret);
        return fast;
    }

    // try { result = body(parameters..., context); } catch (SystemException e) { throw Map(e); } fault { Leave(owner); }
    // return LeaveWith(context, owner, result);
    // The normal path's leave follows the try rather than being its finally, so that the result passes through the
    // rare call of the store's pending work instead of living across it (TypedCallEntry.LeaveWith).
    private static void EmitFastCall(ILGenerator il, BodyCall body, Type returnType, int parameters, LocalBuilder owner)
    {
        var result = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        // A replayed copy's result comes back in a local of its own and leaves by its own exit: a local assigned in
        // both the try and its catch lives on the stack (a store and a reload on every call), one assigned only in
        // the try stays in a register.
        var replay = body.Copy is not null && result is not null ? new Replay(il.DeclareLocal(returnType), il.DefineLabel()) : (Replay?)null;
        il.BeginExceptionBlock();
        EmitMappedCall(il, body, parameters, 1, result, replay);
        il.BeginFaultBlock();
        il.Emit(OpCodes.Ldloc, owner);
        il.Emit(OpCodes.Call, s_leave);
        il.EndExceptionBlock();
        EmitLeave(il, returnType, owner, result);
        if (replay is { } r)
        {
            il.MarkLabel(r.Exit);
            EmitLeave(il, returnType, owner, r.Result);
        }
    }

    private static void EmitLeave(ILGenerator il, Type returnType, LocalBuilder owner, LocalBuilder? result)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldloc, owner);
        if (result is null)
        {
            il.Emit(OpCodes.Call, s_leaveWithout);
        }
        else
        {
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Call, s_leaveWith.MakeGenericMethod(returnType));
        }
        il.Emit(OpCodes.Ret);
    }

    // Where a replayed call's result goes and the label after the entry's try/fault that returns it.
    private readonly record struct Replay(LocalBuilder Result, Label Exit);

    // try { result = body(parameters..., context); } catch (SystemException e) { throw Map(e); } finally { leave(owner); }
    // return result;
    private static void EmitGuardedCall(ILGenerator il, BodyCall body, Type returnType, int parameters, int firstParameter,
        LocalBuilder owner, MethodInfo leave)
    {
        var result = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        il.BeginExceptionBlock();
        EmitMappedCall(il, body, parameters, firstParameter, result, replay: null);
        il.BeginFinallyBlock();
        il.Emit(OpCodes.Ldloc, owner);
        il.Emit(OpCodes.Call, leave);
        il.EndExceptionBlock();
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
    }

    // try { result = body(parameters..., context); } catch (SystemException e) { throw Map(e); }: the call both entries
    // make, inside their own fault or finally block.
    private static void EmitMappedCall(ILGenerator il, BodyCall body, int parameters, int firstParameter, LocalBuilder? result, Replay? replay)
    {
        il.BeginExceptionBlock();
        if (body.Copy is { } copy)
        {
            // try { result = copy(parameters..., context); }
            // catch (Exception) { replayed = body(parameters..., context); leave to return replayed; }
            il.BeginExceptionBlock();
            EmitArguments(il, parameters, firstParameter);
            il.Emit(OpCodes.Call, copy);
            if (result is not null) il.Emit(OpCodes.Stloc, result);
            il.BeginCatchBlock(typeof(Exception));
            il.Emit(OpCodes.Pop);
            EmitArguments(il, parameters, firstParameter);
            il.Emit(OpCodes.Call, body.Body);
            if (replay is { } r)
            {
                il.Emit(OpCodes.Stloc, r.Result);
                il.Emit(OpCodes.Leave, r.Exit);
            }
            il.EndExceptionBlock();
        }
        else
        {
            EmitArguments(il, parameters, firstParameter);
            EmitBodyCall(il, body);
            if (result is not null) il.Emit(OpCodes.Stloc, result);
        }
        il.BeginCatchBlock(typeof(SystemException));
        il.Emit(OpCodes.Call, s_map);
        il.Emit(OpCodes.Throw);
        il.EndExceptionBlock();
    }
}
