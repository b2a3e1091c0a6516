using System.Globalization;
using System.Net;
using System.Text;

namespace Weft.Benchmarks.Harness;

// The chart beside RESULTS.md: Weft's time over Wasmtime's per program, for each way of measuring, as plain SVG.
internal sealed partial class Report
{
    private static readonly string[] s_colors = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1"];

    public string Chart()
    {
        var measures = Measures().ToList();
        var rows = programs.Select(r => (Label: r.Program.Name, Values: measures.Select(m => m.Weft(r) / m.Wasmtime(r)).ToArray())).ToList();
        rows.Add(("geomean", measures.Select(m => Geomean(m.Weft, m.Wasmtime)).ToArray()));

        const int left = 100, right = 60, barHeight = 13, groupGap = 12, width = 760;
        int plot = width - left - right;
        // The legend: two measures per line.
        int top = 70 + 16 * ((measures.Count - 1) / 2);
        double max = Math.Max(2.0, Math.Ceiling(rows.SelectMany(r => r.Values).Where(double.IsFinite).DefaultIfEmpty(1).Max() * 2) / 2);
        int groupHeight = measures.Count * barHeight + groupGap;
        int height = top + rows.Count * groupHeight + 30;
        double X(double ratio) => left + plot * Math.Min(ratio, max) / max;
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine("""<rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="10" y="20" font-size="14" font-weight="bold">Weft time / Wasmtime time per program (lower is better; 1.0 = as fast as Wasmtime)</text>""");
        for (int m = 0; m < measures.Count; m++)
        {
            int x = left + (m % 2) * 300, y = 32 + (m / 2) * 16;
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="12" height="12" fill="{s_colors[m]}"/><text x="{x + 16}" y="{y + 10}">{WebUtility.HtmlEncode(measures[m].Label)}</text>""");
        }
        for (double tick = 0; tick <= max + 1e-9; tick += 0.5)
        {
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{F(X(tick))}" y1="{top - 8}" x2="{F(X(tick))}" y2="{height - 25}" stroke="#ddd"/><text x="{F(X(tick))}" y="{height - 10}" text-anchor="middle">{tick:0.0}</text>""");
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{F(X(1))}" y1="{top - 8}" x2="{F(X(1))}" y2="{height - 25}" stroke="#333"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{F(X(1.2))}" y1="{top - 8}" x2="{F(X(1.2))}" y2="{height - 25}" stroke="#c00" stroke-dasharray="4 3"/><text x="{F(X(1.2) + 3)}" y="{top - 10}" fill="#c00">target 1.2</text>""");
        for (int i = 0; i < rows.Count; i++)
        {
            int y = top + i * groupHeight;
            var (label, values) = rows[i];
            string weight = label == "geomean" ? " font-weight=\"bold\"" : "";
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{left - 6}" y="{y + measures.Count * barHeight / 2 + 4}" text-anchor="end"{weight}>{WebUtility.HtmlEncode(label)}</text>""");
            for (int m = 0; m < values.Length; m++)
            {
                if (!double.IsFinite(values[m])) continue;
                int by = y + m * barHeight;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{left}" y="{by}" width="{F(X(values[m]) - left)}" height="{barHeight - 2}" fill="{s_colors[m]}"/><text x="{F(X(values[m]) + 3)}" y="{by + barHeight - 3}" font-size="10">{values[m]:F2}{(values[m] > max ? " (off scale)" : "")}</text>""");
            }
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
