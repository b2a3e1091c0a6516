using System.Globalization;

namespace Weft.Fuzz;

/// <summary>
/// Compares Weft's trace with binaryen's, line by line, with the slack the spec allows and nothing more: any trap
/// matches any trap (the messages are the engines' own), a NaN matches any NaN (sign and payload of arithmetic NaNs
/// are nondeterministic), floats compare as numbers (the two print decimals differently), and the comparison stops
/// at a host limit of either side (binaryen's interpreter recursion limit, Weft's call stack).
/// </summary>
public static class TraceComparer
{
    /// <summary>Null when the traces agree; else the first differing line of each, numbered.</summary>
    public static string? Compare(string oracle, string weft)
    {
        var a = Lines(oracle);
        var b = Lines(weft);
        int limitA = a.FindIndex(l => l.StartsWith("[host limit", StringComparison.Ordinal));
        int limitB = b.FindIndex(l => l.StartsWith("[host limit", StringComparison.Ordinal));
        int end = Math.Min(limitA < 0 ? int.MaxValue : limitA, limitB < 0 ? int.MaxValue : limitB);
        bool limited = end != int.MaxValue;
        if (limited)
        {
            a = a.Take(end).ToList();
            b = b.Take(end).ToList();
        }
        int n = Math.Min(a.Count, b.Count);
        for (int i = 0; i < n; i++)
        {
            if (!LinesEqual(a[i], b[i])) return $"line {i + 1}:\n  binaryen: {a[i]}\n  weft:     {b[i]}";
        }
        if (OracleStoppedSilently(a, b)) return null;
        if (a.Count != b.Count)
        {
            string extra = a.Count > b.Count ? "binaryen: " + a[n] : "weft:     " + b[n];
            return $"line {n + 1}: one trace ends ({a.Count} vs {b.Count} lines); first extra line\n  {extra}";
        }
        return null;
    }

    /// <summary>
    /// Whether binaryen's trace stops right after announcing an export while Weft's goes on (the two agreeing up to
    /// there). binaryen 132's interpreter does this when it meets a trap it does not report (a TrapException caught
    /// by fuzz-exec's outer handler, which ends the whole run silently, with exit code 0): nothing after that point
    /// can be compared. Such cases are counted apart (<see cref="FeatureStats.OracleStopped"/>).
    /// </summary>
    public static bool OracleStoppedSilently(string oracle, string weft) => OracleStoppedSilently(Lines(oracle), Lines(weft));

    private static bool OracleStoppedSilently(List<string> a, List<string> b) =>
        a.Count > 0 && a.Count < b.Count && a[^1].StartsWith("[fuzz-exec] export ", StringComparison.Ordinal) && a[^1] == b[a.Count - 1]
        && !b.Take(a.Count).Where((line, i) => !LinesEqual(a[i], line)).Any();

    private static List<string> Lines(string trace) =>
        trace.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();

    private static bool LinesEqual(string x, string y)
    {
        if (x == y) return true;
        if (x.StartsWith("[trap", StringComparison.Ordinal) && y.StartsWith("[trap", StringComparison.Ordinal)) return true;
        const string Thrown = "[exception thrown: ";
        if (x.StartsWith(Thrown, StringComparison.Ordinal) && y.StartsWith(Thrown, StringComparison.Ordinal))
        {
            // The tag is printed by binaryen's internal name, which Weft cannot know: compare the payload only.
            return TokensEqual(Tokens(x).Skip(3).ToArray(), Tokens(y).Skip(3).ToArray());
        }
        return TokensEqual(Tokens(x), Tokens(y));
    }

    private static string[] Tokens(string line) =>
        line.Replace("internalized ", "", StringComparison.Ordinal).TrimEnd(']').Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static bool TokensEqual(string[] x, string[] y)
    {
        if (x.Length != y.Length) return false;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] == "i32x4" && y[i] == "i32x4")
            {
                if (i + 4 >= x.Length) return false;
                if (!VectorsEqual(x.AsSpan(i + 1, 4), y.AsSpan(i + 1, 4))) return false;
                i += 4;
                continue;
            }
            if (!ValuesEqual(x[i], y[i])) return false;
        }
        return true;
    }

    /// <summary>A v128's four words; a lane that is a NaN in both (as f32, or as the high half of an f64) matches.</summary>
    private static bool VectorsEqual(ReadOnlySpan<string> x, ReadOnlySpan<string> y)
    {
        var a = new uint[4];
        var b = new uint[4];
        for (int i = 0; i < 4; i++)
        {
            if (!TryHex(x[i], out a[i]) || !TryHex(y[i], out b[i])) return x.SequenceEqual(y);
        }
        for (int i = 0; i < 4; i++)
        {
            if (a[i] == b[i] || (IsF32NaN(a[i]) && IsF32NaN(b[i]))) continue;
            // The low word of an f64 NaN lane: its high word (the next one) is an f64 NaN in both.
            if (i % 2 == 0 && IsF64NaNHigh(a[i + 1]) && IsF64NaNHigh(b[i + 1])) continue;
            return false;
        }
        return true;
    }

    private static bool IsF32NaN(uint w) => (w & 0x7F80_0000) == 0x7F80_0000 && (w & 0x7F_FFFF) != 0;
    private static bool IsF64NaNHigh(uint w) => (w & 0x7FF0_0000) == 0x7FF0_0000;

    private static bool TryHex(string s, out uint value)
    {
        value = 0;
        return s.StartsWith("0x", StringComparison.Ordinal) && uint.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }

    private static bool ValuesEqual(string x, string y)
    {
        if (x == y) return true;
        if (IsNaN(x) && IsNaN(y)) return true;
        if (x == "-0" || y == "-0") return false;
        if (!LooksFloat(x) && !LooksFloat(y)) return false;
        return double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
            && a.Equals(b);
    }

    private static bool IsNaN(string s) => s.StartsWith("nan", StringComparison.Ordinal) || s.StartsWith("-nan", StringComparison.Ordinal);

    private static bool LooksFloat(string s) =>
        s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] == '-') && s.AsSpan().IndexOfAny(".eE") >= 0;
}
