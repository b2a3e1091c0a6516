using System.Runtime.CompilerServices;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

// The validator's own walk over a body (Validate), as opposed to the compiler's lock-step use of Step.
internal sealed partial class FunctionValidator
{
    // How Validate treats a first byte without building an Instruction. Everything else (and any of these whose
    // immediates are not in the short forms below) goes through InstructionReader and Step, so errors and their
    // order stay theirs: a fast case is taken only when its immediates are complete and cannot be malformed.
    private enum FastOp : byte
    {
        Slow,
        NoImmediates, // handled by StepNoImmediates
        Numeric,      // i32.eqz .. i64.extend32_s: StepNumeric
        LocalGet,
        LocalSet,
        LocalTee,
        GlobalGet,
        GlobalSet,
        Br,
        BrIf,
        Call,
        IntConst,     // i32.const, i64.const: a LEB128 of one or two bytes is always in range
        F32Const,
        F64Const,
        Block,        // block, loop, if with the empty block type or one number type (one byte)
        Load,
        Store,
        BrTable,      // every label (and the count) a short LEB128
        Prefix0xFC,   // 0xFC with a one-byte sub-opcode 0..7: the saturating truncations, StepNumeric
    }

    // Loads and stores by first byte: the value type and the natural alignment (log2 of the access size).
    // Declared before s_fastOps: BuildFastOps fills them, and static initializers run in the order of the text.
    private static readonly ValType[] s_memoryTypes = new ValType[256];
    private static readonly byte[] s_naturalAlignments = new byte[256];

    private static readonly FastOp[] s_fastOps = BuildFastOps();

    private static FastOp[] BuildFastOps()
    {
        var ops = new FastOp[256];
        foreach (var op in new[] { Opcode.Unreachable, Opcode.Nop, Opcode.Else, Opcode.End, Opcode.Return, Opcode.Drop, Opcode.Select })
        {
            ops[(int)op] = FastOp.NoImmediates;
        }
        for (int b = (int)Opcode.I32Eqz; b <= (int)Opcode.I64Extend32S; b++) ops[b] = FastOp.Numeric;
        ops[(int)Opcode.LocalGet] = FastOp.LocalGet;
        ops[(int)Opcode.LocalSet] = FastOp.LocalSet;
        ops[(int)Opcode.LocalTee] = FastOp.LocalTee;
        ops[(int)Opcode.GlobalGet] = FastOp.GlobalGet;
        ops[(int)Opcode.GlobalSet] = FastOp.GlobalSet;
        ops[(int)Opcode.Br] = FastOp.Br;
        ops[(int)Opcode.BrIf] = FastOp.BrIf;
        ops[(int)Opcode.Call] = FastOp.Call;
        ops[(int)Opcode.I32Const] = FastOp.IntConst;
        ops[(int)Opcode.I64Const] = FastOp.IntConst;
        ops[(int)Opcode.F32Const] = FastOp.F32Const;
        ops[(int)Opcode.F64Const] = FastOp.F64Const;
        ops[(int)Opcode.Block] = FastOp.Block;
        ops[(int)Opcode.Loop] = FastOp.Block;
        ops[(int)Opcode.If] = FastOp.Block;
        ops[(int)Opcode.BrTable] = FastOp.BrTable;
        ops[0xFC] = FastOp.Prefix0xFC;
        // The same value types as Step's cases for loads and stores; the natural alignments come from the opcode table.
        (Opcode Op, ValType Type)[] memory =
        [
            (Opcode.I32Load, ValType.I32), (Opcode.I64Load, ValType.I64), (Opcode.F32Load, ValType.F32),
            (Opcode.F64Load, ValType.F64), (Opcode.I32Load8S, ValType.I32), (Opcode.I32Load8U, ValType.I32),
            (Opcode.I32Load16S, ValType.I32), (Opcode.I32Load16U, ValType.I32), (Opcode.I64Load8S, ValType.I64),
            (Opcode.I64Load8U, ValType.I64), (Opcode.I64Load16S, ValType.I64), (Opcode.I64Load16U, ValType.I64),
            (Opcode.I64Load32S, ValType.I64), (Opcode.I64Load32U, ValType.I64),
            (Opcode.I32Store, ValType.I32), (Opcode.I64Store, ValType.I64), (Opcode.F32Store, ValType.F32),
            (Opcode.F64Store, ValType.F64), (Opcode.I32Store8, ValType.I32), (Opcode.I32Store16, ValType.I32),
            (Opcode.I64Store8, ValType.I64), (Opcode.I64Store16, ValType.I64), (Opcode.I64Store32, ValType.I64),
        ];
        foreach (var (op, type) in memory)
        {
            ops[(int)op] = op >= Opcode.I32Store ? FastOp.Store : FastOp.Load;
            s_memoryTypes[(int)op] = type;
            s_naturalAlignments[(int)op] = (byte)OpcodeTable.Get(op).NaturalAlignment;
        }
        return ops;
    }

    /// <summary>Validates the body of a function defined by the module, from <see cref="Begin"/> to its final <c>end</c>.</summary>
    /// <remarks>
    /// The common one-byte instructions are checked straight from the bytes, with the same methods Step calls; only
    /// the rest is decoded into an <see cref="Instruction"/> (which cost about a third of validation, issue 17).
    /// </remarks>
    public void Validate(int functionIndex)
    {
        Begin(functionIndex);
        var code = _code.Span;
        var reader = new InstructionReader(code, _codeOffset >= 0 ? (int)_codeOffset : 0);
        var fastOps = s_fastOps;
        int pos = 0;
        while ((uint)pos < (uint)code.Length)
        {
            int op = code[pos];
            int next = pos + 1;
            uint index;
            switch (fastOps[op])
            {
                case FastOp.NoImmediates:
                    Enter(pos);
                    StepNoImmediates((Opcode)op);
                    pos = next;
                    continue;
                case FastOp.Numeric:
                    Enter(pos);
                    StepNumeric((Opcode)op);
                    pos = next;
                    continue;
                case FastOp.LocalGet:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    LocalGet(index);
                    pos = next;
                    continue;
                case FastOp.LocalSet:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    LocalSet(index);
                    pos = next;
                    continue;
                case FastOp.LocalTee:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    LocalTee(index);
                    pos = next;
                    continue;
                case FastOp.GlobalGet:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    GlobalGet(index);
                    pos = next;
                    continue;
                case FastOp.GlobalSet:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    GlobalSet(index);
                    pos = next;
                    continue;
                case FastOp.Br:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    Br(index);
                    pos = next;
                    continue;
                case FastOp.BrIf:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    BrIf(index);
                    pos = next;
                    continue;
                case FastOp.Call:
                    if (!ShortLeb128.TryReadU32(code, ref next, out index)) break;
                    Enter(pos);
                    Call(index);
                    pos = next;
                    continue;
                case FastOp.IntConst:
                    // The value does not matter to validation; a LEB128 of up to three bytes is in range of both types.
                    if (!ShortLeb128.TryReadU32(code, ref next, out _)) break;
                    Enter(pos);
                    Push(op == (int)Opcode.I32Const ? ValType.I32 : ValType.I64);
                    pos = next;
                    continue;
                case FastOp.F32Const:
                    if (code.Length - next < 4) break;
                    Enter(pos);
                    Push(ValType.F32);
                    pos = next + 4;
                    continue;
                case FastOp.F64Const:
                    if (code.Length - next < 8) break;
                    Enter(pos);
                    Push(ValType.F64);
                    pos = next + 8;
                    continue;
                case FastOp.Block:
                {
                    if ((uint)next >= (uint)code.Length) break;
                    BlockType blockType;
                    switch (code[next])
                    {
                        case 0x40: blockType = BlockType.Empty; break;
                        case 0x7F: blockType = BlockType.Of(ValType.I32); break;
                        case 0x7E: blockType = BlockType.Of(ValType.I64); break;
                        case 0x7D: blockType = BlockType.Of(ValType.F32); break;
                        case 0x7C: blockType = BlockType.Of(ValType.F64); break;
                        default: goto Slow;
                    }
                    Enter(pos);
                    if (op == (int)Opcode.Block) Block(blockType, pos);
                    else if (op == (int)Opcode.Loop) Loop(blockType, pos);
                    else If(blockType, pos);
                    pos = next + 1;
                    continue;
                }
                case FastOp.Load:
                case FastOp.Store:
                {
                    // Alignment flags of one byte without a memory index (bit 6), then a short offset.
                    if ((uint)next >= (uint)code.Length) break;
                    byte flags = code[next];
                    if (flags >= 0x40) break;
                    next++;
                    if (!ShortLeb128.TryReadU32(code, ref next, out uint offset)) break;
                    Enter(pos);
                    var address = CheckMemArg(0, flags, offset, s_naturalAlignments[op]);
                    var type = s_memoryTypes[op];
                    if (fastOps[op] == FastOp.Load)
                    {
                        Pop(address);
                        Push(type);
                    }
                    else
                    {
                        Pop([address, type]);
                    }
                    pos = next;
                    continue;
                }
                case FastOp.BrTable:
                {
                    // Decoded as InstructionReader does (count, labels, default), taken only when all of it is short.
                    if (!ShortLeb128.TryReadU32(code, ref next, out uint count)) break;
                    int start = next;
                    bool complete = true;
                    for (uint i = 0; i < count && complete; i++) complete = ShortLeb128.TryReadU32(code, ref next, out _);
                    if (!complete || !ShortLeb128.TryReadU32(code, ref next, out uint defaultLabel)) break;
                    Enter(pos);
                    BrTable(new Instruction { Opcode = Opcode.BrTable, Position = pos, Index = defaultLabel, VectorOffset = start, VectorCount = count });
                    pos = next;
                    continue;
                }
                case FastOp.Prefix0xFC:
                {
                    if ((uint)next >= (uint)code.Length) break;
                    int sub = code[next];
                    if (sub > 7) break;
                    Enter(pos);
                    StepNumeric((Opcode)((0xFC << 12) | sub));
                    pos = next + 1;
                    continue;
                }
            }
            Slow:
            reader.Seek(pos);
            reader.Read(out var instruction);
            Step(instruction);
            pos = reader.Position;
        }
        End();
    }

    /// <summary>What <see cref="Step"/> does before an instruction's own rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enter(int position)
    {
        if (_finished) Malformed("section size mismatch");
        _position = position;
    }

    /// <summary>Step's cases for the one-byte instructions without immediates that are not numeric.</summary>
    private void StepNoImmediates(Opcode op)
    {
        switch (op)
        {
            case Opcode.Unreachable: SetUnreachable(); break;
            case Opcode.Nop: break;
            case Opcode.Else: Else(); break;
            case Opcode.End: EndFrame(); break;
            case Opcode.Return: Return(); break;
            case Opcode.Drop: Pop(); break;
            case Opcode.Select: Select(); break;
            default: throw new InvalidOperationException($"not an instruction without immediates: {op}");
        }
    }
}
