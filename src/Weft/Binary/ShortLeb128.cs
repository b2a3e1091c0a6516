using System.Runtime.CompilerServices;

namespace Weft.Binary;

/// <summary>
/// The decoders' fast read of an immediate in its common short form, shared by ExpressionScanner and the validator's
/// own walk (FunctionValidator.Validate): anything longer or cut short is left to the full readers (WasmReader,
/// InstructionReader), so every error and its offset stays theirs.
/// </summary>
internal static class ShortLeb128
{
    /// <summary>
    /// Reads an unsigned LEB128 of one to three bytes (at most 21 bits, valid for any u32 or u64 immediate, and as a
    /// signed LEB128 for any i32 or i64: only a fifth or tenth byte has unused bits to check); false, with
    /// <paramref name="pos"/> unchanged, for anything longer or cut short.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryReadU32(ReadOnlySpan<byte> code, ref int pos, out uint value)
    {
        int p = pos;
        if ((uint)p < (uint)code.Length)
        {
            uint b = code[p];
            if (b < 0x80)
            {
                value = b;
                pos = p + 1;
                return true;
            }
            if ((uint)(p + 1) < (uint)code.Length)
            {
                uint b1 = code[p + 1];
                if (b1 < 0x80)
                {
                    value = (b & 0x7F) | (b1 << 7);
                    pos = p + 2;
                    return true;
                }
                // Three bytes: function indices of modules with more than 16,384 functions, larger constants.
                if ((uint)(p + 2) < (uint)code.Length && code[p + 2] < 0x80)
                {
                    value = (b & 0x7F) | ((b1 & 0x7F) << 7) | ((uint)code[p + 2] << 14);
                    pos = p + 3;
                    return true;
                }
            }
        }
        value = 0;
        return false;
    }
}
