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

    /// <summary>The default options plus fuel checks.</summary>
    public static CodeOptions WithFuel { get; } = new() { ConsumeFuel = true };

    /// <summary>The default options plus interrupt checks.</summary>
    public static CodeOptions WithInterrupts { get; } = new() { Interruptible = true };

    /// <summary>The default options plus fuel and interrupt checks.</summary>
    public static CodeOptions WithFuelAndInterrupts { get; } = new() { ConsumeFuel = true, Interruptible = true };
}
