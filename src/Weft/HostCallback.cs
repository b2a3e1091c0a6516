namespace Weft;

/// <summary>An untyped host function: reads its arguments and writes its results (see <see cref="Linker.DefineFunction(string, string, IReadOnlyList{Syntax.ValType}, IReadOnlyList{Syntax.ValType}, HostCallback)"/>).</summary>
/// <param name="arguments">The arguments, one per parameter.</param>
/// <param name="results">Where to put the results, one per result type.</param>
public delegate void HostCallback(ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);
