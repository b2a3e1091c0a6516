using System.Globalization;
using System.Text;

namespace Weft.Script;

/// <summary>Renders values and result patterns in .wast syntax for failure reports.</summary>
internal static class ScriptFormat
{
    /// <summary>
    /// A list of actual values: one value alone, several in brackets, none as <c>[]</c>. A v128 is shown in the lane
    /// shape of the pattern it was compared with, so that expected and actual read alike.
    /// </summary>
    public static string Values(IReadOnlyList<ActualValue> values, IReadOnlyList<ResultPattern>? like = null)
    {
        var shown = values.Select((v, i) => Value(v, like is not null && i < like.Count ? ShapeOf(like[i]) : null)).ToList();
        return shown.Count == 1 ? shown[0] : "[" + string.Join(" ", shown) + "]";
    }

    /// <summary>A list of patterns, bracketed like <see cref="Values"/>.</summary>
    public static string Patterns(IReadOnlyList<ResultPattern> patterns) =>
        patterns.Count == 1 ? Pattern(patterns[0]) : "[" + string.Join(" ", patterns.Select(Pattern)) + "]";

    /// <summary>One actual value; a v128 in the given lane shape (i32x4 by default).</summary>
    public static string Value(ActualValue value, V128Shape? shape = null) => value.Kind switch
    {
        ActualKind.I32 => $"(i32.const {Int32((uint)value.Bits)})",
        ActualKind.I64 => $"(i64.const {Int64(value.Bits)})",
        ActualKind.F32 => $"(f32.const {Float32((uint)value.Bits)})",
        ActualKind.F64 => $"(f64.const {Float64(value.Bits)})",
        ActualKind.V128 => V128(value.Bits, value.Bits2, shape ?? V128Shape.I32x4),
        _ => value.Ref switch
        {
            RefCategory.Null => "(ref.null)",
            RefCategory.Host => $"(ref.host {value.HostIndex})",
            RefCategory.Extern when value.HostIndex is { } n => $"(ref.extern {n})",
            _ => $"(ref.{value.Ref.ToString().ToLowerInvariant()})",
        },
    };

    /// <summary>One expected-result pattern.</summary>
    public static string Pattern(ResultPattern pattern) => pattern.Kind switch
    {
        ResultKind.Value => Value(pattern.Value),
        ResultKind.F32Nan => $"(f32.const {Nan(pattern.Nan)})",
        ResultKind.F64Nan => $"(f64.const {Nan(pattern.Nan)})",
        ResultKind.V128Lanes => $"(v128.const {Shape(pattern.Shape)} {string.Join(" ", pattern.Lanes.Select(l => Lane(l, pattern.Shape)))})",
        ResultKind.RefNull => pattern.Heap is { } heap ? $"(ref.null {heap})" : "(ref.null)",
        ResultKind.RefExtern or ResultKind.RefHost when pattern.HostIndex is { } n =>
            $"({(pattern.Kind == ResultKind.RefExtern ? "ref.extern" : "ref.host")} {n})",
        ResultKind.Either => "(either " + string.Join(" ", pattern.Alternatives.Select(Pattern)) + ")",
        _ => $"(ref.{pattern.Kind.ToString()[3..].ToLowerInvariant()})",
    };

    /// <summary>A script constant (an argument or an exact expected value).</summary>
    public static string Value(ScriptValue value) => value.Kind switch
    {
        ScriptValueKind.I32 => $"(i32.const {Int32((uint)value.Bits)})",
        ScriptValueKind.I64 => $"(i64.const {Int64(value.Bits)})",
        ScriptValueKind.F32 => $"(f32.const {Float32((uint)value.Bits)})",
        ScriptValueKind.F64 => $"(f64.const {Float64(value.Bits)})",
        ScriptValueKind.V128 => V128(value.Bits, value.Bits2, V128Shape.I32x4),
        ScriptValueKind.RefNull => $"(ref.null {value.Heap})",
        ScriptValueKind.RefExtern => $"(ref.extern {value.Bits})",
        _ => $"(ref.host {value.Bits})",
    };

    private static string Int32(uint bits) => ((int)bits).ToString(CultureInfo.InvariantCulture);

    private static string Int64(ulong bits) => ((long)bits).ToString(CultureInfo.InvariantCulture);

    // Floats print as the shortest round-tripping decimal, except NaNs, which print their payload: a report that said
    // only "nan" could not explain why a canonical-NaN pattern failed.
    private static string Float32(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value)) return $"{((bits >> 31) != 0 ? "-" : "")}nan:0x{bits & 0x7F_FFFF:x}";
        return float.IsInfinity(value) ? (value < 0 ? "-inf" : "inf") : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Float64(ulong bits)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);
        if (double.IsNaN(value)) return $"{((bits >> 63) != 0 ? "-" : "")}nan:0x{bits & 0xF_FFFF_FFFF_FFFF:x}";
        return double.IsInfinity(value) ? (value < 0 ? "-inf" : "inf") : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string V128(ulong low, ulong high, V128Shape shape)
    {
        var text = new StringBuilder("(v128.const ").Append(Shape(shape));
        for (int i = 0; i < ResultMatcher.LaneCount(shape); i++)
        {
            text.Append(' ').Append(Lane(new LanePattern(ResultMatcher.Lane(low, high, shape, i), NanPattern.None), shape));
        }
        return text.Append(')').ToString();
    }

    private static V128Shape? ShapeOf(ResultPattern pattern) => pattern.Kind switch
    {
        ResultKind.V128Lanes => pattern.Shape,
        ResultKind.Either => pattern.Alternatives.Select(ShapeOf).FirstOrDefault(s => s is not null),
        _ => null,
    };

    private static string Lane(LanePattern lane, V128Shape shape) => lane.Nan != NanPattern.None
        ? Nan(lane.Nan)
        : shape switch
        {
            V128Shape.F32x4 => Float32((uint)lane.Bits),
            V128Shape.F64x2 => Float64(lane.Bits),
            V128Shape.I64x2 => Int64(lane.Bits),
            V128Shape.I32x4 => Int32((uint)lane.Bits),
            V128Shape.I16x8 => ((short)lane.Bits).ToString(CultureInfo.InvariantCulture),
            _ => ((sbyte)lane.Bits).ToString(CultureInfo.InvariantCulture),
        };

    private static string Shape(V128Shape shape) => shape.ToString().ToLowerInvariant();

    private static string Nan(NanPattern nan) => nan == NanPattern.Canonical ? "nan:canonical" : "nan:arithmetic";
}
