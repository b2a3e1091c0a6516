namespace Weft.Tests.Fuzz;

/// <summary>
/// The fuzz tests that run binaryen keep a node process and both cores busy for a while: they run alone, after the
/// parallel tests, so that they do not disturb the timing-sensitive tests elsewhere (e.g. ValidationTimeIsLinear).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "binaryen fuzzing";
}
