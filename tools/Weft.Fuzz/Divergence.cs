namespace Weft.Fuzz;

/// <summary>What kind of disagreement a case showed.</summary>
public enum DivergenceKind
{
    /// <summary>Weft's trace differs from binaryen's.</summary>
    Execution,
    /// <summary>Weft rejected (or failed to compile) a module binaryen generated as valid.</summary>
    Rejected,
    /// <summary>Something other than a Weft exception escaped Weft.</summary>
    Crash,
    /// <summary>print -> parse -> print of the text format, or write -> read -> write of the binary format, was not stable.</summary>
    RoundTrip,
    /// <summary>Weft and binaryen disagree on whether a mutated module is valid.</summary>
    Validation,
}

/// <summary>One case that diverged.</summary>
public sealed record Divergence(string CaseId, DivergenceKind Kind, string Config, string Detail)
{
    /// <summary>The known bug it matched, if any (see <see cref="KnownBugs"/>).</summary>
    public string? KnownBug { get; init; }

    /// <summary>Where its files were saved, if they were.</summary>
    public string? Folder { get; init; }
}
