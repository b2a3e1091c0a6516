namespace Weft.Runtime;

/// <summary>
/// Which store an entity belongs to, and the refusal of one from another store where it would enter this one.
/// Compiled code calls an imported or referenced function directly, with no store transition, so a function of
/// another store would run under that store's stack guard, thread and lifetime: unchecked on this thread (a crash),
/// or after that store unmapped its memories.
/// </summary>
internal static class StoreOwnership
{
    /// <summary>The reason of the <see cref="LinkException"/> for an entity of another store.</summary>
    public const string Reason = "entity of another store";

    /// <summary>
    /// The store of a function, table, memory or global; null for what every store may use: tags, host functions and
    /// shared memories (the threads proposal's way for instances in stores on different threads to share data; each
    /// importing store becomes an owner, see Store.Share).
    /// </summary>
    public static Store? StoreOf(Extern item) => item switch
    {
        Function f => f.Store,
        Table t => t.Store,
        Memory { IsShared: true } => null,
        Memory m => m.Store,
        Global g => g.Store,
        _ => null,
    };

    /// <summary>The exception for an entity of another store.</summary>
    public static LinkException Foreign(string what) => new(Reason, $"{what} belongs to another store");

    /// <summary>Refuses a reference value that is a function of a store other than <paramref name="store"/>.</summary>
    public static void CheckReference(Store store, object? value, string what)
    {
        if (IsForeign(store, value)) throw Foreign(what);
    }

    /// <summary>Whether a reference value is a function of a store other than <paramref name="store"/>.</summary>
    public static bool IsForeign(Store store, object? value) => value is Function { Store: { } owner } && owner != store;
}
