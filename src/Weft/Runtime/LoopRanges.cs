using System.Runtime.CompilerServices;
using Weft.Compilation;

namespace Weft.Runtime;

/// <summary>
/// The precheck of a versioned loop (FunctionCompiler.LoopVersioning.cs), called once per entry into the loop: how
/// many iterations the back edge allows, and whether an induction variable's accesses stay in range for all of them.
/// All arithmetic is exact (long), so a wrap-around of the wasm i32 values sends the loop to its checked copy.
/// </summary>
internal static class LoopRanges
{
    /// <summary>
    /// How many times the body runs when the loop leaves only through its final <c>br_if 0 (counter' OP bound)</c>,
    /// counter' being the counter after its increment by <paramref name="step"/> (the first compare sees
    /// counter + step); 0 when that number is not known exactly (the counter would wrap, or never meet the bound).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Trips(int counter, int bound, int step, int comparison)
    {
        var compare = (FunctionCompiler.LoopCompare)comparison;
        long s = step;
        if (compare == FunctionCompiler.LoopCompare.Ne)
        {
            // The first t >= 1 with counter + step * t == bound (mod 2^32): the distance over the step, when it divides.
            uint distance = step > 0 ? unchecked((uint)(bound - counter)) : unchecked((uint)(counter - bound));
            long magnitude = Math.Abs(s);
            if (distance == 0 || distance % magnitude != 0) return 0;
            return distance / magnitude;
        }
        bool signed = compare is FunctionCompiler.LoopCompare.LtS or FunctionCompiler.LoopCompare.LeS
            or FunctionCompiler.LoopCompare.GtS or FunctionCompiler.LoopCompare.GeS;
        long x = signed ? counter : (uint)counter;
        long b = signed ? bound : (uint)bound;
        long t;
        switch (compare)
        {
            case FunctionCompiler.LoopCompare.LtS or FunctionCompiler.LoopCompare.LtU:
                if (s <= 0) return 0;
                t = x + s >= b ? 1 : (b - x + s - 1) / s; // the first t with x + s*t >= b
                break;
            case FunctionCompiler.LoopCompare.LeS or FunctionCompiler.LoopCompare.LeU:
                if (s <= 0) return 0;
                t = x + s > b ? 1 : (b - x) / s + 1; // the first t with x + s*t > b
                break;
            case FunctionCompiler.LoopCompare.GtS or FunctionCompiler.LoopCompare.GtU:
                if (s >= 0) return 0;
                t = x + s <= b ? 1 : (x - b - s - 1) / -s; // the first t with x + s*t <= b
                break;
            default: // GeS, GeU
                if (s >= 0) return 0;
                t = x + s < b ? 1 : (x - b) / -s + 1; // the first t with x + s*t < b
                break;
        }
        // The counter's last value must not have wrapped: the compare would then have seen another value.
        long final = x + s * t;
        long min = signed ? int.MinValue : 0, max = signed ? int.MaxValue : uint.MaxValue;
        return final >= min && final <= max ? t : 0;
    }

    /// <summary>
    /// Whether every access from an induction variable that starts at <paramref name="start"/> and moves by
    /// <paramref name="step"/> per iteration, seen <paramref name="phase"/> increments into each of
    /// <paramref name="trips"/> iterations, at variable + [<paramref name="low"/>, <paramref name="high"/>) (low the
    /// smallest added constant, high the largest constant + offset + size) lies inside a memory of
    /// <paramref name="length"/> bytes with no i32 addition wrapping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Fits(int start, int step, int phase, long trips, long low, long high, ulong length)
    {
        long first = (uint)start + (long)step * phase;
        long last = first + (long)step * (trips - 1);
        return Math.Min(first, last) + low >= 0 && Math.Max(first, last) + high <= (long)length;
    }
}
