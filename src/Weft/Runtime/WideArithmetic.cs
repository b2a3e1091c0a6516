namespace Weft.Runtime;

/// <summary>
/// The wide-arithmetic proposal's instructions. A 128-bit value travels as two i64 (low, high); each helper returns
/// the low half and hands back the high half through its <c>out</c> parameter, so that compiled code keeps both on
/// its stack with one temporary.
/// </summary>
internal static class WideArithmetic
{
    /// <summary>i64.add128: (lhsLow, lhsHigh) + (rhsLow, rhsHigh) modulo 2^128.</summary>
    public static long Add128(long lhsLow, long lhsHigh, long rhsLow, long rhsHigh, out long high)
    {
        var sum = new UInt128((ulong)lhsHigh, (ulong)lhsLow) + new UInt128((ulong)rhsHigh, (ulong)rhsLow);
        high = (long)(ulong)(sum >> 64);
        return (long)(ulong)sum;
    }

    /// <summary>i64.sub128: (lhsLow, lhsHigh) - (rhsLow, rhsHigh) modulo 2^128.</summary>
    public static long Sub128(long lhsLow, long lhsHigh, long rhsLow, long rhsHigh, out long high)
    {
        var difference = new UInt128((ulong)lhsHigh, (ulong)lhsLow) - new UInt128((ulong)rhsHigh, (ulong)rhsLow);
        high = (long)(ulong)(difference >> 64);
        return (long)(ulong)difference;
    }

    /// <summary>i64.mul_wide_s: the full signed 128-bit product.</summary>
    public static long MulWideS(long lhs, long rhs, out long high)
    {
        high = Math.BigMul(lhs, rhs, out long low);
        return low;
    }

    /// <summary>i64.mul_wide_u: the full unsigned 128-bit product.</summary>
    public static long MulWideU(long lhs, long rhs, out long high)
    {
        high = (long)Math.BigMul((ulong)lhs, (ulong)rhs, out ulong low);
        return (long)low;
    }
}
