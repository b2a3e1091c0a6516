namespace Weft.Fuzz;

/// <summary>
/// Divergences already understood and being fixed elsewhere, so a fuzz run reports them as known instead of new.
/// A reduced case is matched by its pattern (a regular expression over its text); an unreduced sample case by id.
/// Set WEFT_FUZZ_STRICT=1 to treat known bugs as failures too (after the fixes land).
/// </summary>
public static class KnownBugs
{
    /// <summary>A known bug: an id, what it is, and the text pattern its reduced cases show.</summary>
    public sealed record Bug(string Id, string Description, string ReducedPattern, string[] SampleCases);

    /// <summary>The list (see docs/FUZZING.md, "Known bugs").</summary>
    public static readonly IReadOnlyList<Bug> All =
    [
        new("narrow-load-reinterpret",
            "RyuJIT (optimized code only): a narrow integer load (i32.load8_s/8_u/16_u) whose value is reinterpreted as "
            + "an f32 reads 4 bytes. Regression: tests/Weft.Tests/Fuzz/Regressions/narrow-load-reinterpret.wast.",
            @"i(32|64)\.load(8|16|32)_[su][^\n]*\n(\s*end\n)*\s*f(32|64)\.reinterpret_i(32|64)",
            ["multi-memory-s1-56"]),
        new("rotate-flags",
            "RyuJIT (optimized code only): a rotate tested directly by a branch reads flags the rotate does not set. "
            + "Regression: tests/Weft.Tests/Fuzz/Regressions/rotate-flags.wast.",
            @"i(32|64)\.rot[lr]\n(\s*[^\n]*\n){0,3}?\s*(if|br_if|select|i(32|64)\.(eqz|eq|ne|lt_[su]|gt_[su]|le_[su]|ge_[su]))\b",
            ["multi-memory-s1-385"]),
        new("shift-pair-rotate", "RyuJIT: a pair of shifts folded into a rotate (being fixed elsewhere).",
            @"i(32|64)\.shl\n(\s*[^\n]*\n){0,4}\s*i(32|64)\.shr_u\n(\s*[^\n]*\n){0,2}\s*i(32|64)\.or", []),
    ];

    /// <summary>A known round-trip instability: an id, what it is, and a pattern of its divergence detail.</summary>
    public sealed record RoundTripIssue(string Id, string Description, string DetailPattern);

    /// <summary>Round-trip instabilities found by the fuzzer and not fixed yet (docs/FUZZING.md, "Findings").</summary>
    public static readonly IReadOnlyList<RoundTripIssue> RoundTrips =
    [
        new("custom-after-datacount",
            "A custom section placed (after datacount) in a module without a data count section is written after the " +
            "element section, so it reads back as (after elem): the binary writer drops the empty data count section the " +
            "placement refers to.",
            @"\(after datacount\).*vs.*\(after elem\)"),
    ];

    /// <summary>The known round-trip issue a divergence detail shows, if any.</summary>
    public static string? MatchRoundTrip(string detail) =>
        RoundTrips.FirstOrDefault(r => System.Text.RegularExpressions.Regex.IsMatch(detail, r.DetailPattern))?.Id;

    /// <summary>Whether known bugs are failures anyway.</summary>
    public static bool Strict => Environment.GetEnvironmentVariable("WEFT_FUZZ_STRICT") is "1" or "true";

    /// <summary>The known bug a sample case id is recorded under, if any.</summary>
    public static string? MatchCase(string caseId) => All.FirstOrDefault(b => b.SampleCases.Contains(caseId))?.Id;

    /// <summary>The known bug whose pattern a reduced module's text shows, if any.</summary>
    public static string? MatchReduced(string reducedText) =>
        All.FirstOrDefault(b => System.Text.RegularExpressions.Regex.IsMatch(reducedText, b.ReducedPattern))?.Id;
}
