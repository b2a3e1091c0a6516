namespace Weft.Builtins;

/// <summary>The polyfill module of <c>weft:array-simd</c>, embedded in the assembly (Builtins/weft-array-simd-polyfill.wat).</summary>
internal static class ArraySimdPolyfill
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(ArraySimdPolyfill).Assembly.GetManifestResourceStream("Weft.Builtins.weft-array-simd-polyfill.wat")
            ?? throw new InvalidOperationException("the weft:array-simd polyfill is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The module in the text format.</summary>
    public static string Text => Source.Value;
}
