using System.Text;

namespace Weft.Benchmarks.Harness;

// Geomeans per group of programs (bench/programs/categories.txt): our own programs flatter or wrong Weft in ways
// third-party code may not, and one WASI-heavy program moves a geomean of seven a long way, so issue 17 judges
// compute-only and third-party programs separately.
internal sealed partial class Report
{
    /// <summary>NAME -> (origin, kind) from categories.txt; programs not listed count as own compute programs.</summary>
    private static Dictionary<string, (string Origin, string Kind)> LoadCategories()
    {
        var categories = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        string file = Path.Combine(Harness.FindRepository(), "bench", "programs", "categories.txt");
        if (!File.Exists(file)) return categories;
        foreach (string line in File.ReadAllLines(file))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 3 && words[0][0] != '#') categories[words[0]] = (words[1], words[2]);
        }
        return categories;
    }

    private List<(string Label, List<ProgramResult> Programs)> Groups()
    {
        var categories = LoadCategories();
        (string Origin, string Kind) Of(ProgramResult r) => categories.TryGetValue(r.Program.Name, out var c) ? c : ("own", "compute");
        var groups = new List<(string, List<ProgramResult>)>
        {
            ("all programs", programs),
            ("own programs", programs.Where(r => Of(r).Origin == "own").ToList()),
            ("third-party programs", programs.Where(r => Of(r).Origin == "third-party").ToList()),
            ("compute-only programs", programs.Where(r => Of(r).Kind == "compute").ToList()),
            ("I/O-heavy programs", programs.Where(r => Of(r).Kind == "io").ToList()),
        };
        return groups.Where(g => g.Item2.Count > 0).ToList();
    }

    private static double GroupGeomean(List<ProgramResult> group, Func<ProgramResult, double> weft, Func<ProgramResult, double> other) =>
        Samples.Geomean(group.Select(r => weft(r) / other(r)));

    private void WriteGroups(StringBuilder md)
    {
        md.AppendLine("## Groups of programs (issue 17)");
        md.AppendLine();
        md.AppendLine("Geomeans of Weft/Wasmtime (and Weft/native) per group (bench/programs/categories.txt: own programs were written for this repository, third-party ones are public C code built with the same recipe; compute-only programs do no I/O but their output, I/O-heavy ones are WASI-bound).");
        md.AppendLine();
        string publishedHeader = HasPublished ? " whole process, ReadyToRun host |" : "";
        md.AppendLine(s_inv, $"| group | programs | cold, in process | warm, in process | whole process |{publishedHeader} warm Weft/native |");
        md.AppendLine(HasPublished ? "|---|---:|---:|---:|---:|---:|---:|" : "|---|---:|---:|---:|---:|---:|");
        foreach (var (label, group) in Groups())
        {
            string published = HasPublished ? string.Create(s_inv, $" {GroupGeomean(group, r => r.WeftPublishedWall.Median, r => r.WasmtimePublishedWall.Median):F2} |") : "";
            md.AppendLine(s_inv, $"| {label} | {group.Count} | {GroupGeomean(group, r => r.WeftColdTotal.Median, r => r.WasmtimeColdTotal.Median):F2} | {GroupGeomean(group, r => r.WeftWarmRun.Median, r => r.WasmtimeWarmRun.Median):F2} | {GroupGeomean(group, r => r.WeftProcessWall.Median, r => r.WasmtimeProcessWall.Median):F2} |{published} {GroupGeomean(group, r => r.WeftWarmRun.Median, r => r.NativeWall.Median):F2} |");
        }
        md.AppendLine();
        md.AppendLine("| target (issue 17) | measured | met |");
        md.AppendLine("|---|---|---|");
        foreach (var (label, group) in Groups().Where(g => g.Label is "compute-only programs" or "third-party programs"))
        {
            double whole = GroupGeomean(group, r => r.WeftProcessWall.Median, r => r.WasmtimeProcessWall.Median);
            double warm = GroupGeomean(group, r => r.WeftWarmRun.Median, r => r.WasmtimeWarmRun.Median);
            md.AppendLine(s_inv, $"| {label}: Weft/Wasmtime <= 1.0 whole process | {whole:F2} | {Met(whole <= 1.0)} |");
            if (HasPublished)
            {
                double published = GroupGeomean(group, r => r.WeftPublishedWall.Median, r => r.WasmtimePublishedWall.Median);
                md.AppendLine(s_inv, $"| {label}: Weft/Wasmtime <= 1.0 whole process, both hosts ReadyToRun | {published:F2} | {Met(published <= 1.0)} |");
            }
            md.AppendLine(s_inv, $"| {label}: Weft/Wasmtime <= 0.95 warm | {warm:F2} | {Met(warm <= 0.95)} |");
        }
        var worst = programs.Select(r => (r.Program.Name, Ratio: r.WeftProcessWall.Median / r.WasmtimeProcessWall.Median)).MaxBy(p => p.Ratio);
        md.AppendLine(s_inv, $"| no program worse than 1.15x (whole process) | worst: {worst.Name} {worst.Ratio:F2} | {Met(worst.Ratio <= 1.15)} |");
        if (HasPublished)
        {
            var worstPublished = programs.Select(r => (r.Program.Name, Ratio: r.WeftPublishedWall.Median / r.WasmtimePublishedWall.Median)).MaxBy(p => p.Ratio);
            md.AppendLine(s_inv, $"| no program worse than 1.15x (whole process, both hosts ReadyToRun) | worst: {worstPublished.Name} {worstPublished.Ratio:F2} | {Met(worstPublished.Ratio <= 1.15)} |");
        }
        md.AppendLine();
    }
}
