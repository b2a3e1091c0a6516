namespace Weft.Fuzz;

/// <summary>A named set of wasm features, as binaryen's <c>--enable-*</c> flags for translate-to-fuzz.</summary>
public sealed record FeatureSet(string Name, string[] Flags)
{
    // Wasm 2.0's numeric and memory additions: every set builds on them. Relaxed SIMD is never enabled (its
    // results are implementation-defined, so it cannot be compared), nor are threads, strings, stack switching and
    // the other proposals beyond Wasm 3.0 that Weft does not implement.
    private static readonly string[] Base =
    [
        "--mvp-features", "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
        "--enable-bulk-memory", "--enable-bulk-memory-opt", "--enable-multivalue",
    ];

    private static FeatureSet Make(string name, params string[] extra) => new(name, [.. Base, .. extra]);

    /// <summary>The sets `--features` accepts, in the order `--features each` runs them.</summary>
    public static readonly IReadOnlyList<FeatureSet> All =
    [
        Make("mvp"),
        Make("simd", "--enable-simd"),
        Make("gc", "--enable-reference-types", "--enable-gc"),
        // binaryen emits both kinds of handlers here: the exnref kind (try_table, throw_ref) and the legacy kind
        // (try/catch/delegate/rethrow); the runner counts modules holding each.
        Make("eh", "--enable-reference-types", "--enable-exception-handling"),
        Make("tail-call", "--enable-reference-types", "--enable-tail-call"),
        Make("multi-memory", "--enable-multimemory"),
        Make("memory64", "--enable-memory64"),
        Make("all", "--enable-simd", "--enable-reference-types", "--enable-gc", "--enable-exception-handling",
            "--enable-tail-call", "--enable-multimemory", "--enable-memory64", "--enable-extended-const",
            "--enable-call-indirect-overlong"),
    ];

    /// <summary>Parses `--features NAME[,NAME...]`; `each` means every set.</summary>
    public static IReadOnlyList<FeatureSet> Parse(string text)
    {
        if (text is "each" or "every") return All;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => All.FirstOrDefault(f => f.Name == n)
                ?? throw new ArgumentException($"unknown feature set '{n}' (known: {string.Join(", ", All.Select(f => f.Name))}, each)"))
            .ToArray();
    }
}
