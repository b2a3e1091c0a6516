namespace Weft;

// The GC allocation budget (StoreLimits.MaxGcAllocatedBytes), kept apart from the store's entry/exit bookkeeping.
public sealed partial class Store
{
    // Bytes wasm may still allocate with GC instructions. Compiled code built with LimitGcAllocations subtracts
    // struct sizes inline (ExecutionChecks.ChargeGc); array helpers and constant expressions charge through
    // ExecutionChecks.ChargeGcArray. Only meaningful when LimitsGcAllocations.
    internal long GcBytesLeft;

    // Whether the store has a GC budget: fixed at construction, so code compiled for the store stays right.
    internal bool LimitsGcAllocations;

    private void InitializeGcBudget()
    {
        if (Limits.MaxGcAllocatedBytes is not { } max) return;
        LimitsGcAllocations = true;
        GcBytesLeft = (long)Math.Min(max, long.MaxValue);
    }

    /// <summary>
    /// The bytes wasm code in this store may still allocate with GC instructions (see
    /// <see cref="StoreLimits.MaxGcAllocatedBytes"/> for what counts and how sizes are estimated). Starts at that
    /// limit and goes down with every allocation, never up by itself (the count is cumulative, so it does not
    /// depend on when the .NET GC runs). A host running a long-lived program refills it between calls as it refills
    /// <see cref="Fuel"/>, e.g. <c>store.GcAllocationBudget = 64 &lt;&lt; 20</c> per request. An allocation that does
    /// not fit traps with <see cref="TrapKind.GcAllocationLimitExceeded"/>, allocates nothing and leaves the
    /// budget as it was, so smaller allocations may still succeed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store has no GC allocation limit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long GcAllocationBudget
    {
        get => LimitsGcAllocations ? Math.Max(GcBytesLeft, 0) : throw GcBudgetOff();
        set
        {
            if (!LimitsGcAllocations) throw GcBudgetOff();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            GcBytesLeft = value;
        }
    }

    private static InvalidOperationException GcBudgetOff() =>
        new("the store has no GC allocation limit; create it with StoreLimits.MaxGcAllocatedBytes");
}
