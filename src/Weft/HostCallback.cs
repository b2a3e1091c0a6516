namespace Weft;

/// <summary>An untyped host function: reads its arguments and writes its results (see <see cref="Linker.DefineFunction(string, string, IReadOnlyList{Syntax.ValType}, IReadOnlyList{Syntax.ValType}, HostCallback)"/>).</summary>
/// <param name="arguments">The arguments, one per parameter.</param>
/// <param name="results">Where to put the results, one per result type.</param>
public delegate void HostCallback(ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);

/// <summary>
/// An untyped host function that receives the calling instance: reads its arguments and writes its results (see
/// <see cref="Linker.DefineFunction(string, string, WasmFunctionType, HostFunctionCallback)"/>).
/// </summary>
/// <param name="caller">
/// The instance that imported the function (its memory, exports and store, with the store's <see cref="Store.Data"/>);
/// null only when the host calls a function it created itself through <see cref="Function.Invoke"/>, not through an instance.
/// </param>
/// <param name="arguments">The arguments, one per parameter.</param>
/// <param name="results">Where to put the results, one per result type.</param>
public delegate void HostFunctionCallback(Caller caller, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);
