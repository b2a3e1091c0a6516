using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The thread that owns a store: the part of its stack where wasm may run and whether a host-to-wasm call of the
/// store is active on it. A store changes owner only while the owner has no call active (see Store.EnterWasm).
/// </summary>
/// <remarks>
/// Only the owning thread writes <see cref="Active"/>: a thread whose stack position lies in (<see cref="Low"/>,
/// <see cref="Top"/>] is that thread, because thread stacks are disjoint; every other thread goes to the store's
/// slow path, which never writes a foreign owner's fields. A new owner gets a new object, so an old owner that
/// races into the fast path while the store changes hands marks its own object, not the new owner's.
/// </remarks>
internal sealed class StoreThread
{
    /// <summary>An owner no stack position matches: every entry takes the slow path.</summary>
    public StoreThread(Store? store)
    {
        Store = store;
        SetRange(nuint.MaxValue, 0);
    }

    public StoreThread(Store store, nuint threadLimit, nuint low, nuint top)
    {
        Store = store;
        ThreadLimit = threadLimit;
        SetRange(low, top);
    }

    /// <summary>The store (null only for placeholders).</summary>
    public readonly Store? Store;

    /// <summary>The thread's own stack limit (StackBounds): it identifies the thread's stack.</summary>
    public readonly nuint ThreadLimit;

    /// <summary>The wasm stack limit on this thread: an entry at or below it traps with "call stack exhausted".</summary>
    public nuint Low { get; private set; }

    /// <summary>The highest stack position an outermost entry came from.</summary>
    public nuint Top { get; private set; }

    /// <summary>
    /// <see cref="Low"/> + 1 and <see cref="Top"/> - <see cref="Low"/>: a position p is in (Low, Top] exactly when
    /// <c>p - RangeStart &lt; RangeLength</c> (unsigned), one compare on the entry's fast path instead of two. The
    /// placeholder's range is empty (length 0), so nothing matches it.
    /// </summary>
    public nuint RangeStart;

    /// <inheritdoc cref="RangeStart"/>
    public nuint RangeLength;

    /// <summary>
    /// 1 while a host-to-wasm call of the store is active on this thread (the outermost one sets it, nested ones
    /// through host functions see it set and leave it alone), else 0. A flag stored as a constant rather than a depth
    /// counted up and down: a counter is a read-modify-write of the same memory on every entry and every exit, a
    /// chain of store-to-load forwardings from call to call; a predicted branch on the flag makes every store
    /// independent of the one before (docs/RATIONALE.md, issue 17).
    /// </summary>
    public int Active;

    /// <summary>Sets the range of stack positions this owner's entries may come from: (low, top].</summary>
    public void SetRange(nuint low, nuint top)
    {
        Low = low;
        Top = top;
        RangeStart = low + 1;
        RangeLength = top > low ? top - low : 0;
    }

    /// <summary>
    /// Leaves wasm after the outermost Store.EnterWasm (nested entries got null and have nothing to leave); does
    /// what the store has pending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Leave()
    {
        // Active is written before the store's pending work is read (a volatile read, so the JIT keeps the order);
        // Store.Dispose writes its request before it reads Active (with a process-wide barrier in between), so at
        // least one side sees the other: a deferred dispose is never lost.
        Active = 0;
        if (Volatile.Read(ref Store!.PendingAfterCall) != 0) Store.AfterOutermostCall();
    }
}
