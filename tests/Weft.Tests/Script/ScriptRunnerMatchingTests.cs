using Weft.Script;
using Weft.Syntax;

namespace Weft.Tests.Script;

/// <summary>Result patterns against plain values: exact bits, NaN patterns, v128 lanes, either, references.</summary>
public class ScriptRunnerMatchingTests
{
    private static ResultPattern Exact(ScriptValueKind kind, ulong bits, ulong bits2 = 0) =>
        new(ResultKind.Value) { Value = new ScriptValue(kind, bits, bits2) };

    private static ResultPattern Nan(ResultKind kind, NanPattern nan) => new(kind) { Nan = nan };

    private static ResultPattern Lanes(V128Shape shape, params LanePattern[] lanes) => new(ResultKind.V128Lanes) { Shape = shape, Lanes = lanes };

    private static LanePattern L(ulong bits) => new(bits, NanPattern.None);

    private static bool Match(ActualValue value, ResultPattern pattern) => ResultMatcher.Matches(value, pattern);

    [Theory]
    [InlineData(0x7FC0_0000u, true)] // the canonical NaN
    [InlineData(0xFFC0_0000u, true)] // either sign
    [InlineData(0x7FC0_0001u, false)] // payload beyond the quiet bit
    [InlineData(0x7FA0_0000u, false)] // signalling
    [InlineData(0x7F80_0000u, false)] // infinity
    [InlineData(0x3F80_0000u, false)] // 1.0
    public void CanonicalNanF32(uint bits, bool matches)
    {
        Assert.Equal(matches, Match(ActualValue.F32Bits(bits), Nan(ResultKind.F32Nan, NanPattern.Canonical)));
        Assert.Equal(matches, ResultMatcher.IsNan32(bits, NanPattern.Canonical));
    }

    [Theory]
    [InlineData(0x7FC0_0000u, true)]
    [InlineData(0xFFC0_0001u, true)] // any payload with the quiet bit
    [InlineData(0x7FFF_FFFFu, true)]
    [InlineData(0x7FA0_0000u, false)] // quiet bit clear
    [InlineData(0x7F80_0001u, false)]
    [InlineData(0x0000_0000u, false)]
    public void ArithmeticNanF32(uint bits, bool matches) =>
        Assert.Equal(matches, Match(ActualValue.F32Bits(bits), Nan(ResultKind.F32Nan, NanPattern.Arithmetic)));

    [Theory]
    [InlineData(0x7FF8_0000_0000_0000ul, true, true)]
    [InlineData(0xFFF8_0000_0000_0000ul, true, true)]
    [InlineData(0x7FF8_0000_0000_0001ul, false, true)]
    [InlineData(0x7FF4_0000_0000_0000ul, false, false)] // signalling
    [InlineData(0x7FF0_0000_0000_0000ul, false, false)] // infinity
    [InlineData(0x7FC0_0000_0000_0000ul, false, false)] // an f32 NaN's bits are no f64 NaN
    public void NanPatternsF64(ulong bits, bool canonical, bool arithmetic)
    {
        Assert.Equal(canonical, Match(ActualValue.F64Bits(bits), Nan(ResultKind.F64Nan, NanPattern.Canonical)));
        Assert.Equal(arithmetic, Match(ActualValue.F64Bits(bits), Nan(ResultKind.F64Nan, NanPattern.Arithmetic)));
    }

    [Fact]
    public void NanPatternsRequireTheirType()
    {
        Assert.False(Match(ActualValue.F64Bits(0x7FF8_0000_0000_0000), Nan(ResultKind.F32Nan, NanPattern.Canonical)));
        Assert.False(Match(ActualValue.I32(0x7FC0_0000), Nan(ResultKind.F32Nan, NanPattern.Arithmetic)));
    }

    [Fact]
    public void NumbersCompareBitForBitAndByType()
    {
        Assert.True(Match(ActualValue.I32(-1), Exact(ScriptValueKind.I32, 0xFFFF_FFFF)));
        Assert.False(Match(ActualValue.I64(-1), Exact(ScriptValueKind.I32, 0xFFFF_FFFF)));
        Assert.True(Match(ActualValue.I64(-1), Exact(ScriptValueKind.I64, ulong.MaxValue)));
        Assert.False(Match(ActualValue.F32(0f), Exact(ScriptValueKind.F32, 0x8000_0000))); // 0 is not -0
        Assert.True(Match(ActualValue.F32Bits(0x7FA0_0001), Exact(ScriptValueKind.F32, 0x7FA0_0001))); // an exact NaN payload
        Assert.False(Match(ActualValue.F32Bits(0x7FC0_0000), Exact(ScriptValueKind.F32, 0x7FA0_0001)));
        Assert.True(Match(ActualValue.F64(-0.0), Exact(ScriptValueKind.F64, 0x8000_0000_0000_0000)));
        Assert.False(Match(ActualValue.F64(1.0), Exact(ScriptValueKind.F32, 0x3F80_0000)));
        Assert.True(Match(ActualValue.V128(1, 2), Exact(ScriptValueKind.V128, 1, 2)));
        Assert.False(Match(ActualValue.V128(1, 2), Exact(ScriptValueKind.V128, 1, 3)));
    }

    [Fact]
    public void V128LanesCompareEachLaneInItsShape()
    {
        // i8x16 lanes 0..15 = 0x00, 0xFF, 0x02, ... ; the pattern may hold -1 sign-extended or 255.
        ulong low = 0x0706_0504_0302_FF00, high = 0x0F0E_0D0C_0B0A_0908;
        var lanes = Enumerable.Range(0, 16).Select(i => L((ulong)i)).ToArray();
        lanes[1] = L(ulong.MaxValue);
        Assert.True(Match(ActualValue.V128(low, high), Lanes(V128Shape.I8x16, lanes)));
        lanes[1] = L(255);
        Assert.True(Match(ActualValue.V128(low, high), Lanes(V128Shape.I8x16, lanes)));
        lanes[15] = L(14);
        Assert.False(Match(ActualValue.V128(low, high), Lanes(V128Shape.I8x16, lanes)));

        Assert.True(Match(ActualValue.V128(0x0003_0002_0001_0000, 0x0007_0006_0005_0004),
            Lanes(V128Shape.I16x8, L(0), L(1), L(2), L(3), L(4), L(5), L(6), L(7))));
        Assert.True(Match(ActualValue.V128(0x0000_0002_0000_0001, 0xFFFF_FFFF_0000_0003),
            Lanes(V128Shape.I32x4, L(1), L(2), L(3), L(0xFFFF_FFFF))));
        Assert.True(Match(ActualValue.V128(5, 6), Lanes(V128Shape.I64x2, L(5), L(6))));
        Assert.False(Match(ActualValue.V128(5, 6), Lanes(V128Shape.I64x2, L(5)))); // wrong lane count
        Assert.False(Match(ActualValue.I64(5), Lanes(V128Shape.I64x2, L(5), L(0))));
    }

    [Fact]
    public void V128FloatLanesTakeNanPatternsPerLane()
    {
        // f32x4: canonical NaN, -canonical NaN, arithmetic NaN with payload, 1.0
        var value = ActualValue.V128(0xFFC0_0000_7FC0_0000, 0x3F80_0000_7FC0_0001);
        var pattern = Lanes(V128Shape.F32x4,
            new LanePattern(0, NanPattern.Canonical), new LanePattern(0, NanPattern.Canonical),
            new LanePattern(0, NanPattern.Arithmetic), L(0x3F80_0000));
        Assert.True(Match(value, pattern));

        var strict = Lanes(V128Shape.F32x4,
            new LanePattern(0, NanPattern.Canonical), new LanePattern(0, NanPattern.Canonical),
            new LanePattern(0, NanPattern.Canonical), L(0x3F80_0000));
        Assert.False(Match(value, strict)); // lane 2 has a payload

        var f64 = ActualValue.V128(0x7FF8_0000_0000_0000, 0x4000_0000_0000_0000);
        Assert.True(Match(f64, Lanes(V128Shape.F64x2, new LanePattern(0, NanPattern.Canonical), L(0x4000_0000_0000_0000))));
        Assert.False(Match(f64, Lanes(V128Shape.F64x2, new LanePattern(0, NanPattern.Canonical), new LanePattern(0, NanPattern.Arithmetic))));
        // A NaN pattern in an integer lane matches nothing.
        Assert.False(Match(f64, Lanes(V128Shape.I64x2, new LanePattern(0, NanPattern.Arithmetic), L(0x4000_0000_0000_0000))));
    }

    [Fact]
    public void EitherMatchesAnyAlternative()
    {
        var either = new ResultPattern(ResultKind.Either)
        {
            Alternatives = [Exact(ScriptValueKind.I32, 1), Exact(ScriptValueKind.I32, 2), Lanes(V128Shape.I64x2, L(1), L(2))],
        };
        Assert.True(Match(ActualValue.I32(1), either));
        Assert.True(Match(ActualValue.I32(2), either));
        Assert.True(Match(ActualValue.V128(1, 2), either));
        Assert.False(Match(ActualValue.I32(3), either));
        Assert.True(ResultMatcher.Matches([ActualValue.I32(2), ActualValue.I32(7)], [either, Exact(ScriptValueKind.I32, 7)]));
    }

    [Fact]
    public void ReferencePatterns()
    {
        var nullValue = ActualValue.Null;
        var func = ActualValue.Reference(RefCategory.Func);
        var i31 = ActualValue.Reference(RefCategory.I31);
        var structure = ActualValue.Reference(RefCategory.Struct);
        var array = ActualValue.Reference(RefCategory.Array);
        var exn = ActualValue.Reference(RefCategory.Exn);

        Assert.True(Match(nullValue, new ResultPattern(ResultKind.RefNull) { Heap = HeapType.Func })); // any null, whatever its type
        Assert.False(Match(func, new ResultPattern(ResultKind.RefNull)));
        Assert.True(Match(nullValue, Exact(ScriptValueKind.RefNull, 0)));

        Assert.True(Match(func, new ResultPattern(ResultKind.RefFunc)));
        Assert.False(Match(nullValue, new ResultPattern(ResultKind.RefFunc)));
        Assert.True(Match(structure, new ResultPattern(ResultKind.RefStruct)));
        Assert.False(Match(array, new ResultPattern(ResultKind.RefStruct)));
        Assert.True(Match(array, new ResultPattern(ResultKind.RefArray)));
        Assert.True(Match(i31, new ResultPattern(ResultKind.RefI31)));
        Assert.True(Match(exn, new ResultPattern(ResultKind.RefExn)));
        Assert.False(Match(func, new ResultPattern(ResultKind.RefExn)));

        Assert.All([i31, structure, array], v => Assert.True(Match(v, new ResultPattern(ResultKind.RefEq))));
        Assert.All([func, ActualValue.Host(1), nullValue], v => Assert.False(Match(v, new ResultPattern(ResultKind.RefEq))));

        // As in the reference runner: (ref.any) takes anything but a function, (ref.extern) without a number anything.
        Assert.True(Match(ActualValue.Host(1), new ResultPattern(ResultKind.RefAny)));
        Assert.False(Match(func, new ResultPattern(ResultKind.RefAny)));
        Assert.True(Match(ActualValue.Extern(null), new ResultPattern(ResultKind.RefExtern)));
        Assert.True(Match(nullValue, new ResultPattern(ResultKind.RefExtern)));
        Assert.False(Match(ActualValue.I32(0), new ResultPattern(ResultKind.RefExtern)));
    }

    [Fact]
    public void HostValuesCompareByNumberAndHierarchy()
    {
        var extern1 = new ResultPattern(ResultKind.RefExtern) { HostIndex = 1 };
        Assert.True(Match(ActualValue.Extern(1), extern1));
        Assert.False(Match(ActualValue.Extern(2), extern1));
        Assert.False(Match(ActualValue.Host(1), extern1)); // an internalized host value is no externref
        Assert.False(Match(ActualValue.Extern(null), extern1));
        Assert.True(Match(ActualValue.Extern(1), Exact(ScriptValueKind.RefExtern, 1)));

        var host1 = new ResultPattern(ResultKind.RefHost) { HostIndex = 1 };
        Assert.True(Match(ActualValue.Host(1), host1));
        Assert.False(Match(ActualValue.Extern(1), host1));
        Assert.True(Match(ActualValue.Host(3), Exact(ScriptValueKind.RefHost, 3)));
    }

    [Fact]
    public void FailureTextShowsValuesInThePatternsShape()
    {
        var pattern = Lanes(V128Shape.F32x4, new LanePattern(0, NanPattern.Canonical), L(0x3F80_0000), L(0), L(0x8000_0000));
        Assert.Equal("(v128.const f32x4 nan:canonical 1 0 -0)", ScriptFormat.Pattern(pattern));
        Assert.Equal("(v128.const f32x4 nan:0x400001 1 0 -0)",
            ScriptFormat.Values([ActualValue.V128(0x3F80_0000_7FC0_0001, 0x8000_0000_0000_0000)], [pattern]));
        Assert.Equal("(f64.const -nan:0x8000000000000)", ScriptFormat.Value(ActualValue.F64Bits(0xFFF8_0000_0000_0000)));
        Assert.Equal("(f32.const -inf)", ScriptFormat.Value(ActualValue.F32(float.NegativeInfinity)));
        Assert.Equal("[]", ScriptFormat.Values([]));
        Assert.Equal("(ref.extern 4)", ScriptFormat.Value(ActualValue.Extern(4)));
        Assert.Equal("(ref.struct)", ScriptFormat.Pattern(new ResultPattern(ResultKind.RefStruct)));
        Assert.Equal("(either (i32.const 1) (f32.const nan:arithmetic))", ScriptFormat.Pattern(new ResultPattern(ResultKind.Either)
        {
            Alternatives = [Exact(ScriptValueKind.I32, 1), Nan(ResultKind.F32Nan, NanPattern.Arithmetic)],
        }));
    }
}
