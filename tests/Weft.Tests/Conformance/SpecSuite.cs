namespace Weft.Tests.Conformance;

/// <summary>
/// Finds the WebAssembly spec test suite: <c>$WEFT_SPEC_TESTSUITE</c> if set, else <c>../shared/testsuite</c> beside the
/// repository root (found by walking up from the test assembly to <c>Weft.slnx</c>). Splits its scripts into groups,
/// one test class (so one xunit collection, run in parallel with the others) per group.
/// </summary>
internal static class SpecSuite
{
    public const string EnvironmentVariable = "WEFT_SPEC_TESTSUITE";

    /// <summary>The groups, each a test class; every script belongs to exactly one (see <see cref="GroupOf"/>).</summary>
    public static readonly string[] Groups = ["core", "simd", "proposals"];

    private static readonly Lazy<string?> s_root = new(Locate);

    /// <summary>The repository root: the folder holding Weft.slnx above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The suite's folder, or null when it is absent.</summary>
    public static string? Root => s_root.Value;

    /// <summary>Why the conformance tests are skipped when the suite is absent.</summary>
    public static string AbsentMessage =>
        $"SPEC TEST SUITE NOT FOUND: looked for ${EnvironmentVariable} ({Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "unset"}) " +
        $"and {Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testsuite"))}. The conformance tests did not run.";

    /// <summary>The scripts of a group as paths relative to the suite root, with forward slashes.</summary>
    public static IEnumerable<string> Scripts(string group) => AllScripts().Where(s => GroupOf(s) == group);

    /// <summary>Every .wast script of the suite, relative, in ordinal order.</summary>
    public static IEnumerable<string> AllScripts() => Root is null
        ? []
        : Directory.EnumerateFiles(Root, "*.wast", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The group of a script. SIMD (the largest scripts) is a group of its own; the smaller proposal folders share one;
    /// everything else, including any folder added upstream later, is "core", so that no script can fall through.
    /// </summary>
    public static string GroupOf(string relativePath)
    {
        string[] parts = relativePath.Split('/');
        string folder = parts.Length > 2 && parts[0] == "core" ? parts[1] : parts[0];
        return folder switch
        {
            "simd" or "relaxed-simd" => "simd",
            "bulk-memory" or "memory64" or "multi-memory" or "gc" or "exceptions" or "custom" or "legacy" => "proposals",
            _ => "core",
        };
    }

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        string beside = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testsuite"));
        return Directory.Exists(beside) ? beside : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Weft.slnx in any folder above {AppContext.BaseDirectory}");
    }
}
