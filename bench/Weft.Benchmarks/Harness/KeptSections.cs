namespace Weft.Benchmarks.Harness;

/// <summary>
/// RESULTS.md is shared: other benchmarks (e.g. bench/js-boundary) add "## " sections by hand. A harness run rewrites
/// the sections it produces and keeps, after them and in their order, every old section whose heading it does not
/// write, so a run never deletes figures it did not measure.
/// </summary>
internal static class KeptSections
{
    public static string Merge(string markdown, string path)
    {
        if (!File.Exists(path)) return markdown;
        var written = Sections(markdown).Select(s => s.Heading).ToHashSet(StringComparer.Ordinal);
        var kept = Sections(File.ReadAllText(path)).Where(s => s.Heading.Length > 0 && !written.Contains(s.Heading)).ToList();
        if (kept.Count == 0) return markdown;
        return markdown.TrimEnd('\n') + "\n\n" + string.Join("\n", kept.Select(s => s.Text.TrimEnd('\n') + "\n"));
    }

    /// <summary>
    /// The file split at "## " headings; the text before the first heading has an empty heading. A marker line
    /// <c>&lt;!-- NAME:begin --&gt;</c> just before a heading belongs to that heading's section: other writers (the GC
    /// harness) find their section by its markers, which a kept section must keep.
    /// </summary>
    private static List<(string Heading, string Text)> Sections(string markdown)
    {
        var result = new List<(string, string)>();
        string heading = "";
        var text = new System.Text.StringBuilder();
        foreach (string line in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                string before = text.ToString();
                int lastLine = before.TrimEnd('\n').LastIndexOf('\n') + 1;
                string marker = before[lastLine..].TrimEnd('\n');
                bool carried = marker.StartsWith("<!-- ", StringComparison.Ordinal) && marker.EndsWith(":begin -->", StringComparison.Ordinal);
                result.Add((heading, carried ? before[..lastLine] : before));
                heading = line.TrimEnd();
                text.Clear();
                if (carried) text.Append(marker).Append('\n');
            }
            text.Append(line).Append('\n');
        }
        result.Add((heading, text.ToString()));
        return result;
    }
}
