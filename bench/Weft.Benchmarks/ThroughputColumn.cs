using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Weft.Benchmarks;

/// <summary>A column with the input size and MB/s (10^6 bytes per second) of a benchmark that has an <c>Input</c> parameter.</summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Decoded megabytes (10^6 bytes) per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats || benchmarkCase.Parameters["Input"] is not string input) return "-";
        double bytes = DecodeInputs.SizeOf(input);
        double seconds = stats.Mean / 1e9;
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / seconds / 1e6:F1} ({bytes / 1e6:F2} MB)");
    }
}
