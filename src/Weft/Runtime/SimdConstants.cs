using System.Reflection;
using System.Runtime.Intrinsics;

namespace Weft.Runtime;

/// <summary>
/// The v128 constants RyuJIT uses to fold float lane arithmetic away: with every lane 0, -0, 1 or -1 (as f32 or f64) it
/// turns x - 0, x + -0, x * 1, x / 1 into x and x * -1 into -x, which keeps a signaling NaN signaling where wasm wants a
/// quiet one (spec 4.3.3). Like <see cref="FoldableConstants"/> for scalars, compiled code loads these few values from
/// mutable static fields, which the JIT cannot see through; every other v128.const stays a constant in the code.
/// </summary>
internal static class SimdConstants
{
#pragma warning disable CA2211 // deliberately mutable: readonly fields would be folded as constants
    public static Vector128<byte> Zero = Vector128<byte>.Zero;
    public static Vector128<byte> F32NegativeZero = Vector128.Create(0x8000_0000u).AsByte();
    public static Vector128<byte> F32One = Vector128.Create(1f).AsByte();
    public static Vector128<byte> F32NegativeOne = Vector128.Create(-1f).AsByte();
    public static Vector128<byte> F64NegativeZero = Vector128.Create(0x8000_0000_0000_0000ul).AsByte();
    public static Vector128<byte> F64One = Vector128.Create(1d).AsByte();
    public static Vector128<byte> F64NegativeOne = Vector128.Create(-1d).AsByte();
#pragma warning restore CA2211

    private static FieldInfo Field(string name) => typeof(SimdConstants).GetField(name)!;

    /// <summary>The field holding the constant with these halves, if it is one a fold could misuse.</summary>
    public static bool TryGet(ulong low, ulong high, out FieldInfo field)
    {
        field = null!;
        if (low != high) return false;
        field = low switch
        {
            0 => Field(nameof(Zero)),
            0x8000_0000_8000_0000 => Field(nameof(F32NegativeZero)),
            0x3F80_0000_3F80_0000 => Field(nameof(F32One)),
            0xBF80_0000_BF80_0000 => Field(nameof(F32NegativeOne)),
            0x8000_0000_0000_0000 => Field(nameof(F64NegativeZero)),
            0x3FF0_0000_0000_0000 => Field(nameof(F64One)),
            0xBFF0_0000_0000_0000 => Field(nameof(F64NegativeOne)),
            _ => null!,
        };
        return field is not null;
    }
}
