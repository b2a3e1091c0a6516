namespace Weft.Tests.Text;

/// <summary>Locates the spec test suite: <c>$WEFT_SPEC_TESTSUITE</c>, or <c>../shared/testsuite</c> beside the repository.</summary>
internal static class SpecSuite
{
    public const string Missing =
        "spec test suite not found: set WEFT_SPEC_TESTSUITE or place it at ../shared/testsuite next to the repository";

    private static readonly Lazy<string?> s_root = new(Find);

    public static string? Root => s_root.Value;

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WEFT_SPEC_TESTSUITE");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testsuite"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }

    /// <summary>Every .wast file, relative to the suite root, sorted.</summary>
    public static IEnumerable<string> Scripts() =>
        Root is null
            ? []
            : Directory.EnumerateFiles(Root, "*.wast", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal);

    public static string FullPath(string relative) => Path.Combine(Root!, relative);

    public static TheoryData<string> ScriptData()
    {
        var data = new TheoryData<string>();
        foreach (var s in Scripts()) data.Add(s);
        if (Root is null) data.Add("(suite missing)");
        return data;
    }
}

/// <summary>A fact that is skipped, saying why, when the spec suite is absent.</summary>
internal sealed class SuiteFactAttribute : FactAttribute
{
    public SuiteFactAttribute()
    {
        if (SpecSuite.Root is null) Skip = SpecSuite.Missing;
    }
}

/// <summary>A theory over suite files that is skipped, saying why, when the spec suite is absent.</summary>
internal sealed class SuiteTheoryAttribute : TheoryAttribute
{
    public SuiteTheoryAttribute()
    {
        if (SpecSuite.Root is null) Skip = SpecSuite.Missing;
    }
}
