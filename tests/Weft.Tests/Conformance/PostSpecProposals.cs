namespace Weft.Tests.Conformance;

/// <summary>
/// The post-3.0 proposal suites that Weft implements, from <c>../shared/testsuite-proposals</c> beside the repository
/// (or <c>$WEFT_PROPOSAL_TESTSUITE</c>). Only the folders named in <see cref="Implemented"/> run: the others
/// (custom descriptors, ...) are proposals Weft does not implement.
/// </summary>
internal static class PostSpecProposals
{
    public const string EnvironmentVariable = "WEFT_PROPOSAL_TESTSUITE";

    /// <summary>The proposal folders whose scripts must all pass.</summary>
    public static readonly string[] Implemented = ["custom-page-sizes", "threads", "wide-arithmetic"];

    private static readonly Lazy<string?> s_root = new(() =>
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        string beside = Path.GetFullPath(Path.Combine(SpecSuite.RepositoryRoot, "..", "shared", "testsuite-proposals"));
        return Directory.Exists(beside) ? beside : null;
    });

    /// <summary>The folder, or null when it is absent.</summary>
    public static string? Root => s_root.Value;

    /// <summary>The scripts of the implemented proposals, relative to <see cref="Root"/>, in ordinal order.</summary>
    public static IEnumerable<string> Scripts() => Root is null
        ? []
        : Implemented
            .Where(folder => Directory.Exists(Path.Combine(Root, folder)))
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.wast", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}

/// <summary>A theory over the proposal scripts, skipped loudly when the proposal suites are absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostSpecProposalTheoryAttribute : SkippableTheoryAttribute
{
    public PostSpecProposalTheoryAttribute()
    {
        if (PostSpecProposals.Root is null)
        {
            Skip = $"PROPOSAL TEST SUITES NOT FOUND: looked for ${PostSpecProposals.EnvironmentVariable} and ../shared/testsuite-proposals. They did not run.";
        }
    }
}
