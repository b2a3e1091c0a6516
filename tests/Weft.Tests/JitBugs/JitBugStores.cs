using System.Runtime.CompilerServices;

namespace Weft.Tests.JitBugs;

/// <summary>
/// The stores every RyuJIT-workaround test runs under: the default (each function fully optimized on first call),
/// tiered (quick unoptimized code first, optimized after 30 calls and a delay), and fuel (checks at entries and loops).
/// Under the tiered store the tests check the first, unoptimized tier (which has the shift-pair bug too: RyuJIT
/// recognizes rotates even there); its optimized tier is checked by <see cref="OnStackReplacementTests"/>, because call
/// counting took 5.6 s to replace the first tier of the i32 rotate test's module on this machine.
/// </summary>
internal static class JitBugStores
{
    public static TheoryData<string> Kinds => ["default", "tiered", "fuel"];

    public static Store Create(string kind) => kind switch
    {
        "default" => new Store(),
        "tiered" => new Store { TieredCompilation = true },
        "fuel" => new Store { ConsumeFuel = true, Fuel = long.MaxValue / 2 },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static Instance Instantiate(string kind, string text) => new Linker().Instantiate(Create(kind), WasmModule.FromText(text));
}

/// <summary>
/// Wasm semantics computed independently of the bugs: never optimized (no pattern matching, no flag reuse), never
/// inlined into the tests, and rotates built bit by bit from additions so that no rotate idiom exists to recognize.
/// </summary>
internal static class Ref
{
    private const MethodImplOptions Plain = MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization;

    [MethodImpl(Plain)]
    public static uint Rotl32(uint x, long count)
    {
        int n = (int)(count & 31);
        for (int i = 0; i < n; i++) x = x + x + (x >= 0x80000000u ? 1u : 0u);
        return x;
    }

    [MethodImpl(Plain)]
    public static uint Rotr32(uint x, long count) => Rotl32(x, 32 - (count & 31));

    [MethodImpl(Plain)]
    public static ulong Rotl64(ulong x, long count)
    {
        int n = (int)(count & 63);
        for (int i = 0; i < n; i++) x = x + x + (x >= 0x8000000000000000ul ? 1ul : 0ul);
        return x;
    }

    [MethodImpl(Plain)]
    public static ulong Rotr64(ulong x, long count) => Rotl64(x, 64 - (count & 63));

    [MethodImpl(Plain)]
    public static uint Shl32(uint x, long count) => x << (int)(count & 31);

    [MethodImpl(Plain)]
    public static uint ShrU32(uint x, long count) => x >> (int)(count & 31);

    [MethodImpl(Plain)]
    public static ulong Shl64(ulong x, long count) => x << (int)(count & 63);

    [MethodImpl(Plain)]
    public static ulong ShrU64(ulong x, long count) => x >> (int)(count & 63);

    [MethodImpl(Plain)]
    public static ulong Combine(string op, ulong a, ulong b, ulong mask) => op switch
    {
        "xor" => (a ^ b) & mask,
        "or" => (a | b) & mask,
        "add" => (a + b) & mask,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
