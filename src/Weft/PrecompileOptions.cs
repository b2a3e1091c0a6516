namespace Weft;

/// <summary>Settings of ahead-of-time compilation (<see cref="WasmModule.Precompile(Stream, PrecompileOptions?)"/>).</summary>
public sealed record PrecompileOptions
{
    /// <summary>The simple name of the assembly written; null for the output file's name (or "WeftModule" for a stream).</summary>
    public string? AssemblyName { get; init; }

    /// <summary>
    /// Compile fuel checks in: the code then serves stores with <see cref="Store.ConsumeFuel"/> on (and only those;
    /// a runtime that cannot generate code refuses other stores).
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>Compile interrupt checks in: the code then serves stores with <see cref="Store.Interruptible"/> on (and only those).</summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// Write the assembly for ReadyToRun (crossgen2, as <c>weft compile --ready-to-run</c> runs it): the functions'
    /// methods are then left unmarked. By default each is marked <c>AggressiveOptimization</c>, because a precompiled
    /// assembly is an ordinary assembly whose methods .NET would otherwise tier (a quick unoptimized first JIT, then
    /// instrumented code, then optimized code), while code Weft generates at run time is compiled optimized once; but
    /// crossgen2 leaves methods so marked to the JIT, so an assembly meant for ReadyToRun must not mark them.
    /// </summary>
    public bool ForReadyToRun { get; init; }
}
