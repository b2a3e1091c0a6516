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
}
