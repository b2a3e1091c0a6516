using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft;

// Host memories: a Memory whose bytes are storage the host owns (native memory, a pinned array or Memory<byte>, a GC
// array for the span of a call), mapped in place. Compiled code cannot tell them from other memories: it reads Base
// and Length as always. The rules that make that safe (docs/HOST-MEMORY.md, CONTRACTS section 2):
// - the storage changes (map, remap, revoke) only while no wasm frame of the store is active, because every frame keeps
//   the base and length it read at entry; refused otherwise (MemoryInUseException on the running thread,
//   StoreInUseException from another thread: the change enters the store the way a call does);
// - a revoked memory has length 0 (and base null), so every access traps "out of bounds memory access";
// - a host memory never grows (memory.grow returns -1) and is never shared (it belongs to one store);
// - a remap is never smaller than what an importing module declared as its minimum (revocation is the one exception).
public sealed unsafe partial class Memory
{
    private readonly bool _host;
    private MemoryMapping? _mapping;
    private ulong _importedMinPages;

    // A host memory: no storage of its own (length 0) until Map.
    private Memory(Store store, MemoryType type, bool host)
    {
        Store = store;
        Type = type;
        _pageSizeLog2 = type.PageSizeLog2;
        _host = host;
        _maxPages = Math.Min(type.Limits.Max ?? ulong.MaxValue, SpecMaxPages(type.Limits.AddressType, _pageSizeLog2));
        store.Own(this);
    }

    /// <summary>
    /// Whether this is a host memory (<see cref="FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/>,
    /// <see cref="CreateMappable"/>, <see cref="MapArray"/>): its bytes are host storage mapped in place; it cannot grow.
    /// </summary>
    public bool IsHostMemory => _host;

    /// <summary>The storage a host memory maps now; null if none (never mapped, revoked, or not a host memory).</summary>
    public MemoryMapping? Mapping => _mapping;

    /// <summary>
    /// Creates a host memory with no storage yet (length 0: every access traps) for <see cref="Map(nint, ulong, object?)"/>
    /// to map storage into, again and again: e.g. "the current frame", imported once by an instance and remapped to
    /// each frame between calls. Its type has a minimum of 0 pages and <see cref="HostMemoryOptions.MaxByteLength"/>
    /// as maximum. See docs/HOST-MEMORY.md.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (page size, maximum).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public static Memory CreateMappable(Store store, HostMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= HostMemoryOptions.Default;
        int log2 = PageSizeLog2Of(options);
        ulong? max = null;
        if (options.MaxByteLength is { } bytes)
        {
            if ((bytes & ((1UL << log2) - 1)) != 0) throw new ArgumentException($"the maximum of {bytes} bytes is not a whole number of {1UL << log2}-byte pages", nameof(options));
            max = bytes >> log2;
        }
        return Create(store, options, log2, max);
    }

    /// <summary>
    /// Creates a memory over native storage the host owns: <paramref name="byteLength"/> bytes at
    /// <paramref name="address"/>, mapped in place (no copy; wasm and the host see the same bytes). The memory's
    /// maximum is that length: it cannot grow. <paramref name="owner"/> is kept reachable while the storage is mapped;
    /// if it is a <see cref="SafeHandle"/> its release waits until the mapping ends (<see cref="Revoke"/>, or the store's
    /// disposal), so disposing it early frees nothing under wasm. The storage must stay valid that long.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a whole number of pages, too large for the address type, or the address is 0.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public static Memory FromHost(Store store, nint address, ulong byteLength, object? owner, HostMemoryOptions? options = null)
    {
        var memory = Fixed(store, options, byteLength);
        memory.Map(address, byteLength, owner);
        return memory;
    }

    /// <summary>
    /// Creates a memory over a <see cref="Memory{T}"/> of bytes (a slice of an array, a pinned array from
    /// <c>GC.AllocateArray(pinned: true)</c>, or a <see cref="System.Buffers.MemoryManager{T}"/>'s memory), pinned with
    /// <see cref="Memory{T}.Pin"/> until the mapping ends. Otherwise as <see cref="FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a whole number of pages.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public static Memory FromHost(Store store, Memory<byte> buffer, HostMemoryOptions? options = null)
    {
        var memory = Fixed(store, options, (ulong)buffer.Length);
        memory.Map(buffer);
        return memory;
    }

    /// <summary>
    /// Maps a GC array of numbers (typically a mutable <c>(array (mut i8))</c>) as a new memory for as long as the
    /// returned mapping is active, e.g. <c>using (var mapping = Memory.MapArray(store, frame)) { ... }</c>: the array's
    /// storage is pinned, wasm reads and writes the elements themselves, and disposing the mapping unmaps (length 0)
    /// and unpins it. To map array after array into one memory an instance has imported, use
    /// <see cref="CreateMappable"/> and <see cref="Map(GcArray)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The array is immutable or holds references, or its length is not a whole number of pages.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public static MemoryMapping MapArray(Store store, GcArray array, HostMemoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        return Fixed(store, options, ByteLengthOf(array)).Map(array);
    }

    /// <summary>
    /// Maps native storage into this host memory, replacing (and ending) the storage it mapped before: from now on
    /// the memory's bytes are the <paramref name="byteLength"/> bytes at <paramref name="address"/>, with no copy.
    /// <paramref name="owner"/> is kept reachable (a <see cref="SafeHandle"/> also referenced, so its release waits)
    /// until the mapping ends. Allowed only while no wasm code of the store runs (compiled code keeps a memory's base
    /// and length for the whole of a call).
    /// </summary>
    /// <returns>The mapping; dispose it to revoke it.</returns>
    /// <exception cref="InvalidOperationException">This is not a host memory.</exception>
    /// <exception cref="ArgumentException">The length is not a whole number of pages, exceeds the memory's maximum, is below the minimum an importing module declared, or the address is 0.</exception>
    /// <exception cref="MemoryInUseException">Wasm code of the store is running on this thread (a host function called from wasm).</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm code in the store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public MemoryMapping Map(nint address, ulong byteLength, object? owner)
    {
        CheckMappable(byteLength);
        if (address == 0 && byteLength != 0) throw new ArgumentException("the address is 0", nameof(address));
        return Install(new MemoryMapping(this, address, byteLength, owner));
    }

    /// <summary>
    /// Maps a <see cref="Memory{T}"/> of bytes into this host memory, pinned (<see cref="Memory{T}.Pin"/>) until the
    /// mapping ends; otherwise as <see cref="Map(nint, ulong, object?)"/>.
    /// </summary>
    /// <returns>The mapping; dispose it to revoke it.</returns>
    /// <exception cref="InvalidOperationException">This is not a host memory.</exception>
    /// <exception cref="ArgumentException">The length does not fit the memory (see <see cref="Map(nint, ulong, object?)"/>).</exception>
    /// <exception cref="MemoryInUseException">Wasm code of the store is running on this thread.</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm code in the store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public MemoryMapping Map(Memory<byte> buffer)
    {
        CheckMappable((ulong)buffer.Length);
        var handle = buffer.Pin();
        return Install(new MemoryMapping(this, (nint)handle.Pointer, (ulong)buffer.Length, owner: null, handle: handle));
    }

    /// <summary>
    /// Maps the storage of a GC array of numbers (<c>(array (mut i8))</c>, or of wider numbers seen as their
    /// little-endian bytes) into this host memory, pinned until the mapping ends: wasm code sees the elements
    /// themselves as memory (v128.load over them, for example), and the array's own instructions and
    /// <see cref="GcArray.AsSpan{T}"/> see what memory instructions write. Meant for the span of a call:
    /// <c>using (memory.Map(array)) { process(...); }</c>. Otherwise as <see cref="Map(nint, ulong, object?)"/>.
    /// </summary>
    /// <returns>The mapping; dispose it to revoke it and unpin the array.</returns>
    /// <exception cref="InvalidOperationException">This is not a host memory.</exception>
    /// <exception cref="ArgumentException">The array is immutable (wasm could write it through the memory) or holds references, or its length does not fit the memory.</exception>
    /// <exception cref="MemoryInUseException">Wasm code of the store is running on this thread.</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm code in the store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public MemoryMapping Map(GcArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        ulong byteLength = ByteLengthOf(array);
        CheckMappable(byteLength);
        var pin = GCHandle.Alloc(StorageOf(array), GCHandleType.Pinned);
        return Install(new MemoryMapping(this, pin.AddrOfPinnedObject(), byteLength, array, pin));
    }

    /// <summary>
    /// Revokes the storage this host memory maps (if any): its length becomes 0, so every later access from wasm
    /// traps with "out of bounds memory access" (never reads the storage again), and the storage is unpinned and no
    /// longer kept alive. The memory may be mapped again later.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is not a host memory.</exception>
    /// <exception cref="MemoryInUseException">Wasm code of the store is running on this thread.</exception>
    /// <exception cref="StoreInUseException">Another thread is running wasm code in the store.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void Revoke()
    {
        if (!_host) throw NotHost();
        var entry = Store.EnterExclusive();
        try
        {
            Unmapped(_mapping);
        }
        finally
        {
            Store.LeaveExclusive(entry);
        }
    }

    /// <summary>Ends <paramref name="mapping"/> if it is still the current one (<see cref="MemoryMapping.Dispose"/>).</summary>
    internal void Unmap(MemoryMapping mapping)
    {
        var entry = Store.EnterExclusive();
        try
        {
            if (_mapping == mapping) Unmapped(mapping);
            else mapping.Release();
        }
        finally
        {
            Store.LeaveExclusive(entry);
        }
    }

    /// <summary>
    /// An instance imports this memory with <paramref name="minPages"/> as its declared minimum (called during
    /// instantiation, with the store entered): later remaps keep at least that size. Checked again here because
    /// the import check ran before the store was entered and a mapping may have changed in between.
    /// </summary>
    internal void NoteImport(ulong minPages)
    {
        if (Pages < minPages) throw new LinkException("incompatible import type", $"the host memory has {Pages} pages, the module needs {minPages}");
        if (minPages > _importedMinPages) _importedMinPages = minPages;
    }

    private MemoryMapping Install(MemoryMapping mapping)
    {
        StoreThread? entry = null;
        try
        {
            entry = Store.EnterExclusive();
            // Under the store: an instantiation importing this memory cannot run between this check and the swap.
            if (mapping.ByteLength >> _pageSizeLog2 < _importedMinPages)
            {
                throw new ArgumentException($"a module imported this memory with a minimum of {_importedMinPages} pages; the storage has {mapping.ByteLength >> _pageSizeLog2}");
            }
            var old = _mapping;
            _mapping = mapping;
            Base = (byte*)mapping.Address;
            Length = mapping.ByteLength;
            old?.Release();
            return mapping;
        }
        catch
        {
            if (_mapping != mapping) mapping.Release();
            throw;
        }
        finally
        {
            if (entry is not null) Store.LeaveExclusive(entry);
        }
    }

    private void Unmapped(MemoryMapping? mapping)
    {
        _mapping = null;
        Length = 0;
        Base = null;
        mapping?.Release();
    }

    /// <summary>The store released its memories (disposed): the storage is no longer the memory's.</summary>
    private void ReleaseHost() => Unmapped(_mapping);

    private void CheckMappable(ulong byteLength)
    {
        if (!_host) throw NotHost();
        ulong pageSize = 1UL << _pageSizeLog2;
        if ((byteLength & (pageSize - 1)) != 0)
        {
            throw new ArgumentException($"{byteLength} bytes is not a whole number of {pageSize}-byte pages (use HostMemoryOptions.PageSize = 1 for any length)");
        }
        if (byteLength >> _pageSizeLog2 > _maxPages)
        {
            throw new ArgumentException($"{byteLength} bytes exceeds the memory's maximum of {_maxPages} pages of {pageSize} bytes");
        }
    }

    private static InvalidOperationException NotHost() =>
        new("only a host memory (Memory.FromHost, Memory.CreateMappable, Memory.MapArray) maps host storage");

    // A host memory whose maximum is its first storage's length.
    private static Memory Fixed(Store store, HostMemoryOptions? options, ulong byteLength)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= HostMemoryOptions.Default;
        int log2 = PageSizeLog2Of(options);
        return Create(store, options, log2, byteLength >> log2);
    }

    private static Memory Create(Store store, HostMemoryOptions options, int log2, ulong? maxPages)
    {
        var address = options.Is64Bit ? AddressType.I64 : AddressType.I32;
        if (maxPages > SpecMaxPages(address, log2)) throw new ArgumentException($"{maxPages} pages exceed what {address} addresses allow", nameof(options));
        return new Memory(store, new MemoryType(new Limits(address, 0, maxPages), log2), host: true);
    }

    private static int PageSizeLog2Of(HostMemoryOptions options) => options.PageSize switch
    {
        1 => 0,
        DefaultPageSize => MemoryType.DefaultPageSizeLog2,
        _ => throw new ArgumentException($"the page size must be 1 or {DefaultPageSize}, not {options.PageSize}", nameof(options)),
    };

    // As the constructor: 1-byte pages stop one short of 2^32 (2^64) so the size in pages fits the address type.
    private static ulong SpecMaxPages(AddressType address, int log2) => (address, log2) switch
    {
        (AddressType.I64, 0) => ulong.MaxValue,
        (AddressType.I64, _) => 1UL << 48,
        (_, 0) => uint.MaxValue,
        _ => 1UL << 16,
    };

    private static Array StorageOf(GcArray array)
    {
        if (!array.IsMutable) throw new ArgumentException($"the array type {array.Rtt} is immutable: wasm could write it through a memory", nameof(array));
        return array switch
        {
            GcArray<byte> a => a.Elements,
            GcArray<short> a => a.Elements,
            GcArray<int> a => a.Elements,
            GcArray<long> a => a.Elements,
            GcArray<float> a => a.Elements,
            GcArray<double> a => a.Elements,
            GcArray<Vector128<byte>> a => a.Elements,
            _ => throw new ArgumentException("an array of references cannot be mapped as memory", nameof(array)),
        };
    }

    private static ulong ByteLengthOf(GcArray array)
    {
        var storage = StorageOf(array);
        ulong size = storage switch
        {
            byte[] => 1,
            short[] => 2,
            int[] or float[] => 4,
            long[] or double[] => 8,
            _ => (ulong)Unsafe.SizeOf<Vector128<byte>>(),
        };
        return (ulong)storage.LongLength * size;
    }
}
