using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Weft;

// Managed memories (issue 15): a non-shared memory whose bytes are one pinned byte[] of exactly its length, so that a
// JavaScript ArrayBuffer (Jint's owns a byte[] whose length is its byteLength) can be the memory itself, with no copy.
// Only stores that ask for it (Store.ManagedMemories, set by Weft.JavaScript) make them: the default stays reserved
// native memory, whose base never moves and whose grow copies nothing.
// - The array is allocated on the pinned object heap (GC.AllocateArray(pinned: true)), so compiled code keeps using
//   a raw base pointer, as for native memories.
// - memory.grow allocates a larger array, copies the bytes and swaps Base, Length and the array: the base moves.
//   Compiled code reloads the base wherever it reloads the length (after every call and memory.grow, and in catch
//   handlers), so no frame uses the old base after a grow; CONTRACTS section 1. The old array is no longer the
//   memory's: the host (Weft.JavaScript) detaches the ArrayBuffer over it.
// - A managed memory cannot exceed Array.MaxLength bytes (just under 2 GiB): memory.grow past it returns -1, as when
//   the OS refuses; one whose minimum is larger is created as a native memory instead.
// - Span and GetSpan over a managed memory are spans over the array itself (GC-tracked), so a span a host keeps past
//   a grow still points at live memory (the old bytes, no longer the memory's), never at freed storage.
public sealed unsafe partial class Memory
{
    private byte[]? _array;

    /// <summary>
    /// The managed array that holds this memory's bytes (exactly <see cref="ByteLength"/> of them), or null for a
    /// native, shared or host memory. Replaced by a new array at every grow.
    /// </summary>
    internal byte[]? ManagedArray => _array;

    /// <summary>The largest managed memory: one byte[] (Array.MaxLength, just under 2 GiB), rounded down to whole pages.</summary>
    private ulong ManagedMaxBytes => (ulong)Array.MaxLength >> _pageSizeLog2 << _pageSizeLog2;

    private bool TryCreateManaged(ulong minPages, ulong pageSize)
    {
        if (minPages > ManagedMaxBytes / pageSize) return false;
        var array = Allocate((int)(minPages * pageSize), 0);
        if (array is null) throw new TrapException(TrapKind.OutOfBoundsMemoryAccess, "could not allocate memory");
        Install(array);
        return true;
    }

    private bool GrowManaged(ulong pages)
    {
        if (pages > ManagedMaxBytes >> _pageSizeLog2) return false;
        var array = Allocate((int)(pages << _pageSizeLog2), (int)Length);
        if (array is null) return false;
        _array.AsSpan(0, (int)Length).CopyTo(array);
        Install(array);
        return true;
    }

    // A pinned array whose bytes from `keep` on are zero (those below are about to be overwritten by the copy).
    private static byte[]? Allocate(int bytes, int keep)
    {
        try
        {
            var array = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
            array.AsSpan(keep).Clear();
            return array;
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
    }

    private void Install(byte[] array)
    {
        _array = array;
        Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        Length = (ulong)array.Length;
    }

    private void ReleaseManaged()
    {
        Base = null;
        Length = 0;
        _array = null;
    }
}
