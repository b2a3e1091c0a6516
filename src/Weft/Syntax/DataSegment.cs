namespace Weft.Syntax;

/// <summary>A data segment: bytes, and for an active segment the memory and offset they are copied to.</summary>
/// <param name="Mode">Active or passive.</param>
/// <param name="MemoryIndex">For an active segment, the memory.</param>
/// <param name="Offset">For an active segment, the offset expression.</param>
/// <param name="Bytes">The data.</param>
internal sealed record DataSegment(SegmentMode Mode, uint MemoryIndex, ConstExpr? Offset, ReadOnlyMemory<byte> Bytes);
