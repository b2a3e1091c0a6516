using System.Runtime.CompilerServices;
using Weft.Gc;
using Weft.Syntax;

namespace Weft.Runtime;

/// <summary>
/// What every typed caller (see TypedCallers.cs) holds: the function's entry point, its context argument, its
/// store, read once when the caller is made, and the parameter types whose arguments must be checked per call.
/// </summary>
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
    /// Enters the store (thread ownership, stack limit for this thread) and returns the owner record, for the
    /// caller's <c>finally</c>. A host function (no store) runs no wasm, but a host function calling itself through
    /// Weft recurses all the same, so its entry checks the stack against the thread's limit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected StoreThread? Enter()
    {
        var store = _store;
        if (store is null)
        {
            StackBounds.CheckHostEntry();
            return null;
        }
        return store.EnterWasm();
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
