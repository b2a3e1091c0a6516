using System.Runtime.CompilerServices;
using Weft.Gc;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// What every typed caller (see TypedCallers.cs) holds: the function's entry point, its context argument, its
/// store, read once when the caller is made, and the parameter types whose arguments must be checked per call.
/// </summary>
[SkipLocalsInit]
internal abstract class TypedCall
{
    private protected readonly nint _code;
    private protected readonly object _context;
    private readonly Store? _store;

    // The parameter types when some reference parameter does not take every object (null otherwise, the common
    // case, where the per-argument check is one null test). Compiled code trusts static types — struct.get is a
    // plain field load, call_ref a calli — so a host object of the wrong kind must be refused before it enters.
    private readonly ValType[]? _checkedParameters;

    private protected TypedCall(Function function)
    {
        // Typed callers are the IL fast path: they call the entry point directly, which other generators may not have.
        if (!Engine.Of(function.CanonicalType).CodeGenerator.NativeEntryPoints)
        {
            throw new NotSupportedException("typed calls need native entry points; call the function with Invoke");
        }
        _code = function.Code;
        _context = function.Context;
        _store = function.Store;
        var parameters = function.CanonicalType.Params;
        foreach (var type in parameters)
        {
            if (GcCasts.NeedsHostCheck(type))
            {
                _checkedParameters = parameters.ToArray();
                break;
            }
        }
    }


    /// <summary>
    /// The common case of the entry: the outermost call from the thread that owns the store. Returns the owner to
    /// leave with, or null when the call must take the general path (the caller's InvokeSlow, which enters with
    /// <see cref="EnterSlow"/>, passing on <paramref name="slow"/>: this frame's stack position, whose low bit says
    /// that this entry set the owner's flag and cleared it again after it saw the store change hands). No call on
    /// any path, so the caller's arguments need not be saved around one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected unsafe StoreThread? EnterFast(out nuint slow)
    {
        byte here;
        nuint position = (nuint)(&here);
        // Rounding the position down by a byte is harmless (an entry one byte deeper), and frees the low bit.
        slow = position & ~(nuint)1;
        var store = _store;
        if (store is null) return null;
        var owner = store.TryEnterWasmFast(position);
        if (owner is null) return null;
        if (store.StillOwnedBy(owner)) return owner;
        owner.Active = 0;
        slow |= 1;
        return null;
    }

    /// <summary>
    /// Enters the store (thread ownership, stack limit for this thread) from the stack position the caller's fast
    /// path saw (<see cref="EnterFast"/>) and returns the owner record for the caller's <c>finally</c>, or null when
    /// there is nothing to leave (a nested entry). A host function (no store) runs no wasm, but a host function
    /// calling itself through Weft recurses all the same, so its entry checks the stack against the thread's limit.
    /// </summary>
    /// <remarks>
    /// The position is the fast path's, not this frame's: a thread's first entries run before the typed caller is
    /// optimized (its entry check then sits in a deeper frame), and the owner's range must grow to the optimized
    /// caller's frame, or every later call would miss it and come here.
    /// </remarks>
    private protected StoreThread? EnterSlow(nuint slow)
    {
        var store = _store;
        if (store is null)
        {
            StackBounds.CheckHostEntry();
            return null;
        }
        return store.EnterWasmAfterFastPath(slow);
    }

    /// <summary>Refuses a reference argument that does not match its parameter's type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected void CheckArgument<T>(int index, T value)
    {
        if (_checkedParameters is not null) CheckArgumentSlow(index, value);
    }

    private void CheckArgumentSlow(int index, object? value)
    {
        var type = _checkedParameters![index];
        if (GcCasts.NeedsHostCheck(type) && !GcCasts.Matches(value, type))
        {
            throw new ArgumentException($"argument {index} does not match the parameter type {type}", $"a{index + 1}");
        }
        if (_store is not null) StoreOwnership.CheckReference(_store, value, $"argument {index}");
    }
}
