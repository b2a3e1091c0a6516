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
