using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft;

/// <summary>
/// A linear memory: unmanaged bytes whose base address never moves, reserved up front for the maximum size and
/// committed as the memory grows. Compiled code accesses it directly; the host sees the same bytes through
/// <see cref="Span"/> and the read/write helpers, without copying. A memory lives as long as its <see cref="Store"/>:
/// spans over it are valid until the store is disposed. A host memory (<see cref="FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/>,
/// <see cref="CreateMappable"/>, <see cref="MapArray"/>) is host storage mapped in place instead; see docs/HOST-MEMORY.md.
/// </summary>
/// <remarks>
/// <para>
/// Threads: a <em>shared</em> memory (type with <c>shared</c> limits, threads proposal) is the only Weft object that
/// may be used from several threads at once. Instances in stores on different threads may import it; it is released
/// only when the last store that created or imported it is disposed. Its atomic instructions are sequentially
/// consistent; plain loads and stores from racing threads may tear (see a mix of old and new bytes) but never fault.
/// It can grow while other threads run: they see the new length at their next call or memory.grow, and until then
/// a smaller one, which only makes them trap early, never read outside the committed range.
/// </para>
/// <para>
/// Everything else — functions, instances, tables, globals, unshared memories and the <see cref="Store"/> itself — is
/// single-threaded: use it from one thread at a time.
/// </para>
/// </remarks>
public sealed unsafe partial class Memory : Extern
{
    /// <summary>The size of a default wasm page in bytes (a memory type may choose 1-byte pages instead).</summary>
    public const int DefaultPageSize = MemoryType.DefaultPageSize;

    internal byte* Base;
    internal ulong Length;
    private readonly ulong _reserved;
    private readonly ulong _maxPages;
    private readonly int _pageSizeLog2;
    private int _owners = 1;

    /// <summary>The threads waiting in memory.atomic.wait32/64 (shared memories only).</summary>
    internal readonly Runtime.WaitQueue? Waiters;

    /// <summary>Creates a memory of the given type in a store.</summary>
    /// <exception cref="TrapException">The OS could not reserve or commit the initial size.</exception>
    /// <exception cref="ArgumentException">The page size is neither 1 nor 65536 bytes.</exception>
    public Memory(Store store, MemoryType type)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        Store = store;
        Type = type;
        var limits = type.Limits;
        // custom-page-sizes: only 1-byte and 64 KiB pages exist (anything else is refused rather than guessed at).
        if (type.PageSizeLog2 is not (0 or MemoryType.DefaultPageSizeLog2)) throw new ArgumentException("invalid custom page size", nameof(type));
        _pageSizeLog2 = type.PageSizeLog2;
        ulong pageSize = type.PageSize;
        // The most pages the address type allows; 1-byte pages stop one short of 2^32 (2^64) so that the size in
        // pages fits the address type and cannot be mistaken for memory.grow's -1.
        ulong specMax = (limits.AddressType, _pageSizeLog2) switch
        {
            (AddressType.I64, 0) => ulong.MaxValue,
            (AddressType.I64, _) => 1UL << 48,
            (_, 0) => uint.MaxValue,
            _ => 1UL << 16,
        };
        ulong maxPages = Math.Min(limits.Max ?? specMax, specMax);
        if (store.Limits.MaxMemoryBytes is { } cap) maxPages = Math.Min(maxPages, cap / pageSize);
        ulong reserveCap = limits.AddressType == AddressType.I64 && limits.Max is null
            ? store.Limits.Memory64Reservation
            : 1UL << 36;
        ulong reservePages = Math.Min(maxPages, reserveCap / pageSize);
        if (limits.Min > reservePages) throw new TrapException(TrapKind.OutOfBoundsMemoryAccess, "memory too large to allocate");
        _maxPages = maxPages;
        // Reserve the whole range; if the OS refuses (address space limits), fall back to the minimum.
        byte* b = reservePages > 0 ? VirtualMemory.Reserve(reservePages * pageSize) : null;
        if (b == null && reservePages > limits.Min)
        {
            reservePages = limits.Min;
            b = VirtualMemory.Reserve(Math.Max(reservePages, 1) * pageSize);
        }
        if (b == null && reservePages > 0) throw new TrapException(TrapKind.OutOfBoundsMemoryAccess, "could not reserve memory");
        if (b == null) b = VirtualMemory.Reserve(VirtualMemory.PageSize);
        _reserved = reservePages * pageSize;
        Base = b;
        _native = b;
        if (!VirtualMemory.Commit(Base, 0, limits.Min * pageSize))
        {
            VirtualMemory.Release(Base, Math.Max(_reserved, VirtualMemory.PageSize));
            Base = null;
            throw new TrapException(TrapKind.OutOfBoundsMemoryAccess, "could not commit memory");
        }
        Length = limits.Min * pageSize;
        if (limits.Shared) Waiters = new Runtime.WaitQueue();
        store.Own(this);
        _mayShareArray = store.ManagedMemories && !limits.Shared;
        if (_mayShareArray && Store.ManagedMemoriesEverywhere) ShareAsArray();
    }

    /// <summary>The store that owns the memory.</summary>
    public Store Store { get; }

    /// <summary>The declared type (limits as declared; see <see cref="Pages"/> for the current size).</summary>
    public MemoryType Type { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Memory;

    /// <summary>The current size in pages (of <see cref="PageSize"/> bytes).</summary>
    public ulong Pages => Length >> _pageSizeLog2;

    /// <summary>The size of this memory's page in bytes: 65536, or 1 for a custom-page-sizes memory that asks for it.</summary>
    public ulong PageSize => 1UL << _pageSizeLog2;

    /// <summary>The current size in bytes.</summary>
    public ulong ByteLength => Length;

    /// <summary>Whether the memory is shared (threads proposal): usable from several threads and stores at once.</summary>
    public bool IsShared => Type.Limits.Shared;

    /// <summary>Whether the memory uses 64-bit addresses.</summary>
    public bool Is64Bit => Type.Limits.AddressType == AddressType.I64;

    /// <summary>
    /// The whole memory as a span (no copy). Throws if the memory is larger than a span can be (2 GiB); use
    /// <see cref="GetSpan"/> then. Take a new span after anything that may grow the memory: a span shows the length
    /// the memory had when it was taken (and, in a Weft.JavaScript store, see <see cref="BaseAddress"/>, its storage of then).
    /// </summary>
    public Span<byte> Span
    {
        get
        {
            if (Length > int.MaxValue) throw new InvalidOperationException("the memory is larger than 2 GiB; use GetSpan(offset, length)");
            // Over a lent array the span holds the array itself, so one kept past a grow stays memory-safe.
            if (_array is { } array) return array.AsSpan(0, (int)Length);
            return new Span<byte>(Base, (int)Length);
        }
    }

    /// <summary>A span over part of the memory (no copy).</summary>
    /// <exception cref="TrapException">The range is out of bounds.</exception>
    public Span<byte> GetSpan(ulong offset, int length)
    {
        Check(offset, length);
        if (_array is { } array) return array.AsSpan((int)offset, length);
        return new Span<byte>(Base + offset, length);
    }

    /// <summary>
    /// The base address. Valid until the store is disposed; it never moves. For a host memory (<see cref="IsHostMemory"/>)
    /// it is the current mapping's address, 0 when nothing is mapped; it changes only with a new mapping, between calls.
    /// In the stores of Weft.JavaScript, whose ArrayBuffers are a memory's own bytes, a non-shared memory's bytes move
    /// into a pinned array when JavaScript asks for its buffer and back into native storage when it grows: the base
    /// address then changes at those moves. Addresses and spans taken before a move still point at valid storage (it
    /// stays mapped until the store is disposed, or is a GC-tracked array) but no longer show the memory's bytes.
    /// </summary>
    public nint BaseAddress => (nint)Base;

    /// <summary>
    /// Grows by <paramref name="deltaPages"/> pages of <see cref="PageSize"/> bytes; returns the old size in pages, or
    /// -1 if it cannot grow.
    /// </summary>
    public long Grow(ulong deltaPages)
    {
        if (Waiters is null) return GrowUnlocked(deltaPages);
        // Threads growing one shared memory at once must each commit past the other's length.
        lock (Waiters) return GrowUnlocked(deltaPages);
    }

    private long GrowUnlocked(ulong deltaPages)
    {
        ulong old = Length >> _pageSizeLog2;
        if (deltaPages == 0) return (long)old;
        // A host memory's storage is the host's: it has the size the host gave it (see Memory.Host.cs).
        if (_host) return -1;
        if (deltaPages > _maxPages - old) return -1;
        ulong pages = old + deltaPages;
        // Compared in pages first: 2^48 pages of 64 KiB would wrap to 0 bytes.
        if (pages > _reserved >> _pageSizeLog2) return -1;
        ulong bytes = pages << _pageSizeLog2;
        if (!VirtualMemory.Commit(_native, Length, bytes)) return -1;
        // A memory lent as an array goes back to its native storage (the base moves): see Memory.Managed.cs.
        if (_array is not null) ReturnToNative();
        // The pages are committed before another thread can see the larger length.
        Volatile.Write(ref Length, bytes);
        return (long)old;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Check(ulong offset, long size)
    {
        if (size < 0 || offset > Length || (ulong)size > Length - offset) Traps.OutOfBoundsMemory();
    }

    /// <summary>Reads a byte.</summary>
    public byte ReadByte(ulong offset)
    {
        Check(offset, 1);
        return Base[offset];
    }

    /// <summary>Writes a byte.</summary>
    public void WriteByte(ulong offset, byte value)
    {
        Check(offset, 1);
        Base[offset] = value;
    }

    /// <summary>Reads a little-endian 16-bit integer.</summary>
    public short ReadInt16(ulong offset)
    {
        Check(offset, 2);
        return BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(Base + offset, 2));
    }

    /// <summary>Writes a little-endian 16-bit integer.</summary>
    public void WriteInt16(ulong offset, short value)
    {
        Check(offset, 2);
        BinaryPrimitives.WriteInt16LittleEndian(new Span<byte>(Base + offset, 2), value);
    }

    /// <summary>Copies bytes out of the memory into <paramref name="destination"/> (its whole length).</summary>
    public void Read(ulong offset, Span<byte> destination)
    {
        Check(offset, destination.Length);
        new ReadOnlySpan<byte>(Base + offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Copies <paramref name="source"/> into the memory.</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        Check(offset, source.Length);
        source.CopyTo(new Span<byte>(Base + offset, source.Length));
    }

    /// <summary>Reads a little-endian 32-bit integer.</summary>
    public int ReadInt32(ulong offset)
    {
        Check(offset, 4);
        return BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(Base + offset, 4));
    }

    /// <summary>Writes a little-endian 32-bit integer.</summary>
    public void WriteInt32(ulong offset, int value)
    {
        Check(offset, 4);
        BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(Base + offset, 4), value);
    }

    /// <summary>Reads a little-endian 64-bit integer.</summary>
    public long ReadInt64(ulong offset)
    {
        Check(offset, 8);
        return BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(Base + offset, 8));
    }

    /// <summary>Writes a little-endian 64-bit integer.</summary>
    public void WriteInt64(ulong offset, long value)
    {
        Check(offset, 8);
        BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(Base + offset, 8), value);
    }

    /// <summary>Reads an unmanaged struct at an offset (little-endian layout, as wasm sees it).</summary>
    public T Read<T>(ulong offset) where T : unmanaged
    {
        Check(offset, sizeof(T));
        return Unsafe.ReadUnaligned<T>(Base + offset);
    }

    /// <summary>Writes an unmanaged struct at an offset.</summary>
    public void Write<T>(ulong offset, T value) where T : unmanaged
    {
        Check(offset, sizeof(T));
        Unsafe.WriteUnaligned(Base + offset, value);
    }

    /// <summary>Decodes <paramref name="byteLength"/> bytes of UTF-8 at an offset.</summary>
    public string ReadString(ulong offset, int byteLength)
    {
        Check(offset, byteLength);
        return Encoding.UTF8.GetString(Base + offset, byteLength);
    }

    /// <summary>Decodes a NUL-terminated UTF-8 string at an offset (at most <paramref name="maxBytes"/> bytes).</summary>
    public string ReadNullTerminatedString(ulong offset, int maxBytes = int.MaxValue)
    {
        Check(offset, 0);
        ulong available = Math.Min(Length - offset, (ulong)maxBytes);
        var span = new ReadOnlySpan<byte>(Base + offset, (int)Math.Min(available, int.MaxValue));
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>Encodes a string as UTF-8 at an offset; returns the number of bytes written.</summary>
    public int WriteString(ulong offset, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Check(offset, count);
        return Encoding.UTF8.GetBytes(value, new Span<byte>(Base + offset, count));
    }

    /// <summary>One more store holds the memory (a shared memory imported into another store).</summary>
    internal void AddOwner()
    {
        int owners;
        do
        {
            owners = Volatile.Read(ref _owners);
            ObjectDisposedException.ThrowIf(owners == 0, this);
        }
        while (Interlocked.CompareExchange(ref _owners, owners + 1, owners) != owners);
    }

    /// <summary>Called by each owning store when it is disposed: the last one returns the reservation to the OS.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _owners) > 0) return;
        if (_host)
        {
            ReleaseHost();
            return;
        }
        byte* b = _native;
        _array = null;
        _native = null;
        Base = null;
        Length = 0;
        VirtualMemory.Release(b, Math.Max(_reserved, VirtualMemory.PageSize));
    }
}
