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

    /// <summary>
    /// Decodes the expression at the start of <paramref name="code"/> up to and including its final <c>end</c>.
    /// </summary>
    /// <param name="code">The bytes from the expression's start to the end of the module (it may be followed by anything).</param>
    /// <param name="baseOffset">The module offset of <paramref name="code"/>'s first byte, for errors.</param>
    /// <param name="usesData">Set when an instruction names a data segment (memory.init, data.drop, array.new_data, array.init_data).</param>
    /// <returns>The length of the expression in bytes.</returns>
    public static int Scan(ReadOnlySpan<byte> code, int baseOffset, out bool usesData)
    {
        var reader = new InstructionReader(code, baseOffset);
        usesData = false;
        // The stack of open constructs; the expression itself is the bottom frame. Nesting depth is bounded by the
        // length of the code, and an explicit stack keeps deep nesting off the machine stack.
        Span<Frame> initial = stackalloc Frame[64];
        var frames = initial;
        int depth = 1;
        frames[0] = Frame.Block;
        while (true)
        {
            var instruction = reader.Read();
            switch (instruction.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.TryTable:
                case Opcode.If:
                case Opcode.Try:
                    if (depth == frames.Length)
                    {
                        var bigger = new Frame[frames.Length * 2];
                        frames.CopyTo(bigger);
                        frames = bigger;
                    }
                    frames[depth++] = instruction.Opcode switch
                    {
                        Opcode.If => Frame.If,
                        Opcode.Try => Frame.Try,
                        _ => Frame.Block,
                    };
                    break;
                case Opcode.Else:
                    if (frames[depth - 1] != Frame.If) FailMisplaced(reader, instruction.Position);
                    frames[depth - 1] = Frame.Else;
                    break;
                case Opcode.Catch:
                    if (frames[depth - 1] is not (Frame.Try or Frame.TryCatch)) FailMisplaced(reader, instruction.Position);
                    frames[depth - 1] = Frame.TryCatch;
                    break;
                case Opcode.CatchAll:
                    if (frames[depth - 1] is not (Frame.Try or Frame.TryCatch)) FailMisplaced(reader, instruction.Position);
                    frames[depth - 1] = Frame.TryCatchAll;
                    break;
                case Opcode.Delegate:
                    // delegate closes a try that has no handlers, in place of its end.
                    if (frames[depth - 1] != Frame.Try) FailMisplaced(reader, instruction.Position);
                    depth--;
                    break;
                case Opcode.End:
                    if (--depth == 0)
                    {
                        return reader.Position;
                    }
                    break;
                case Opcode.MemoryInit:
                case Opcode.DataDrop:
                case Opcode.ArrayNewData:
                case Opcode.ArrayInitData:
                    usesData = true;
                    break;
            }
        }
    }

    // The reference decoder reads a block's instructions up to an else or end and then requires the end.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailMisplaced(in InstructionReader reader, int position) =>
        WasmReader.Fail("END opcode expected", reader.OffsetOf(position));
}
