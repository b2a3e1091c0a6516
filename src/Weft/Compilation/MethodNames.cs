using System.Globalization;
using System.Text;

namespace Weft.Compilation;

/// <summary>
/// The names of the methods compiled wasm functions become: the function's name from the name section, reduced to
/// letters, digits and '_', then '$' and the function index (<c>fib$3</c>); <c>f3</c> for a function without a
/// name. .NET stack traces then read like wasm backtraces, and <see cref="Runtime.Backtrace"/> recovers the index
/// from the name alone (no table per method).
/// </summary>
internal static class MethodNames
{
    // Long enough for any readable name; C++ and Rust symbols can run to kilobytes, which only bloat stack traces.
    private const int MaxNameLength = 96;

    /// <summary>The method name of the function at an index (in the function index space) with an optional name.</summary>
    public static string For(int functionIndex, string? name)
    {
        string index = functionIndex.ToString(CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(name)) return "f" + index;
        var text = new StringBuilder(Math.Min(name.Length, MaxNameLength) + 1 + index.Length);
        foreach (char c in name)
        {
            if (text.Length == MaxNameLength) break;
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return text.Append('$').Append(index).ToString();
    }

    /// <summary>The function index a method name of <see cref="For"/> carries, or null for any other name.</summary>
    public static int? FunctionIndex(string methodName)
    {
        int dollar = methodName.LastIndexOf('$');
        var digits = dollar >= 0 ? methodName.AsSpan(dollar + 1)
            : methodName.StartsWith('f') ? methodName.AsSpan(1)
            : [];
        if (digits.IsEmpty || !char.IsAsciiDigit(digits[0])) return null;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;
    }
}
