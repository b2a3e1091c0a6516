using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Weft.Runtime;

namespace Weft;

// Memories lent as arrays (issue 15). Jint's ArrayBuffer owns a byte[] whose length is its byteLength, so for a
// JavaScript ArrayBuffer to BE a memory (no copy, no synchronization) the memory's bytes must be one byte[] of exactly
// its length. In a store with ManagedMemories (set by Weft.JavaScript), a non-shared memory is native as always
// (reserved, committed as it grows, free to grow), and ShareAsArray moves its bytes into a pinned byte[] on the
// pinned object heap when the host asks for one (JS reads memory.buffer); compiled code keeps using a raw base.
// A grow moves them back into the native reservation (which was never released), so a program that grows page by
// page pays no copy per grow: it pays one copy per grow that follows an array request and one per array request that
// follows a grow, where an always-managed memory would copy itself at every grow (measured: growing to 64 MiB page
// by page took 18 s that way against 0.3 s native; docs/RATIONALE.md).
// Each move changes Base. Compiled code reloads a non-shared memory's base wherever it reloads the length (after
// every call and memory.grow, and in catch handlers), so no frame uses a base from before a move: a move happens
// only inside memory.grow or a host call (CONTRACTS section 1).
// Memory safety of what hosts keep: the native reservation stays mapped read-write until the store is disposed (its
// physical pages are given back while the bytes live in the array), and spans over the array are GC-tracked, so a
// span or pointer taken before a move still points at valid storage; it just no longer shows the memory's bytes.
// Shared memories (other threads may hold their base) and host memories are never lent.
public sealed unsafe partial class Memory
{
    // The native reservation (Base too, unless the bytes are lent as an array).
    private byte* _native;

    // Whether this memory may be lent as an array (a non-shared, non-host memory of a store with ManagedMemories).
    private readonly bool _mayShareArray;

    private byte[]? _array;

    /// <summary>
    /// The pinned array that holds this memory's bytes now (exactly <see cref="ByteLength"/> of them), or null while
    /// they are in native storage. Replaced (by null) at every grow.
    /// </summary>
    internal byte[]? ManagedArray => _array;

    /// <summary>The largest memory that can be lent: one byte[] (Array.MaxLength, just under 2 GiB).</summary>
    private const ulong ManagedMaxBytes = 0x7FFFFFC7;

    /// <summary>
    /// Moves the memory's bytes into a pinned byte[] of exactly its length (once per grow; the same array until the
    /// next grow) and returns it: the array is the memory from now on, for wasm, the host's spans and whoever holds
    /// it, until the memory grows. Null if the memory cannot be lent (not in a store with ManagedMemories, shared,
    /// a host memory, larger than an array, or out of memory).
    /// </summary>
    internal byte[]? ShareAsArray()
    {
        if (_array is not null || !_mayShareArray || _native == null) return _array;
        if (Length > ManagedMaxBytes) return null;
        byte[] array;
        try
        {
            array = GC.AllocateUninitializedArray<byte>((int)Length, pinned: true);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
        new ReadOnlySpan<byte>(_native, (int)Length).CopyTo(array);
        _array = array;
        Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        // The bytes live in the array now: the native pages go back to the OS but stay mapped for old spans.
        VirtualMemory.Discard(_native, 0, Length);
        return array;
    }

    /// <summary>Grow of a lent memory: its bytes go back to the native reservation (committed past them already).</summary>
    private void ReturnToNative()
    {
        _array.AsSpan(0, (int)Length).CopyTo(new Span<byte>(_native, (int)Length));
        Base = _native;
        _array = null;
    }
}
