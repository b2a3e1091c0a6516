using Weft.Runtime;

namespace Weft;

public sealed partial class Store
{
    /// <summary>
    /// Takes the store for a change of a host memory's storage (Memory.Host.cs): no wasm of the store may run until
    /// <see cref="LeaveExclusive"/>. Entering the way a call does refuses a store another thread is running
    /// (<see cref="StoreInUseException"/>) or that is disposed, and keeps other threads out meanwhile; a nested
    /// entry means wasm of this store is on the calling thread's stack (a host function called from wasm), whose frames
    /// keep the memory's base and length in locals (CONTRACTS: memories never shrink during a call), so that is
    /// refused too.
    /// </summary>
    /// <exception cref="MemoryInUseException">Wasm of this store is running on the calling thread.</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm in this store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    internal StoreThread EnterExclusive()
    {
        // A nested entry (null) means wasm of this store is on this thread's stack below the caller.
        return EnterWasm() ?? throw new MemoryInUseException();
    }

    /// <summary>
    /// Gives the store back after <see cref="EnterExclusive"/>. Unlike the end of a call it runs no host finalizers
    /// (they run after calls into wasm, and a mapping is not one); a dispose that waited for it is completed.
    /// </summary>
    internal void LeaveExclusive(StoreThread entry)
    {
        entry.Active = 0;
        if ((Volatile.Read(ref PendingAfterCall) & DisposePending) != 0) Release();
    }
}
