using System.Globalization;

namespace Weft.Text;

/// <summary>
/// Converts number tokens of the text format into values (spec 6.3.1–6.3.2). Every method takes the token's bytes,
/// checks the syntax itself (a float token may be handed to an integer parser, which then fails) and reports failure
/// with <c>false</c>, so the caller chooses the error message the reference parser would give at that place.
/// </summary>
internal static class NumberParser
{
    /// <summary>
    /// Parses an integer literal (optional sign, decimal or hex, underscores between digits) of an N-bit integer type.
    /// As in the reference interpreter the value must lie in [-2^(N-1), 2^N - 1]; the result is its N-bit two's
    /// complement pattern, zero-extended.
    /// </summary>
    public static bool TryParseInt(ReadOnlySpan<byte> text, int bits, out ulong value)
    {
        value = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (!TryParseMagnitude(text, out ulong magnitude)) return false;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if (negative)
        {
            ulong limit = 1UL << (bits - 1);
            if (magnitude > limit) return false;
            value = (0UL - magnitude) & mask;
        }
        else
        {
            if (magnitude > mask) return false;
            value = magnitude;
        }
        return true;
    }

    /// <summary>Parses an unsigned integer literal (no sign) below 2^N.</summary>
    public static bool TryParseNat(ReadOnlySpan<byte> text, int bits, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text[0] == '+' || text[0] == '-') return false;
        if (!TryParseMagnitude(text, out ulong magnitude)) return false;
        if (bits < 64 && magnitude >= 1UL << bits) return false;
        value = magnitude;
        return true;
    }

    // Decimal or 0x-hex digits with single underscores between digits, no sign; fails on overflow of 64 bits.
    private static bool TryParseMagnitude(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        bool hex = text.Length > 2 && text[0] == '0' && text[1] == 'x';
        if (hex) text = text[2..];
        if (text.Length == 0) return false;
        bool lastWasDigit = false;
        foreach (byte c in text)
        {
            if (c == '_')
            {
                if (!lastWasDigit) return false;
                lastWasDigit = false;
                continue;
            }
            int digit = DigitValue(c, hex);
            if (digit < 0) return false;
            if (hex)
            {
                if (value > ulong.MaxValue >> 4) return false;
                value = (value << 4) | (uint)digit;
            }
            else
            {
                if (value > (ulong.MaxValue - (uint)digit) / 10) return false;
                value = value * 10 + (uint)digit;
            }
            lastWasDigit = true;
        }
        return lastWasDigit;
    }

    private static int DigitValue(byte c, bool hex)
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (!hex) return -1;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /// <summary>Parses a float literal into f32 bits. Values that round to infinity are out of range.</summary>
    public static bool TryParseF32(ReadOnlySpan<byte> text, out uint bits)
    {
        bool ok = TryParseFloat(text, Binary32, out ulong b);
        bits = (uint)b;
        return ok;
    }

    /// <summary>Parses a float literal into f64 bits. Values that round to infinity are out of range.</summary>
    public static bool TryParseF64(ReadOnlySpan<byte> text, out ulong bits) => TryParseFloat(text, Binary64, out bits);

    /// <summary>The parameters of an IEEE 754 binary format.</summary>
    private readonly record struct FloatFormat(int MantissaBits, int ExponentBits)
    {
        public int Width => 1 + ExponentBits + MantissaBits;
        public int Bias => (1 << (ExponentBits - 1)) - 1;
        public int MinExponent => 1 - Bias;
        public int MaxExponent => Bias;
        public ulong ExponentMask => ((1UL << ExponentBits) - 1) << MantissaBits;
        public ulong MantissaMask => (1UL << MantissaBits) - 1;
        public ulong SignBit => 1UL << (Width - 1);
    }

    private static readonly FloatFormat Binary32 = new(23, 8);
    private static readonly FloatFormat Binary64 = new(52, 11);

    private static bool TryParseFloat(ReadOnlySpan<byte> text, FloatFormat format, out ulong bits)
    {
        bits = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '+' || text[0] == '-'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        ulong magnitude;
        if (text.SequenceEqual("inf"u8))
        {
            magnitude = format.ExponentMask;
        }
        else if (text.SequenceEqual("nan"u8))
        {
            // The canonical NaN: only the most significant mantissa bit set.
            magnitude = format.ExponentMask | (1UL << (format.MantissaBits - 1));
        }
        else if (text.StartsWith("nan:0x"u8))
        {
            if (!TryParseMagnitude(text[4..], out ulong payload)) return false;
            if (payload == 0 || payload > format.MantissaMask) return false;
            magnitude = format.ExponentMask | payload;
        }
        else if (text.Length > 2 && text[0] == '0' && text[1] == 'x')
        {
            if (!TryParseHexFloat(text[2..], format, out magnitude)) return false;
        }
        else
        {
            if (!TryParseDecimalFloat(text, format, out magnitude)) return false;
        }
        bits = negative ? magnitude | format.SignBit : magnitude;
        return true;
    }

    // Decimal floats: .NET's parsers round correctly to the nearest value of the target width (IEEE 754-2008
    // compliant since .NET Core 3.0), so only syntax and overflow are ours to check.
    private static bool TryParseDecimalFloat(ReadOnlySpan<byte> text, FloatFormat format, out ulong bits)
    {
        bits = 0;
        if (!IsDecimalFloatSyntax(text)) return false;
        Span<char> chars = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        int n = 0;
        foreach (byte c in text)
        {
            if (c != '_') chars[n++] = (char)c;
        }
        var digits = chars[..n];
        const NumberStyles style = NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (format.MantissaBits == 23)
        {
            if (!float.TryParse(digits, style, CultureInfo.InvariantCulture, out float f) || float.IsInfinity(f)) return false;
            bits = BitConverter.SingleToUInt32Bits(f);
        }
        else
        {
            if (!double.TryParse(digits, style, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d)) return false;
            bits = BitConverter.DoubleToUInt64Bits(d);
        }
        return true;
    }

    // num ('.' num?)? (('e'|'E') sign? num)? with single underscores between digits.
    private static bool IsDecimalFloatSyntax(ReadOnlySpan<byte> text)
    {
        int i = DigitRun(text, 0, hex: false);
        if (i == 0) return false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i < text.Length && IsDigit(text[i], hex: false)) i = DigitRun(text, i, hex: false);
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            int start = i;
            i = DigitRun(text, i, hex: false);
            if (i == start) return false;
        }
        return i == text.Length;
    }

    // The end of a run of digits with single underscores between them starting at `start`, or `start` if none.
    private static int DigitRun(ReadOnlySpan<byte> text, int start, bool hex)
    {
        int i = start;
        if (i >= text.Length || !IsDigit(text[i], hex)) return start;
        i++;
        while (i < text.Length)
        {
            if (IsDigit(text[i], hex))
            {
                i++;
            }
            else if (text[i] == '_' && i + 1 < text.Length && IsDigit(text[i + 1], hex))
            {
                i += 2;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    private static bool IsDigit(byte c, bool hex) => DigitValue(c, hex) >= 0;

    /// <summary>
    /// Hex floats (after <c>0x</c>): hexnum ('.' hexnum?)? (('p'|'P') sign? num)?, rounded to nearest, ties to even,
    /// with gradual underflow; a result that rounds beyond the largest finite value is out of range.
    /// </summary>
    private static bool TryParseHexFloat(ReadOnlySpan<byte> text, FloatFormat format, out ulong bits)
    {
        bits = 0;
        int intEnd = DigitRun(text, 0, hex: true);
        if (intEnd == 0) return false;
        int i = intEnd;
        int fracStart = -1, fracEnd = -1;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fracStart = i;
            if (i < text.Length && IsDigit(text[i], hex: true)) i = DigitRun(text, i, hex: true);
            fracEnd = i;
        }
        long exponent = 0;
        if (i < text.Length && (text[i] == 'p' || text[i] == 'P'))
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }
            int start = i;
            i = DigitRun(text, i, hex: false);
            if (i == start) return false;
            foreach (byte c in text[start..i])
            {
                // Saturate: beyond this any nonzero mantissa overflows or underflows anyway.
                if (c != '_') exponent = Math.Min(exponent * 10 + (c - '0'), 1L << 40);
            }
            if (negativeExponent) exponent = -exponent;
        }
        if (i != text.Length) return false;

        // Accumulate up to 60 significant bits of mantissa; later nonzero digits only set the sticky bit.
        ulong mantissa = 0;
        bool sticky = false;
        long scale = 0; // the value is mantissa * 2^(scale + exponent)
        void Digit(int d, bool fractional)
        {
            if (mantissa >> 56 == 0)
            {
                mantissa = (mantissa << 4) | (uint)d;
                if (fractional) scale -= 4;
            }
            else
            {
                if (d != 0) sticky = true;
                if (!fractional) scale += 4;
            }
        }
        foreach (byte c in text[..intEnd])
        {
            if (c != '_') Digit(DigitValue(c, hex: true), fractional: false);
        }
        if (fracStart >= 0)
        {
            foreach (byte c in text[fracStart..fracEnd])
            {
                if (c != '_') Digit(DigitValue(c, hex: true), fractional: true);
            }
        }
        if (mantissa == 0)
        {
            bits = 0;
            return true;
        }
        bits = RoundToFormat(mantissa, sticky, scale + exponent, format, out bool overflow);
        return !overflow;
    }

    /// <summary>Rounds mantissa * 2^exponent (plus a sticky fraction below the mantissa) to the nearest float.</summary>
    private static ulong RoundToFormat(ulong mantissa, bool sticky, long exponent, FloatFormat format, out bool overflow)
    {
        overflow = false;
        // Normalize so the leading one is at bit 62, leaving room for a carry out of rounding.
        int lead = 63 - System.Numerics.BitOperations.LeadingZeroCount(mantissa);
        mantissa <<= 62 - lead;
        exponent -= 62 - lead;
        long e = exponent + 62; // the value lies in [2^e, 2^(e+1))
        if (e > format.MaxExponent)
        {
            overflow = true;
            return 0;
        }
        // Number of low bits to discard: keep MantissaBits + 1 significant bits for normals, fewer for subnormals.
        long shift = 62 - format.MantissaBits;
        if (e < format.MinExponent) shift += format.MinExponent - e;
        ulong kept;
        if (shift >= 64)
        {
            // Everything is below half the smallest subnormal (the leading one is at bit 62 < shift - 1).
            kept = 0;
        }
        else
        {
            kept = mantissa >> (int)shift;
            ulong rest = mantissa & ((1UL << (int)shift) - 1);
            ulong half = 1UL << ((int)shift - 1);
            bool roundUp = rest > half || (rest == half && (sticky || (kept & 1) != 0));
            if (roundUp) kept++;
        }
        // kept now holds the significand including the implicit bit (for normals). Rebuild the fields.
        if (e < format.MinExponent)
        {
            // Subnormal, unless rounding carried into the implicit bit, which the encoding below handles naturally:
            // a significand of 2^MantissaBits in the subnormal field is exactly the smallest normal.
            return kept;
        }
        if (kept >> (format.MantissaBits + 1) != 0)
        {
            kept >>= 1;
            e++;
        }
        if (e > format.MaxExponent)
        {
            overflow = true;
            return 0;
        }
        ulong biased = (ulong)(e + format.Bias);
        return (biased << format.MantissaBits) | (kept & format.MantissaMask);
    }
}
