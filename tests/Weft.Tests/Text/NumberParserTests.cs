using System.Text;
using Weft.Text;

namespace Weft.Tests.Text;

public class NumberParserTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Theory]
    [InlineData("0", 32, 0UL)]
    [InlineData("42", 32, 42UL)]
    [InlineData("+42", 32, 42UL)]
    [InlineData("-1", 32, 0xFFFF_FFFFUL)]
    [InlineData("4294967295", 32, 0xFFFF_FFFFUL)]
    [InlineData("0xffff_ffff", 32, 0xFFFF_FFFFUL)]
    [InlineData("-2147483648", 32, 0x8000_0000UL)]
    [InlineData("-0x8000_0000", 32, 0x8000_0000UL)]
    [InlineData("1_000_000", 32, 1_000_000UL)]
    [InlineData("0xFFFFFFFFFFFFFFFF", 64, ulong.MaxValue)]
    [InlineData("18446744073709551615", 64, ulong.MaxValue)]
    [InlineData("-9223372036854775808", 64, 0x8000_0000_0000_0000UL)]
    [InlineData("255", 8, 255UL)]
    [InlineData("-128", 8, 0x80UL)]
    [InlineData("-32768", 16, 0x8000UL)]
    [InlineData("65535", 16, 0xFFFFUL)]
    public void ParsesIntegers(string text, int bits, ulong expected)
    {
        Assert.True(NumberParser.TryParseInt(B(text), bits, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4294967296", 32)]
    [InlineData("0x1_0000_0000", 32)]
    [InlineData("-2147483649", 32)]
    [InlineData("-0x8000_0001", 32)]
    [InlineData("18446744073709551616", 64)]
    [InlineData("0x1_0000_0000_0000_0000", 64)]
    [InlineData("-9223372036854775809", 64)]
    [InlineData("256", 8)]
    [InlineData("-129", 8)]
    [InlineData("1.0", 32)]
    [InlineData("nan", 32)]
    [InlineData("0x1p3", 32)]
    [InlineData("", 32)]
    [InlineData("-", 32)]
    public void RejectsIntegersOutOfRangeOrNotIntegers(string text, int bits)
    {
        Assert.False(NumberParser.TryParseInt(B(text), bits, out _));
    }

    [Fact]
    public void NatRejectsSigns()
    {
        Assert.False(NumberParser.TryParseNat(B("+1"), 32, out _));
        Assert.False(NumberParser.TryParseNat(B("-1"), 32, out _));
        Assert.True(NumberParser.TryParseNat(B("4294967295"), 32, out ulong v));
        Assert.Equal(4294967295UL, v);
        Assert.False(NumberParser.TryParseNat(B("4294967296"), 32, out _));
        Assert.False(NumberParser.TryParseNat(B("256"), 8, out _));
    }

    [Theory]
    [InlineData("0", 0x0000_0000u)]
    [InlineData("-0", 0x8000_0000u)]
    [InlineData("+0.0", 0x0000_0000u)]
    [InlineData("-0.0", 0x8000_0000u)]
    [InlineData("1", 0x3F80_0000u)]
    [InlineData("1.", 0x3F80_0000u)]
    [InlineData("1.e1", 0x4120_0000u)]
    [InlineData("0x1", 0x3F80_0000u)]
    [InlineData("0x10", 0x4180_0000u)]
    [InlineData("0x1p3", 0x4100_0000u)]
    [InlineData("0x1.8p1", 0x4040_0000u)]
    [InlineData("0x1.P1", 0x4000_0000u)]
    [InlineData("1_000.000_1", 0x447A_0002u)]
    [InlineData("inf", 0x7F80_0000u)]
    [InlineData("-inf", 0xFF80_0000u)]
    [InlineData("nan", 0x7FC0_0000u)]
    [InlineData("-nan", 0xFFC0_0000u)]
    [InlineData("nan:0x1", 0x7F80_0001u)]
    [InlineData("nan:0x7f_ffff", 0x7FFF_FFFFu)]
    [InlineData("-nan:0x200000", 0xFFA0_0000u)]
    [InlineData("0x1p-149", 0x0000_0001u)]
    [InlineData("0x1p-150", 0x0000_0000u)]
    [InlineData("0x1.000001p-150", 0x0000_0001u)]
    [InlineData("0x1.8p-149", 0x0000_0002u)]
    [InlineData("0x1.fffffcp-127", 0x007F_FFFFu)] // the largest subnormal, exactly
    [InlineData("0x1.fffffep-127", 0x0080_0000u)] // rounds up into the smallest normal
    [InlineData("0x1p-126", 0x0080_0000u)]
    [InlineData("0x1.fffffep127", 0x7F7F_FFFFu)]
    [InlineData("0x1.fffffe7p127", 0x7F7F_FFFFu)]
    [InlineData("0x1.fffffefffffff8000000p127", 0x7F7F_FFFFu)]
    [InlineData("0x1.fffffefffffffffffffp127", 0x7F7F_FFFFu)]
    [InlineData("0x1.00000100000000000p-50", 0x2680_0000u)] // tie, round to even (down)
    [InlineData("0x1.00000100000000001p-50", 0x2680_0001u)] // just above the tie
    [InlineData("0x1.00000300000000000p-50", 0x2680_0002u)] // tie, round to even (up)
    [InlineData("0x0.00000000000000000000000001p0", 0x0B80_0000u)]
    [InlineData("0x1000000000000000000000000000000", 0x7B80_0000u)]
    [InlineData("1e38", 0x7E96_7699u)]
    [InlineData("3.4028234663852886e38", 0x7F7F_FFFFu)]
    [InlineData("1.4e-45", 0x0000_0001u)]
    [InlineData("7e-46", 0x0000_0000u)]
    [InlineData("1.00000005960464477539062499", 0x3F80_0000u)]
    [InlineData("1.000000059604644775390625", 0x3F80_0000u)] // tie, even is down
    [InlineData("1.00000005960464477539062501", 0x3F80_0001u)]
    [InlineData("0e99999999999999999999", 0x0000_0000u)]
    [InlineData("0x0p99999999999999999999", 0x0000_0000u)]
    public void ParsesF32(string text, uint expected)
    {
        Assert.True(NumberParser.TryParseF32(B(text), out uint bits), text);
        Assert.Equal(expected.ToString("X8"), bits.ToString("X8"));
    }

    [Theory]
    [InlineData("0x1p128")]
    [InlineData("-0x1p128")]
    [InlineData("0x1.ffffffp127")]
    [InlineData("1e39")]
    [InlineData("-1e39")]
    [InlineData("3.4028235677973367e38")]
    [InlineData("1e99999999999999999999")]
    [InlineData("0x1p99999999999999999999")]
    [InlineData("nan:0x0")]
    [InlineData("nan:0x80_0000")]
    [InlineData("nan:0x1_0000_0000_0000_0000")]
    [InlineData("1.0.0")]
    [InlineData("abc")]
    [InlineData("0x")]
    [InlineData("1e")]
    public void RejectsF32(string text)
    {
        Assert.False(NumberParser.TryParseF32(B(text), out _), text);
    }

    [Theory]
    [InlineData("0", 0x0000_0000_0000_0000UL)]
    [InlineData("-0", 0x8000_0000_0000_0000UL)]
    [InlineData("1", 0x3FF0_0000_0000_0000UL)]
    [InlineData("0x1p-1074", 0x0000_0000_0000_0001UL)]
    [InlineData("0x1p-1075", 0x0000_0000_0000_0000UL)]
    [InlineData("0x1.0000000000001p-1075", 0x0000_0000_0000_0001UL)]
    [InlineData("0x1.fffffffffffffp1023", 0x7FEF_FFFF_FFFF_FFFFUL)]
    [InlineData("0x1.fffffffffffff7ffffffp1023", 0x7FEF_FFFF_FFFF_FFFFUL)]
    [InlineData("0x1.000000000000080000000p0", 0x3FF0_0000_0000_0000UL)] // tie, down to even
    [InlineData("0x1.000000000000180000000p0", 0x3FF0_0000_0000_0002UL)] // tie, up to even
    [InlineData("0x1.000000000000080000001p0", 0x3FF0_0000_0000_0001UL)]
    [InlineData("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFFUL)]
    [InlineData("4.9e-324", 0x0000_0000_0000_0001UL)]
    [InlineData("2.4703282292062328e-324", 0x0000_0000_0000_0001UL)]
    [InlineData("2.4703282292062327e-324", 0x0000_0000_0000_0000UL)]
    [InlineData("nan", 0x7FF8_0000_0000_0000UL)]
    [InlineData("nan:0xf_ffff_ffff_ffff", 0x7FFF_FFFF_FFFF_FFFFUL)]
    [InlineData("-inf", 0xFFF0_0000_0000_0000UL)]
    [InlineData("0x1.921fb54442d18p+1", 0x4009_21FB_5444_2D18UL)]
    [InlineData("3.141592653589793", 0x4009_21FB_5444_2D18UL)]
    [InlineData("1_2_3.4_5e+0_1", 0x4093_4A00_0000_0000UL)]
    public void ParsesF64(string text, ulong expected)
    {
        Assert.True(NumberParser.TryParseF64(B(text), out ulong bits), text);
        Assert.Equal(expected.ToString("X16"), bits.ToString("X16"));
    }

    [Theory]
    [InlineData("0x1p1024")]
    [InlineData("0x1.fffffffffffff8p1023")]
    [InlineData("1e309")]
    [InlineData("nan:0x10_0000_0000_0000")]
    [InlineData("nan:0x0")]
    public void RejectsF64(string text)
    {
        Assert.False(NumberParser.TryParseF64(B(text), out _), text);
    }

    [Fact]
    public void LongDecimalMantissasRoundCorrectly()
    {
        // 2^-1074 * 1.5 written with many digits: ties must see every digit.
        string half = "0." + new string('0', 323) + "24703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125";
        Assert.True(NumberParser.TryParseF64(B(half), out ulong bits));
        Assert.Equal(0UL, bits); // exactly half of the smallest subnormal: ties to even (zero)
        Assert.True(NumberParser.TryParseF64(B(half + "1"), out bits));
        Assert.Equal(1UL, bits);
    }
}
