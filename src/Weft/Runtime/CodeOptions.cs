namespace Weft.Runtime;

/// <summary>Settings that change the generated code.</summary>
internal sealed record CodeOptions
{
    /// <summary>The default options.</summary>
    public static CodeOptions Default { get; } = new();

    /// <summary>Compile every function fully optimized on first call even when <see cref="Tiered"/>.</summary>
    public bool AggressiveOptimization { get; init; }

    /// <summary>
    /// Put the code in a non-collectible assembly, whose methods .NET tiers (quick first JIT, optimized after a few
    /// calls or loop iterations) instead of compiling each fully optimized on its first call; see
    /// <see cref="Store.TieredCompilation"/>.
    /// </summary>
    public bool Tiered { get; init; }

    /// <summary>Spend the store's fuel at function entries and loop heads (see <see cref="Store.ConsumeFuel"/>).</summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>Check the store's interrupt flag at function entries and loop heads (see <see cref="Store.Interruptible"/>).</summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// Charge GC allocations against the store's budget (see <see cref="StoreLimits.MaxGcAllocatedBytes"/>): struct
    /// allocations charge their size inline, array allocations in their helpers.
    /// </summary>
    public bool LimitGcAllocations { get; init; }

    /// <summary>
    /// Mark small functions AggressiveInlining (see <see cref="EngineOptions.InlineSmallFunctions"/> and
    /// Compilation.ModuleCompiler.InlineBodyBytes): faster calls, fewer frames in backtraces.
    /// </summary>
    public bool InlineSmallFunctions { get; init; }

    /// <summary>
    /// Functions whose estimated IL size (bytes) is over this are split into parts of about two thirds of it (see
    /// Compilation.FunctionSplitter), so that RyuJIT optimizes each; 0 never splits. The default comes from
    /// WEFT_SPLIT_THRESHOLD when set.
    /// </summary>
    public int SplitThreshold { get; init; } = Compilation.FunctionSplitter.EnvironmentThreshold;

    /// <summary>
    /// Whether bulk instructions get the store to meter them (fuel by length, interrupt checks between chunks, GC
    /// budget): compiled code then passes the store to their helpers, and null otherwise, so unmetered stores pay
    /// one null test per bulk instruction.
    /// </summary>
    public bool MetersBulkWork => ConsumeFuel || Interruptible || LimitGcAllocations;

    /// <summary>The options for a combination of store settings (the common ones are shared instances).</summary>
    public static CodeOptions For(bool consumeFuel, bool interruptible, bool tiered, bool limitGcAllocations) =>
        (consumeFuel, interruptible, tiered, limitGcAllocations) switch
        {
            (false, false, false, false) => Default,
            (true, false, false, false) => WithFuel,
            (false, true, false, false) => WithInterrupts,
            (true, true, false, false) => WithFuelAndInterrupts,
            _ => new CodeOptions { ConsumeFuel = consumeFuel, Interruptible = interruptible, Tiered = tiered, LimitGcAllocations = limitGcAllocations },
        };

    /// <summary>The default options plus fuel checks.</summary>
    public static CodeOptions WithFuel { get; } = new() { ConsumeFuel = true };

    /// <summary>The default options plus interrupt checks.</summary>
    public static CodeOptions WithInterrupts { get; } = new() { Interruptible = true };

    /// <summary>The default options plus fuel and interrupt checks.</summary>
    public static CodeOptions WithFuelAndInterrupts { get; } = new() { ConsumeFuel = true, Interruptible = true };
}
