namespace Weft.Syntax;

/// <summary>What the engine knows of an opcode independent of any module: its text name and immediates.</summary>
/// <param name="Opcode">The opcode.</param>
/// <param name="Name">The text-format mnemonic.</param>
/// <param name="Immediates">The shape of its immediates.</param>
/// <param name="NaturalAlignment">log2 of the natural alignment of a memory access, or -1 when not a memory access.</param>
internal readonly record struct OpcodeInfo(Opcode Opcode, string Name, ImmediateKind Immediates, int NaturalAlignment)
{
    /// <summary>The prefix byte (0xFB, 0xFC, 0xFD) or 0 for a single-byte opcode.</summary>
    public int Prefix => (int)Opcode >> 12;

    /// <summary>The opcode byte, or the sub-opcode after the prefix.</summary>
    public int Code => (int)Opcode & 0xFFF;
}
