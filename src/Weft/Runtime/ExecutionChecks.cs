using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The checks compiled code makes at function entries and loop heads when a store consumes fuel or can be
/// interrupted (see <see cref="Store.ConsumeFuel"/> and <see cref="Store.Interruptible"/>). The fast paths inline into
/// the generated code as a decrement-and-compare or a load-and-compare; the traps are cold calls. Bulk instructions
/// and GC allocations are metered here too (fuel by length, the GC allocation budget).
/// </summary>
internal static class ExecutionChecks
{
    /// <summary>Spends one unit of fuel; traps with "out of fuel" when none was left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ConsumeFuel(Store store)
    {
        if (--store.FuelLeft < 0) OutOfFuel(store);
    }

    /// <summary>Traps with "interrupted" when an interrupt is pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckInterrupt(Store store)
    {
        // A volatile read, so that the JIT cannot hoist the load out of a loop that never writes it.
        if (Volatile.Read(ref store.InterruptRequested) != 0) Interrupted();
    }

    /// <summary>
    /// Bulk instructions (memory.fill/copy/init, table.fill/copy/init, array.new*/fill/copy/init_*) spend one unit of
    /// fuel per this many bytes they touch (rounded up; a table element or reference counts 8 bytes), on top of the
    /// usual unit per function entry and loop iteration. 64 bytes is a cache line, about what a hand-written copy
    /// loop moves in a few iterations, so bulk instructions stay cheaper than the loop they replace while a 4 GiB
    /// fill costs 64 Mi units instead of nothing.
    /// </summary>
    public const int BytesPerFuelUnit = 64;

    /// <summary>
    /// Metered bulk instructions work in pieces of this many bytes and check the interrupt flag between pieces, so a
    /// multi-gigabyte fill stops within milliseconds of a deadline: a piece takes about 0.1-0.2 ms in memory already
    /// touched, ~10 ms where the OS maps every page on first touch (measured on the 2-core test machine), and one
    /// volatile read per piece costs nothing measurable.
    /// </summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Meters a bulk instruction that will touch <paramref name="bytes"/> bytes, after its bounds checks and before
    /// any work: spends its fuel (all or nothing: traps with "out of fuel" when the fuel left does not cover it) and
    /// traps if an interrupt is pending.
    /// </summary>
    public static void ChargeBulk(Store store, ulong bytes)
    {
        if (store.ConsumeFuel)
        {
            ulong units = bytes / BytesPerFuelUnit + (bytes % BytesPerFuelUnit != 0 ? 1UL : 0UL);
            if (units > (ulong)Math.Max(store.FuelLeft, 0)) OutOfFuel(store);
            store.FuelLeft -= (long)units;
        }
        CheckInterrupt(store);
    }

    /// <summary>
    /// Charges a GC allocation of a size known when compiling (struct.new, array.new_fixed) to the store's budget;
    /// emitted only for stores with a limit. Traps, leaving the budget unchanged, when it does not fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ChargeGc(long bytes, Store store)
    {
        if ((store.GcBytesLeft -= bytes) < 0) GcLimitExceeded(store, bytes);
    }

    /// <summary>Charges a GC allocation of <paramref name="bytes"/> if the store has a budget (array helpers, constant expressions).</summary>
    public static void ChargeGcArray(Store store, ulong bytes)
    {
        if (!store.LimitsGcAllocations) return;
        if (bytes > (ulong)Math.Max(store.GcBytesLeft, 0)) throw new TrapException(TrapKind.GcAllocationLimitExceeded);
        store.GcBytesLeft -= (long)bytes;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GcLimitExceeded(Store store, long bytes)
    {
        store.GcBytesLeft += bytes; // nothing was allocated
        throw new TrapException(TrapKind.GcAllocationLimitExceeded);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OutOfFuel(Store store)
    {
        store.FuelLeft = 0;
        throw new TrapException(TrapKind.OutOfFuel);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Interrupted() => throw new TrapException(TrapKind.Interrupted);
}
