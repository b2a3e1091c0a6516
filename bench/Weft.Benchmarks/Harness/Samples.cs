namespace Weft.Benchmarks.Harness;

/// <summary>Repeated measurements of one thing (milliseconds, bytes, ns...): min, median and the geometric mean of ratios.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public double Median
    {
        get
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.Order().ToArray();
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    /// <summary>The geometric mean of positive values (NaN if there are none): the mean of ratios that multiply.</summary>
    public static double Geomean(IEnumerable<double> values)
    {
        var valid = values.Where(v => v > 0 && double.IsFinite(v)).ToArray();
        return valid.Length == 0 ? double.NaN : Math.Exp(valid.Average(Math.Log));
    }
}
