using System.Reflection;
using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// Compiled host entries (Compilation/HostEntries.cs): for an exported function with a numeric signature the module
/// compiler emits a static method that makes the store entry itself and calls the function's body directly, so a
/// typed delegate (Function.AsAction/AsFunc) is a delegate closed over the instance context that lands on that one
/// method, instead of on a typed caller (TypedCallers.cs) that calls the body through its function pointer. This
/// class holds what that emitted code calls (inlined into it, except the slow path) and finds a function's entry.
/// </summary>
/// <remarks>
/// The protocol is <see cref="TypedCall"/>'s, step for step: the fast path (outermost call on the owner thread) is
/// <see cref="TryEnter"/>, <see cref="StillOwns"/> (or <see cref="Undo"/> and the slow path with the low bit set)
/// and <see cref="StoreThread.Leave"/> in a finally; everything else (nested entries, another thread, a stack too
/// deep, a disposed store) goes to the entry's NoInlining slow twin, which enters through <see cref="EnterSlow"/>.
/// Traps and Weft's own failures leave as <see cref="TypedCall"/>'s do (a catch of SystemException mapped by
/// <see cref="ExceptionMapping.ToWeft"/>). docs/RATIONALE.md, "Compiled host entries".
/// </remarks>
internal static class TypedCallEntry
{
    /// <summary>Whether typed delegates use compiled host entries; <c>WEFT_HOST_ENTRY=0</c> turns them off (read once).</summary>
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_HOST_ENTRY") != "0";

    /// <summary>
    /// Whether every exported function with a numeric signature gets an entry, not only safe leaves (bodies that may
    /// appear in a backtrace called so that RyuJIT cannot inline them); <c>WEFT_HOST_ENTRY_ALL=0</c>: safe leaves only (read once).
    /// </summary>
    internal static readonly bool AllExports = Environment.GetEnvironmentVariable("WEFT_HOST_ENTRY_ALL") != "0";

    /// <summary>How many entries through compiled host entries took the slow path on this thread (a probe for tests and the benchmarks).</summary>
    [ThreadStatic]
    internal static long SlowEntries;

    // The host entries of each compiled module, by its context class (collectible with the module's code).
    private static readonly ConditionalWeakTable<Type, Set> s_modules = [];

    /// <summary>A module's host entries: the method per defined function (null where none) and the entry point it calls.</summary>
    internal sealed record Set(MethodInfo?[] Entries, nint[] EntryPoints, int ImportedFunctions);

    /// <summary>Registers the host entries of a module whose instances are of <paramref name="contextType"/>.</summary>
    internal static void Register(Type contextType, Set set) => s_modules.AddOrUpdate(contextType, set);

    /// <summary>
    /// A delegate of type <typeparamref name="TDelegate"/> on the function's compiled host entry, or null when it has
    /// none (not exported, a signature with references, lazy or precompiled code, the switch off) or its signature
    /// is not the delegate's exactly; the caller then makes a typed caller.
    /// </summary>
    internal static TDelegate? Create<TDelegate>(Function function)
        where TDelegate : Delegate
    {
        if (!Enabled || function is not WasmFunction { Instance: var context } wasm) return null;
        if (!s_modules.TryGetValue(context.GetType(), out var set)) return null;
        int defined = wasm.Index - set.ImportedFunctions;
        if ((uint)defined >= (uint)set.Entries.Length || set.Entries[defined] is not { } entry) return null;
        // The entry calls the body statically: only a function object still on that body may use it.
        if (wasm.Code != set.EntryPoints[defined] || !Matches(typeof(TDelegate), entry)) return null;
        return (TDelegate)entry.CreateDelegate(typeof(TDelegate), context);
    }

    // The entry is (context, parameters...) -> result; the delegate (parameters...) -> result, closed over the context.
    // The delegate is always Action or Action<...> or Func<..., TResult> (Function.Typed.cs), so its signature is read
    // from its generic arguments rather than from its Invoke method, which trimming analysis cannot see is kept.
    private static bool Matches(Type delegateType, MethodInfo entry)
    {
        Type[] arguments = delegateType.IsGenericType ? delegateType.GetGenericArguments() : [];
        bool func = delegateType.IsGenericType && delegateType.GetGenericTypeDefinition().Name.StartsWith("Func`", StringComparison.Ordinal);
        Type result = func ? arguments[^1] : typeof(void);
        int count = func ? arguments.Length - 1 : arguments.Length;
        if (result != entry.ReturnType) return false;
        var have = entry.GetParameters();
        if (have.Length != count + 1) return false;
        for (int i = 0; i < count; i++)
        {
            if (arguments[i] != have[i + 1].ParameterType) return false;
        }
        return true;
    }

    /// <summary>The fast path's entry: the owner when this is the outermost call on the owner thread, else null (nothing entered).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StoreThread? TryEnter(InstanceContext context, nuint position) => context.Store.TryEnterWasmFast(position);

    /// <summary>After <see cref="TryEnter"/>: whether the owner still owns the store (see Store.StillOwnedBy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StillOwns(InstanceContext context, StoreThread owner) => context.Store.StillOwnedBy(owner);

    /// <summary>Takes back the flag <see cref="TryEnter"/> set when the store changed hands meanwhile; the slow path follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Undo(StoreThread owner) => owner.Active = 0;

    /// <summary>Leaves after the fast path's entry when the call failed (the entry's fault handler).</summary>
    public static void Leave(StoreThread owner) => owner.Leave();

    /// <summary>
    /// Leaves after the fast path's entry and the call's return, passing its result through: written so that the
    /// result is an argument of the rare call (the store's pending work), never a value kept across it, which would
    /// take callee-saved registers and their pushes and pops on every call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeaveWith<T>(InstanceContext context, StoreThread owner, T result)
    {
        // As StoreThread.Leave: Active written before the volatile read of the pending work.
        owner.Active = 0;
        var store = context.Store;
        if (Volatile.Read(ref store.PendingAfterCall) != 0) return AfterCall(store, result);
        return result;
    }

    /// <inheritdoc cref="LeaveWith{T}"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LeaveWithout(InstanceContext context, StoreThread owner)
    {
        owner.Active = 0;
        var store = context.Store;
        if (Volatile.Read(ref store.PendingAfterCall) != 0) store.AfterOutermostCall();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T AfterCall<T>(Store store, T result)
    {
        store.AfterOutermostCall();
        return result;
    }

    /// <summary>
    /// The slow path's entry from the fast path's stack position (low bit: it set the flag and took it back, see
    /// TypedCall.EnterSlow): the owner to leave with, or null for a nested entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static StoreThread? EnterSlow(InstanceContext context, nuint slow)
    {
        SlowEntries++;
        return context.Store.EnterWasmAfterFastPath(slow);
    }

    /// <summary>Leaves after the slow path's entry (null: a nested entry, nothing to leave).</summary>
    public static void LeaveSlow(StoreThread? owner) => owner?.Leave();

    /// <summary>What a .NET exception from compiled code becomes (as in the typed callers).</summary>
    public static Exception Map(SystemException exception) => ExceptionMapping.ToWeft(exception);
}
