namespace Weft.Benchmarks.Harness;

/// <summary>
/// How the harness creates Weft stores for the programs: as the <c>weft run</c> command does (the library's default:
/// collectible code, each function fully optimized on its first call), unless <c>WEFT_BENCH_TIERED=1</c> asks for
/// <see cref="Store.TieredCompilation"/>.
/// </summary>
internal static class WeftStores
{
    public static bool Tiered { get; } = Environment.GetEnvironmentVariable("WEFT_BENCH_TIERED") == "1";

    public static Store Create() => new() { TieredCompilation = Tiered };
}
