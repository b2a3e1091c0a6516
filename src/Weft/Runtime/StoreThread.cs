using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The thread that owns a store: the part of its stack where wasm may run and how many host-to-wasm calls of the
/// store it has active. A store changes owner only while the owner has no call active (see Store.EnterWasm).
/// </summary>
/// <remarks>
/// Only the owning thread writes <see cref="Depth"/>: a thread whose stack position lies in (<see cref="Low"/>,
/// <see cref="Top"/>] is that thread, because thread stacks are disjoint; every other thread goes to the store's
/// slow path, which never writes a foreign owner's fields. A new owner gets a new object, so an old owner that
/// races into the fast path while the store changes hands counts on its own object, not on the new owner's.
/// </remarks>
internal sealed class StoreThread
{
    /// <summary>An owner no stack position matches: every entry takes the slow path.</summary>
    public StoreThread(Store? store)
    {
        Store = store;
        Low = nuint.MaxValue;
    }

    public StoreThread(Store store, nuint threadLimit, nuint low, nuint top)
    {
        Store = store;
        ThreadLimit = threadLimit;
        Low = low;
        Top = top;
    }

    /// <summary>The store (null only for placeholders).</summary>
    public readonly Store? Store;

    /// <summary>The thread's own stack limit (StackBounds): it identifies the thread's stack.</summary>
    public readonly nuint ThreadLimit;

    /// <summary>The wasm stack limit on this thread: an entry at or below it traps with "call stack exhausted".</summary>
    public nuint Low;

    /// <summary>The highest stack position an outermost entry came from.</summary>
    public nuint Top;

    /// <summary>How many host-to-wasm calls of the store are active on this thread (nested through host functions).</summary>
    public int Depth;

    /// <summary>Leaves wasm after Store.EnterWasm; after the outermost call, does what the store has pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Leave()
    {
        // Depth is written before the store's pending work is read (a volatile read, so the JIT keeps the order);
        // Store.Dispose writes its request before it reads Depth (with a process-wide barrier in between), so at
        // least one side sees the other: a deferred dispose is never lost.
        if (--Depth == 0 && Volatile.Read(ref Store!.PendingAfterCall) != 0) Store.AfterOutermostCall();
    }
}
