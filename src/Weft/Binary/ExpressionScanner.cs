using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// Finds where an encoded expression ends by decoding every instruction and following the block structure
/// (spec 5.4: <c>block</c>/<c>loop</c>/<c>if</c>/<c>try_table</c> ... <c>end</c>, <c>if</c> ... <c>else</c> ...
/// <c>end</c>, and the legacy <c>try</c> ... <c>catch</c>/<c>catch_all</c> ... <c>end</c> and <c>try</c> ...
/// <c>delegate</c>). It checks only the encoding; types and indices are the validator's.
/// </summary>
/// <remarks>
/// This is the decoder's hot loop, so the common single-byte opcodes have their immediates skipped in place, with
/// the same checks and messages as <see cref="InstructionReader"/>; prefixed and rarer instructions go through
/// <see cref="InstructionReader"/> itself.
/// </remarks>
internal static class ExpressionScanner
{
    // What may follow in the innermost open construct.
    private enum Frame : byte
    {
        Block,       // block, loop, try_table, or the expression itself: only end
        If,          // else or end
        Else,        // end
        Try,         // catch, catch_all, delegate or end
        TryCatch,    // catch, catch_all or end
        TryCatchAll, // end
    }

    // How the scanner treats a first byte.
    private enum Step : byte
    {
        Illegal,
        None,
        Index,     // one u32
        Indices,   // two u32s
        I32,
        I64,
        F32,
        F64,
        MemArg,
        Block,     // block, loop: block type, then a new frame
        If,
        Try,
        Else,
        Catch,
        CatchAll,
        Delegate,
        End,
        BrTable,   // count, labels, default: in place when all are short, else decoded by InstructionReader
        Decode,    // anything else: decoded by InstructionReader
    }

    private static readonly Step[] s_steps = BuildSteps();

    private static Step[] BuildSteps()
    {
        var steps = new Step[256];
        for (int b = 0; b < 256; b++)
        {
            if (OpcodeTable.IsPrefix(b))
            {
                steps[b] = Step.Decode;
                continue;
            }
            if (OpcodeTable.Single(b) is not { } info) continue;
            steps[b] = info.Opcode switch
            {
                Opcode.Block or Opcode.Loop => Step.Block,
                Opcode.If => Step.If,
                Opcode.Try => Step.Try,
                Opcode.Else => Step.Else,
                Opcode.Catch => Step.Catch,
                Opcode.CatchAll => Step.CatchAll,
                Opcode.Delegate => Step.Delegate,
                Opcode.End => Step.End,
                Opcode.BrTable => Step.BrTable,
                _ => info.Immediates switch
                {
                    ImmediateKind.None => Step.None,
                    ImmediateKind.Label or ImmediateKind.Function or ImmediateKind.Type or ImmediateKind.Local
                        or ImmediateKind.Global or ImmediateKind.Table or ImmediateKind.Tag or ImmediateKind.Memory => Step.Index,
                    ImmediateKind.CallIndirect => Step.Indices,
                    ImmediateKind.I32 => Step.I32,
                    ImmediateKind.I64 => Step.I64,
                    ImmediateKind.F32 => Step.F32,
                    ImmediateKind.F64 => Step.F64,
                    ImmediateKind.MemArg => Step.MemArg,
                    _ => Step.Decode,
                },
            };
        }
        return steps;
    }

    /// <summary>
    /// Decodes the expression at the start of <paramref name="code"/> up to and including its final <c>end</c>.
    /// </summary>
    /// <param name="code">The bytes from the expression's start to the end of the module (it may be followed by anything).</param>
    /// <param name="baseOffset">The module offset of <paramref name="code"/>'s first byte, for errors.</param>
    /// <param name="usesData">Set when an instruction names a data segment (memory.init, data.drop, array.new_data, array.init_data).</param>
    /// <returns>The length of the expression in bytes.</returns>
    public static int Scan(ReadOnlySpan<byte> code, int baseOffset, out bool usesData)
    {
        var steps = s_steps;
        usesData = false;
        // The stack of open constructs; the expression itself is the bottom frame. Nesting depth is bounded by the
        // length of the code, and an explicit stack keeps deep nesting off the machine stack.
        Span<Frame> frames = stackalloc Frame[64];
        int depth = 1;
        frames[0] = Frame.Block;
        // The position is a plain local (not a WasmReader's field) so that it stays in a register; immediates that
        // are not a single byte go through WasmReader at that position, which checks them and reports errors.
        int pos = 0;
        while (true)
        {
            if ((uint)pos >= (uint)code.Length) FailEnd(baseOffset + code.Length);
            int at = pos;
            byte first = code[pos++];
            switch (steps[first])
            {
                case Step.None:
                    break;
                case Step.Index:
                    pos = SkipU32(code, pos, baseOffset);
                    break;
                case Step.Indices:
                    pos = SkipU32(code, SkipU32(code, pos, baseOffset), baseOffset);
                    break;
                case Step.I32:
                case Step.I64:
                    // One to three bytes (up to 21 bits) are always in range; longer forms get the full checks.
                    if ((uint)pos < (uint)code.Length && code[pos] < 0x80) pos++;
                    else if ((uint)(pos + 1) < (uint)code.Length && code[pos + 1] < 0x80) pos += 2;
                    else if ((uint)(pos + 2) < (uint)code.Length && code[pos + 2] < 0x80) pos += 3;
                    else pos = SkipSigned(code, pos, baseOffset, steps[first] == Step.I32 ? 32 : 64);
                    break;
                case Step.F32:
                    pos = SkipFixed(code, pos, baseOffset, 4);
                    break;
                case Step.F64:
                    pos = SkipFixed(code, pos, baseOffset, 8);
                    break;
                case Step.MemArg:
                    // Fast path: alignment flags without a memory index, and a one- or two-byte offset.
                    if ((uint)(pos + 1) < (uint)code.Length && code[pos] < 0x40 && code[pos + 1] < 0x80) pos += 2;
                    else if ((uint)(pos + 2) < (uint)code.Length && code[pos] < 0x40 && code[pos + 2] < 0x80) pos += 3;
                    else pos = SkipMemArg(code, pos, baseOffset);
                    break;
                case Step.Block:
                    pos = SkipBlockType(code, pos, baseOffset);
                    frames = Push(frames, ref depth, Frame.Block);
                    break;
                case Step.If:
                    pos = SkipBlockType(code, pos, baseOffset);
                    frames = Push(frames, ref depth, Frame.If);
                    break;
                case Step.Try:
                    pos = SkipBlockType(code, pos, baseOffset);
                    frames = Push(frames, ref depth, Frame.Try);
                    break;
                case Step.Else:
                    if (frames[depth - 1] != Frame.If) FailMisplaced(baseOffset + at);
                    frames[depth - 1] = Frame.Else;
                    break;
                case Step.Catch:
                    if (frames[depth - 1] is not (Frame.Try or Frame.TryCatch)) FailMisplaced(baseOffset + at);
                    pos = SkipU32(code, pos, baseOffset);
                    frames[depth - 1] = Frame.TryCatch;
                    break;
                case Step.CatchAll:
                    if (frames[depth - 1] is not (Frame.Try or Frame.TryCatch)) FailMisplaced(baseOffset + at);
                    frames[depth - 1] = Frame.TryCatchAll;
                    break;
                case Step.Delegate:
                    // delegate closes a try that has no handlers, in place of its end.
                    if (frames[depth - 1] != Frame.Try) FailMisplaced(baseOffset + at);
                    pos = SkipU32(code, pos, baseOffset);
                    depth--;
                    break;
                case Step.End:
                    if (--depth == 0) return pos;
                    break;
                case Step.BrTable:
                {
                    // Only when the count and every label are short LEB128s that end inside the code: anything else
                    // is decoded, so every error is InstructionReader's.
                    int p = pos;
                    bool complete = ShortLeb128.TryReadU32(code, ref p, out uint count);
                    for (uint i = 0; i <= count && complete; i++) complete = ShortLeb128.TryReadU32(code, ref p, out _);
                    pos = complete ? p : Decode(code, at, baseOffset, ref usesData, out _);
                    break;
                }
                case Step.Decode:
                    // The saturating truncations (0xFC 0..7, a one-byte sub-opcode without immediates) in place.
                    if (first == 0xFC && (uint)pos < (uint)code.Length && code[pos] <= 7)
                    {
                        pos++;
                        break;
                    }
                    pos = Decode(code, at, baseOffset, ref usesData, out bool opensBlock);
                    if (opensBlock) frames = Push(frames, ref depth, Frame.Block);
                    break;
                default:
                    FailIllegal(baseOffset + at, first);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipU32(ReadOnlySpan<byte> code, int pos, int baseOffset)
    {
        if ((uint)pos < (uint)code.Length && code[pos] < 0x80) return pos + 1;
        if ((uint)(pos + 1) < (uint)code.Length && code[pos + 1] < 0x80) return pos + 2; // two bytes: 14 bits
        if ((uint)(pos + 2) < (uint)code.Length && code[pos + 2] < 0x80) return pos + 3; // three: 21 bits (function indices)
        return SkipU32Slow(code, pos, baseOffset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SkipU32Slow(ReadOnlySpan<byte> code, int pos, int baseOffset)
    {
        var r = new WasmReader(code, baseOffset) { Position = pos };
        r.ReadU32();
        return r.Position;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SkipSigned(ReadOnlySpan<byte> code, int pos, int baseOffset, int bits)
    {
        var r = new WasmReader(code, baseOffset) { Position = pos };
        r.ReadSigned(bits);
        return r.Position;
    }

    private static int SkipFixed(ReadOnlySpan<byte> code, int pos, int baseOffset, int size)
    {
        if (size > code.Length - pos) FailEnd(baseOffset + code.Length);
        return pos + size;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SkipMemArg(ReadOnlySpan<byte> code, int pos, int baseOffset)
    {
        // The same checks as InstructionReader's memory argument: flags below 0x80, bit 6 = explicit memory index.
        var r = new WasmReader(code, baseOffset) { Position = pos };
        int at = r.Offset;
        uint flags = r.ReadU32();
        if (flags >= 0x80) WasmReader.Fail("malformed memop flags", at);
        if ((flags & 0x40) != 0) r.ReadU32();
        r.ReadU64();
        return r.Position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipBlockType(ReadOnlySpan<byte> code, int pos, int baseOffset)
    {
        // Fast path: empty (0x40) or a number or vector type (0x7B..0x7F).
        if ((uint)pos < (uint)code.Length && code[pos] is 0x40 or (>= 0x7B and <= 0x7F)) return pos + 1;
        return SkipBlockTypeSlow(code, pos, baseOffset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int SkipBlockTypeSlow(ReadOnlySpan<byte> code, int pos, int baseOffset)
    {
        var r = new WasmReader(code, baseOffset) { Position = pos };
        r.ReadBlockType();
        return r.Position;
    }

    // Prefixed and rarer instructions: decoded in full by InstructionReader.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Decode(ReadOnlySpan<byte> code, int at, int baseOffset, ref bool usesData, out bool opensBlock)
    {
        var reader = new InstructionReader(code[at..], baseOffset + at);
        var instruction = reader.Read();
        opensBlock = instruction.Opcode == Opcode.TryTable;
        if (instruction.Opcode is Opcode.MemoryInit or Opcode.DataDrop or Opcode.ArrayNewData or Opcode.ArrayInitData) usesData = true;
        return at + reader.Position;
    }

    private static Span<Frame> Push(Span<Frame> frames, ref int depth, Frame frame)
    {
        if (depth == frames.Length)
        {
            var bigger = new Frame[frames.Length * 2];
            frames.CopyTo(bigger);
            frames = bigger;
        }
        frames[depth++] = frame;
        return frames;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailEnd(int offset) => WasmReader.Fail("unexpected end of section or function", offset);

    // The reference decoder reads a block's instructions up to an else or end and then requires the end.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailMisplaced(int offset) => WasmReader.Fail("END opcode expected", offset);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailIllegal(int offset, byte opcode) =>
        WasmReader.Fail(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"illegal opcode {opcode:x2}"), offset);
}
