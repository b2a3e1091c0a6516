using System.Reflection;

namespace Weft.Runtime;

/// <summary>
/// Float constants that RyuJIT would use to fold an operation away (x*1, x/1, x-0, x+-0 become x), which is
/// wrong in wasm for a signaling NaN input: the result must be a quiet NaN (spec 4.3.3). Compiled code loads these
/// few values from mutable static fields, which the JIT cannot treat as constants.
/// </summary>
internal static class FoldableConstants
{
#pragma warning disable CA2211 // deliberately mutable: readonly fields would be folded as constants
    public static float F32Zero = 0f;
    public static float F32NegativeZero = -0f;
    public static float F32One = 1f;
    public static float F32NegativeOne = -1f;
    public static double F64Zero = 0d;
    public static double F64NegativeZero = -0d;
    public static double F64One = 1d;
    public static double F64NegativeOne = -1d;
#pragma warning restore CA2211

    private static FieldInfo Field(string name) => typeof(FoldableConstants).GetField(name)!;

    public static bool TryGet(float value, out FieldInfo field)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        field = bits switch
        {
            0x00000000 => Field(nameof(F32Zero)),
            0x80000000 => Field(nameof(F32NegativeZero)),
            0x3F800000 => Field(nameof(F32One)),
            0xBF800000 => Field(nameof(F32NegativeOne)),
            _ => null!,
        };
        return field is not null;
    }

    public static bool TryGet(double value, out FieldInfo field)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        field = bits switch
        {
            0x0000000000000000 => Field(nameof(F64Zero)),
            0x8000000000000000 => Field(nameof(F64NegativeZero)),
            0x3FF0000000000000 => Field(nameof(F64One)),
            0xBFF0000000000000 => Field(nameof(F64NegativeOne)),
            _ => null!,
        };
        return field is not null;
    }
}
