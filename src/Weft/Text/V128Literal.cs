namespace Weft.Text;

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
