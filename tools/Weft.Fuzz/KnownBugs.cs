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
    // Empty: the three RyuJIT bugs the fuzzer was built around (narrow load reinterpreted as float, rotate feeding
    // flags, shift pairs folded into a rotate) are worked around in the compiler (FunctionCompiler.JitWorkarounds.cs,
    // docs/RATIONALE.md "RyuJIT workarounds"); their reduced cases are regression tests that must pass.
    public static readonly IReadOnlyList<Bug> All = [];

    /// <summary>A known round-trip instability: an id, what it is, and a pattern of its divergence detail.</summary>
    public sealed record RoundTripIssue(string Id, string Description, string DetailPattern);

    /// <summary>Round-trip instabilities found by the fuzzer and not fixed yet (docs/FUZZING.md, "Findings").</summary>
    // Empty: "custom-after-datacount" (a custom section placed after the data count section of a module without a
    // recorded count read back as placed after an earlier section) is fixed in ModuleWriter.
    public static readonly IReadOnlyList<RoundTripIssue> RoundTrips = [];

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
