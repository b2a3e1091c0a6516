namespace Weft;

/// <summary>
/// Resource limits a <see cref="Store"/> enforces. A memory or table that would grow past a limit fails to grow
/// (memory.grow returns -1, as when the OS refuses); instantiating past the instance limit fails with a
/// <see cref="LinkException"/>; a GC allocation past <see cref="MaxGcAllocatedBytes"/> traps.
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
    /// The most bytes wasm code in the store may allocate with GC instructions, counted cumulatively: every
    /// <c>struct.new*</c>, <c>array.new*</c> (also <c>array.new_fixed</c>, <c>_data</c>, <c>_elem</c>), <c>ref.i31</c> that
    /// allocates, and the same instructions in constant expressions at instantiation, charge their estimated size
    /// before they allocate; one that does not fit traps with <see cref="TrapKind.GcAllocationLimitExceeded"/> and
    /// allocates nothing (so an <c>array.new</c> of 2^29 i64 traps at once). Null: no limit, and no counting code
    /// is compiled at all.
    /// </summary>
    /// <remarks>
    /// <para>Sizes (64-bit .NET layout, platform-independent so the count is deterministic): a struct is 24 bytes
    /// (object header, method table, type) plus its fields (i8 1, i16 2, i32/f32 4, i64/f64 and references 8, v128
    /// 16), rounded up to 8; an array is 64 bytes (its wrapper object and the .NET array's header) plus element
    /// size × length, rounded up to 8; an i31 outside the small cached range is 24.</para>
    /// <para>The budget counts what was allocated, not what is alive: the live heap depends on when the .NET GC runs
    /// and on what other code in the process does, so a live-heap limit would trap at different points from run to
    /// run, while a cumulative count traps at the same instruction every time. A long-running program that allocates
    /// and drops objects needs its budget refilled, as fuel is: set <see cref="Store.GcAllocationBudget"/> between
    /// calls (e.g. per request). Objects the host creates through <see cref="GcType"/> are not counted.</para>
    /// </remarks>
    public ulong? MaxGcAllocatedBytes { get; init; }

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
