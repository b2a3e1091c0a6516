using Suite = Weft.Tests.Conformance.SpecSuite;

namespace Weft.Tests.Text;

/// <summary>The spec suite as the text tests use it (located by <see cref="Suite"/>).</summary>
internal static class TextSuite
{
    /// <summary>Every .wast file, relative to the suite root, sorted.</summary>
    public static IEnumerable<string> Scripts() => Suite.AllScripts();

    public static string FullPath(string relative) => Path.Combine(Suite.Root!, relative);

    /// <summary>One row per script; a placeholder row when the suite is absent (the theory is skipped then).</summary>
    public static TheoryData<string> ScriptData()
    {
        var data = new TheoryData<string>();
        foreach (var s in Scripts()) data.Add(s);
        if (Suite.Root is null) data.Add("(suite missing)");
        return data;
    }
}
