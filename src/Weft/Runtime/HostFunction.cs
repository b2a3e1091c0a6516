using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// A function implemented by the host. Compiled code calls it through a generated adapter (see
/// <see cref="HostAdapters"/>) whose last argument is this object; the adapter calls the delegate.
/// </summary>
internal sealed class HostFunction : Function
{
    public HostFunction(DefinedType type, Delegate callback, bool typed, Store? store)
        : base(type, null!)
    {
        Callback = callback;
        Typed = typed;
        BoundStore = store;
        Context = this;
        Code = HostAdapters.For(type, typed ? callback.GetType() : null);
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

/// <summary>An untyped host function: reads its arguments and writes its results.</summary>
/// <param name="arguments">The arguments, one per parameter.</param>
/// <param name="results">Where to put the results, one per result type.</param>
public delegate void HostCallback(ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);
