using Weft.Syntax;

namespace Weft.Script;

/// <summary>
/// Checks actual values against <c>assert_return</c> result patterns with the reference interpreter's rules
/// (interpreter/script/run.ml, <c>assert_result</c>): numbers bit for bit, NaN patterns, v128 lane by lane,
/// reference patterns by category, and <c>either</c> as "any alternative matches".
/// </summary>
internal static class ResultMatcher
{
    private const uint F32Quiet = 0x7FC0_0000;
    private const uint F32SignMask = 0x7FFF_FFFF;
    private const ulong F64Quiet = 0x7FF8_0000_0000_0000;
    private const ulong F64SignMask = 0x7FFF_FFFF_FFFF_FFFF;

    /// <summary>Whether the values match the patterns one for one (same count).</summary>
    public static bool Matches(IReadOnlyList<ActualValue> actual, IReadOnlyList<ResultPattern> expected)
    {
        if (actual.Count != expected.Count) return false;
        for (int i = 0; i < actual.Count; i++)
        {
            if (!Matches(actual[i], expected[i])) return false;
        }
        return true;
    }

    /// <summary>Whether one value matches one pattern.</summary>
    public static bool Matches(ActualValue actual, ResultPattern pattern) => pattern.Kind switch
    {
        ResultKind.Value => MatchesValue(actual, pattern.Value),
        ResultKind.F32Nan => actual.Kind == ActualKind.F32 && IsNan32((uint)actual.Bits, pattern.Nan),
        ResultKind.F64Nan => actual.Kind == ActualKind.F64 && IsNan64(actual.Bits, pattern.Nan),
        ResultKind.V128Lanes => actual.Kind == ActualKind.V128 && MatchesLanes(actual, pattern.Shape, pattern.Lanes),
        ResultKind.Either => pattern.Alternatives.Any(alternative => Matches(actual, alternative)),
        _ => actual.Kind == ActualKind.Ref && MatchesReference(actual, pattern),
    };

    /// <summary>
    /// <c>nan:canonical</c>: the quiet bit set and the rest of the payload zero, either sign.
    /// <c>nan:arithmetic</c>: the quiet bit set, any payload, either sign.
    /// </summary>
    public static bool IsNan32(uint bits, NanPattern pattern) => pattern switch
    {
        NanPattern.Canonical => (bits & F32SignMask) == F32Quiet,
        NanPattern.Arithmetic => (bits & F32Quiet) == F32Quiet,
        _ => false,
    };

    /// <summary>The f64 counterpart of <see cref="IsNan32"/>.</summary>
    public static bool IsNan64(ulong bits, NanPattern pattern) => pattern switch
    {
        NanPattern.Canonical => (bits & F64SignMask) == F64Quiet,
        NanPattern.Arithmetic => (bits & F64Quiet) == F64Quiet,
        _ => false,
    };

    /// <summary>The number of lanes of a shape.</summary>
    public static int LaneCount(V128Shape shape) => 16 / LaneBytes(shape);

    /// <summary>The bits of lane <paramref name="index"/> of a v128 (lane 0 is the lowest), zero-extended.</summary>
    public static ulong Lane(ulong low, ulong high, V128Shape shape, int index)
    {
        int width = LaneBytes(shape) * 8;
        var whole = ((UInt128)high << 64) | low;
        return (ulong)(whole >> (index * width)) & LaneMask(shape);
    }

    private static bool MatchesValue(ActualValue actual, ScriptValue expected) => expected.Kind switch
    {
        ScriptValueKind.I32 => actual.Kind == ActualKind.I32 && (uint)actual.Bits == (uint)expected.Bits,
        ScriptValueKind.I64 => actual.Kind == ActualKind.I64 && actual.Bits == expected.Bits,
        ScriptValueKind.F32 => actual.Kind == ActualKind.F32 && (uint)actual.Bits == (uint)expected.Bits,
        ScriptValueKind.F64 => actual.Kind == ActualKind.F64 && actual.Bits == expected.Bits,
        ScriptValueKind.V128 => actual.Kind == ActualKind.V128 && actual.Bits == expected.Bits && actual.Bits2 == expected.Bits2,
        ScriptValueKind.RefNull => actual.Kind == ActualKind.Ref && actual.Ref == RefCategory.Null,
        ScriptValueKind.RefExtern => IsHostValue(actual, RefCategory.Extern, (uint)expected.Bits),
        ScriptValueKind.RefHost => IsHostValue(actual, RefCategory.Host, (uint)expected.Bits),
        _ => false,
    };

    private static bool MatchesLanes(ActualValue actual, V128Shape shape, IReadOnlyList<LanePattern> lanes)
    {
        if (lanes.Count != LaneCount(shape)) return false;
        for (int i = 0; i < lanes.Count; i++)
        {
            ulong bits = Lane(actual.Bits, actual.Bits2, shape, i);
            var lane = lanes[i];
            bool ok = lane.Nan == NanPattern.None
                ? bits == (lane.Bits & LaneMask(shape)) // the parser may sign-extend narrow lanes: compare the lane's bits only
                : shape switch
                {
                    V128Shape.F32x4 => IsNan32((uint)bits, lane.Nan),
                    V128Shape.F64x2 => IsNan64(bits, lane.Nan),
                    _ => false, // a NaN pattern in an integer lane matches nothing
                };
            if (!ok) return false;
        }
        return true;
    }

    // The reference's assert_ref_pat, including its leniencies: (ref.extern) without a number matches any reference,
    // null included, and (ref.any) matches anything but a function reference. Mirroring them keeps our verdicts equal
    // to the reference runner's.
    private static bool MatchesReference(ActualValue actual, ResultPattern pattern) => pattern.Kind switch
    {
        ResultKind.RefNull => actual.Ref == RefCategory.Null,
        ResultKind.RefFunc => actual.Ref == RefCategory.Func,
        ResultKind.RefExtern => pattern.HostIndex is { } n ? IsHostValue(actual, RefCategory.Extern, n) : true,
        ResultKind.RefHost => pattern.HostIndex is { } n ? IsHostValue(actual, RefCategory.Host, n) : actual.Ref == RefCategory.Host,
        ResultKind.RefStruct => actual.Ref == RefCategory.Struct,
        ResultKind.RefArray => actual.Ref == RefCategory.Array,
        ResultKind.RefI31 => actual.Ref == RefCategory.I31,
        ResultKind.RefEq => actual.Ref is RefCategory.I31 or RefCategory.Struct or RefCategory.Array,
        ResultKind.RefAny => actual.Ref != RefCategory.Func,
        ResultKind.RefExn => actual.Ref == RefCategory.Exn,
        _ => false,
    };

    private static bool IsHostValue(ActualValue actual, RefCategory category, uint index) =>
        actual.Kind == ActualKind.Ref && actual.Ref == category && actual.HostIndex == index;

    private static int LaneBytes(V128Shape shape) => shape switch
    {
        V128Shape.I8x16 => 1,
        V128Shape.I16x8 => 2,
        V128Shape.I32x4 or V128Shape.F32x4 => 4,
        _ => 8,
    };

    private static ulong LaneMask(V128Shape shape) => LaneBytes(shape) == 8 ? ulong.MaxValue : (1UL << (LaneBytes(shape) * 8)) - 1;
}
