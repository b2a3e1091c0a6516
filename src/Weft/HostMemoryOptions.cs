namespace Weft;

/// <summary>
/// The type of a host memory (<see cref="Memory.FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/>,
/// <see cref="Memory.CreateMappable"/>, <see cref="Memory.MapArray"/>): its page size, address type and the largest
/// storage it may map. See docs/HOST-MEMORY.md.
/// </summary>
public sealed record HostMemoryOptions
{
    /// <summary>The default options: 1-byte pages (so any length is exact), 32-bit addresses.</summary>
    public static HostMemoryOptions Default { get; } = new();

    /// <summary>
    /// The page size in bytes: 1 (custom-page-sizes; the memory's length is the storage's exact length) or 65,536 (what
    /// modules without a page size declare; every mapping must then be a whole number of 64 KiB pages). An importing
    /// module must declare the same page size.
    /// </summary>
    public int PageSize { get; init; } = 1;

    /// <summary>Whether the memory has 64-bit addresses (memory64): importers must declare <c>i64</c>.</summary>
    public bool Is64Bit { get; init; }

    /// <summary>
    /// For <see cref="Memory.CreateMappable"/>: the most bytes a mapping may have, which becomes the memory type's
    /// maximum (an importer that declares a maximum must declare one at least this large: spec import matching). Null for no maximum (only importers without a maximum match). Must be a multiple of
    /// <see cref="PageSize"/>. The memories of <see cref="Memory.FromHost(Store, nint, ulong, object?, HostMemoryOptions?)"/>
    /// and <see cref="Memory.MapArray"/> have their first storage's length as maximum and ignore this.
    /// </summary>
    public ulong? MaxByteLength { get; init; }
}
