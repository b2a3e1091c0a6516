namespace Weft.Text;

/// <summary>The lane shape of a v128 literal: lane width and whether lanes are floats.</summary>
/// <param name="Bits">The lane width: 8, 16, 32 or 64.</param>
/// <param name="IsFloat">Whether the lanes are f32 or f64.</param>
internal readonly record struct LaneShape(int Bits, bool IsFloat)
{
    /// <summary>The number of lanes.</summary>
    public int Count => 128 / Bits;

    /// <summary>The shape named by a keyword (<c>i8x16</c> ... <c>f64x2</c>), if it is one.</summary>
    public static bool TryParse(string keyword, out LaneShape shape)
    {
        switch (keyword)
        {
            case "i8x16": shape = new(8, false); return true;
            case "i16x8": shape = new(16, false); return true;
            case "i32x4": shape = new(32, false); return true;
            case "i64x2": shape = new(64, false); return true;
            case "f32x4": shape = new(32, true); return true;
            case "f64x2": shape = new(64, true); return true;
            default: shape = default; return false;
        }
    }
}

/// <summary>The lanes of a <c>v128.const</c>: counts and per-lane parsing, shared by modules and scripts.</summary>
internal static class V128Literal
{
    /// <summary>Parses one lane into its bits (zero-extended to 64); fails with "constant out of range".</summary>
    public static ulong ParseLane(TokenCursor cursor, LaneShape shape, Token token)
    {
        var text = cursor.Lexer.SpanOf(token);
        ulong bits;
        bool ok;
        if (shape.IsFloat && shape.Bits == 32)
        {
            ok = NumberParser.TryParseF32(text, out uint f32);
            bits = f32;
        }
        else if (shape.IsFloat)
        {
            ok = NumberParser.TryParseF64(text, out bits);
        }
        else
        {
            ok = NumberParser.TryParseInt(text, shape.Bits, out bits);
        }
        if (!ok) cursor.Fail("constant out of range", token);
        return bits;
    }

    /// <summary>Parses all lanes (the count is checked first) into the low and high halves of the vector.</summary>
    public static (ulong Lo, ulong Hi) Parse(TokenCursor cursor, LaneShape shape, IReadOnlyList<Token> lanes, Token at)
    {
        if (lanes.Count != shape.Count) cursor.Fail("wrong number of lane literals", at);
        ulong lo = 0, hi = 0;
        for (int i = 0; i < shape.Count; i++)
        {
            ulong lane = ParseLane(cursor, shape, lanes[i]);
            int bit = i * shape.Bits;
            if (bit < 64) lo |= lane << bit;
            else hi |= lane << (bit - 64);
        }
        return (lo, hi);
    }
}
