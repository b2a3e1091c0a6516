using System.Buffers;
using System.Runtime.InteropServices;

namespace Weft;

/// <summary>
/// Host storage mapped as the bytes of a host <see cref="Weft.Memory"/> (see <see cref="Memory.Map(nint, ulong, object?)"/>
/// and docs/HOST-MEMORY.md): wasm reads and writes the storage itself, at <see cref="Address"/>, with no copy. While the
/// mapping is active the storage is kept alive and pinned (a managed array or <see cref="Memory{T}"/> pinned, a
/// <see cref="SafeHandle"/> owner referenced so that its release waits). Disposing the mapping revokes it: the memory's
/// length becomes 0, so every later access traps with "out of bounds memory access", and the pin is released.
/// </summary>
public sealed class MemoryMapping : IDisposable
{
    // What keeps the storage where it is, released once (Release): a GCHandle for a pinned GC array, a MemoryHandle
    // for a pinned Memory<byte>, a reference on a SafeHandle owner, and the owner itself (kept reachable).
    private GCHandle _pin;
    private MemoryHandle _handle;
    private SafeHandle? _safeHandle;
    private object? _owner;
    private int _released;

    internal MemoryMapping(Memory memory, nint address, ulong byteLength, object? owner, GCHandle pin = default, MemoryHandle handle = default)
    {
        Memory = memory;
        Address = address;
        ByteLength = byteLength;
        _owner = owner;
        _pin = pin;
        _handle = handle;
        if (owner is SafeHandle safeHandle)
        {
            // The handle's release (its Dispose, or its finalizer) now waits for this mapping to end.
            bool added = false;
            safeHandle.DangerousAddRef(ref added);
            if (added) _safeHandle = safeHandle;
        }
    }

    /// <summary>The host memory the storage is mapped into.</summary>
    public Memory Memory { get; }

    /// <summary>The address of the storage's first byte (what <see cref="Memory.BaseAddress"/> is while the mapping is active).</summary>
    public nint Address { get; }

    /// <summary>The storage's length in bytes (the memory's <see cref="Memory.ByteLength"/> while the mapping is active).</summary>
    public ulong ByteLength { get; }

    /// <summary>
    /// Whether the memory still maps this storage: false once the mapping was revoked (<see cref="Dispose"/>,
    /// <see cref="Memory.Revoke"/>), replaced by another <c>Map</c>, or its store was disposed.
    /// </summary>
    public bool IsActive => Volatile.Read(ref _released) == 0;

    /// <summary>
    /// Revokes the mapping if it is still active (<see cref="Memory.Revoke"/>): the memory's length becomes 0 and the
    /// storage is unpinned and no longer kept alive. Does nothing if the mapping has already ended.
    /// </summary>
    /// <exception cref="MemoryInUseException">Wasm code of the memory's store is running on this thread (a host function called from wasm).</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm code in the memory's store.</exception>
    public void Dispose()
    {
        if (IsActive) Memory.Unmap(this);
    }

    /// <summary>Unpins and forgets the storage (once); called by the memory when the mapping ends.</summary>
    internal void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        if (_pin.IsAllocated) _pin.Free();
        _handle.Dispose();
        _handle = default;
        _safeHandle?.DangerousRelease();
        _safeHandle = null;
        _owner = null;
    }
}
