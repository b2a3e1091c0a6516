namespace Weft;

/// <summary>
/// Resource limits a <see cref="Store"/> enforces. A memory or table that would grow past a limit fails to grow
/// (memory.grow returns -1, as when the OS refuses); instantiating past the instance limit fails with a
/// <see cref="LinkException"/>.
/// </summary>
public sealed class StoreLimits
{
    /// <summary>No limits beyond the spec's own.</summary>
    public static StoreLimits Unlimited { get; } = new();

    /// <summary>The largest size in bytes any one linear memory may reach. Null: no limit.</summary>
    public ulong? MaxMemoryBytes { get; init; }

    /// <summary>The largest number of elements any one table may reach. Null: no limit.</summary>
    public ulong? MaxTableElements { get; init; }

    /// <summary>The largest number of instances the store may hold. Null: no limit.</summary>
    public int? MaxInstances { get; init; }

    /// <summary>
    /// The most .NET stack that wasm code (with the host functions it calls) may use on one thread before it traps with
    /// "call stack exhausted". Also bounded by the thread's real stack. Default 4 MiB; deeper stacks make an
    /// exhaustion trap slower to unwind.
    /// </summary>
    public ulong MaxWasmStack { get; init; } = 4UL << 20;

    /// <summary>
    /// How much address space to reserve for a 64-bit memory that declares no maximum (a 32-bit memory reserves at
    /// most 4 GiB). Its base address never moves, so it cannot grow past this. Default 16 GiB.
    /// </summary>
    public ulong Memory64Reservation { get; init; } = 16UL << 30;
}
