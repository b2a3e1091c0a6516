namespace Weft.Runtime;

/// <summary>
/// What every typed caller (see TypedCallers.cs) holds: the function's entry point, its context argument and its
/// store, read once when the caller is made.
/// </summary>
internal abstract class TypedCall
{
    private protected readonly nint _code;
    private protected readonly object _context;
    private readonly Store? _store;

    private protected TypedCall(Function function)
    {
        _code = function.Code;
        _context = function.Context;
        _store = function.Store;
    }

    /// <summary>Enters the store (stack limit for this thread) and returns it, for the caller's <c>finally</c>.</summary>
    private protected Store? Enter()
    {
        var store = _store;
        store?.EnterWasm();
        return store;
    }
}
