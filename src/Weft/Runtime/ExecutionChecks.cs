using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The checks compiled code makes at function entries and loop heads when a store consumes fuel or can be
/// interrupted (see <see cref="Store.ConsumeFuel"/> and <see cref="Store.Interruptible"/>). The fast paths inline into
/// the generated code as a decrement-and-compare or a load-and-compare; the traps are cold calls.
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
