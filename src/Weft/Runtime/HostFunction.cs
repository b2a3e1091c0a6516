using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// A function implemented by the host. Compiled code calls it through a generated adapter (see
/// <see cref="HostAdapters"/>) whose last argument is this object; the adapter calls the delegate.
/// </summary>
internal sealed class HostFunction : Function
{
    public HostFunction(DefinedType type, Delegate callback, bool typed, Store? store, bool wantsCaller = false)
        : base(type, null!)
    {
        Callback = callback;
        Typed = typed;
        BoundStore = store;
        WantsCaller = wantsCaller;
        Context = this;
        Code = HostAdapters.For(type, typed ? callback.GetType() : null);
    }

    private HostFunction(HostFunction unbound, Caller caller)
        : this(unbound.CanonicalType, unbound.Callback, unbound.Typed, caller.Store, unbound.WantsCaller)
    {
        Caller = caller;
    }

    /// <summary>Whether the delegate's first parameter is a <see cref="Weft.Caller"/>.</summary>
    public bool WantsCaller { get; }

    /// <summary>The importing instance, for a function bound to one (see <see cref="BindTo"/>); else null.</summary>
    public Caller? Caller { get; }

    /// <summary>
    /// The function as imported by one instance: a copy whose adapter passes that instance as the <see cref="Weft.Caller"/>.
    /// Functions that want no caller are shared as they are.
    /// </summary>
    public HostFunction BindTo(Caller caller) => NeedsBinding ? new HostFunction(this, caller) : this;

    /// <summary>
    /// Whether each importing instance gets its own copy: when the delegate wants the caller, or when the function
    /// may return a function, which must then be of the importing store (<see cref="BoundStore"/>; checked by the
    /// adapter): a function of another store would run under that store's guards and thread ownership.
    /// </summary>
    public bool NeedsBinding => WantsCaller || (BoundStore is null && MayReturnFunctions(CanonicalType));

    private static bool MayReturnFunctions(DefinedType type)
    {
        foreach (var result in type.Results)
        {
            if (!result.IsRef) continue;
            if (result.Heap.Kind == Weft.Syntax.HeapKind.Func) return true;
            if (result.Heap.IsConcrete && TypeRegistry.Get(result.Heap.Index).IsFunc) return true;
        }
        return false;
    }

    /// <summary>The host delegate: a typed delegate over CLR value types, or a <see cref="HostCallback"/>.</summary>
    public Delegate Callback { get; }

    /// <summary>Whether <see cref="Callback"/> takes and returns the CLR types directly.</summary>
    public bool Typed { get; }

    /// <summary>The store it was created for, if any.</summary>
    public Store? BoundStore { get; }

    /// <inheritdoc/>
    public override Store? Store => BoundStore;

    /// <inheritdoc/>
    public override string ToString() => $"host function {Callback.Method.Name}";
}
