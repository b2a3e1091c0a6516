using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>
    /// Checks one instruction against the current state and applies its type to the stacks (spec 3.4, one rule per
    /// instruction). Numeric and vector instructions are dispatched to <see cref="StepNumeric"/> and
    /// <see cref="StepSimd"/>; every other family has a case here that calls a method of its partial file.
    /// </summary>
    public void Step(in Instruction instruction)
    {
        if (_finished) Malformed("section size mismatch");
        _position = instruction.Position;
        switch (instruction.Opcode)
        {
            // Control (FunctionValidator.Control.cs)
            case Opcode.Unreachable: SetUnreachable(); break;
            case Opcode.Nop: break;
            case Opcode.Block: Block(instruction); break;
            case Opcode.Loop: Loop(instruction); break;
            case Opcode.If: If(instruction); break;
            case Opcode.Else: Else(); break;
            case Opcode.End: EndFrame(); break;
            case Opcode.Br: Br(instruction.Index); break;
            case Opcode.BrIf: BrIf(instruction.Index); break;
            case Opcode.BrTable: BrTable(instruction); break;
            case Opcode.Return: Return(); break;
            case Opcode.Call: Call(instruction.Index); break;
            case Opcode.CallIndirect: CallIndirect(instruction.Index, instruction.Index2); break;
            case Opcode.CallRef: CallRef(instruction.Index); break;
            case Opcode.ReturnCall: ReturnCall(instruction.Index); break;
            case Opcode.ReturnCallIndirect: ReturnCallIndirect(instruction.Index, instruction.Index2); break;
            case Opcode.ReturnCallRef: ReturnCallRef(instruction.Index); break;

            // Exceptions (FunctionValidator.Exceptions.cs)
            case Opcode.Throw: Throw(instruction.Index); break;
            case Opcode.ThrowRef: ThrowRef(); break;
            case Opcode.TryTable: TryTable(instruction); break;
            case Opcode.Try: Try(instruction); break;
            case Opcode.Catch: Catch(instruction); break;
            case Opcode.CatchAll: CatchAll(); break;
            case Opcode.Delegate: Delegate(instruction.Index); break;
            case Opcode.Rethrow: Rethrow(instruction.Index); break;

            // Parametric and variable (FunctionValidator.Variable.cs)
            case Opcode.Drop: Pop(); break;
            case Opcode.Select: Select(); break;
            case Opcode.SelectTyped: SelectTyped(instruction); break;
            case Opcode.LocalGet: LocalGet(instruction.Index); break;
            case Opcode.LocalSet: LocalSet(instruction.Index); break;
            case Opcode.LocalTee: LocalTee(instruction.Index); break;
            case Opcode.GlobalGet: GlobalGet(instruction.Index); break;
            case Opcode.GlobalSet: GlobalSet(instruction.Index); break;

            // Tables (FunctionValidator.Table.cs)
            case Opcode.TableGet: TableGet(instruction.Index); break;
            case Opcode.TableSet: TableSet(instruction.Index); break;
            case Opcode.TableSize: TableSize(instruction.Index); break;
            case Opcode.TableGrow: TableGrow(instruction.Index); break;
            case Opcode.TableFill: TableFill(instruction.Index); break;
            case Opcode.TableCopy: TableCopy(instruction.Index, instruction.Index2); break;
            case Opcode.TableInit: TableInit(instruction.Index, instruction.Index2); break;
            case Opcode.ElemDrop: ElementAt(instruction.Index); break;

            // Memories (FunctionValidator.Memory.cs)
            case Opcode.I32Load: Load(instruction, ValType.I32, 2); break;
            case Opcode.I64Load: Load(instruction, ValType.I64, 3); break;
            case Opcode.F32Load: Load(instruction, ValType.F32, 2); break;
            case Opcode.F64Load: Load(instruction, ValType.F64, 3); break;
            case Opcode.I32Load8S: case Opcode.I32Load8U: Load(instruction, ValType.I32, 0); break;
            case Opcode.I32Load16S: case Opcode.I32Load16U: Load(instruction, ValType.I32, 1); break;
            case Opcode.I64Load8S: case Opcode.I64Load8U: Load(instruction, ValType.I64, 0); break;
            case Opcode.I64Load16S: case Opcode.I64Load16U: Load(instruction, ValType.I64, 1); break;
            case Opcode.I64Load32S: case Opcode.I64Load32U: Load(instruction, ValType.I64, 2); break;
            case Opcode.I32Store: Store(instruction, ValType.I32, 2); break;
            case Opcode.I64Store: Store(instruction, ValType.I64, 3); break;
            case Opcode.F32Store: Store(instruction, ValType.F32, 2); break;
            case Opcode.F64Store: Store(instruction, ValType.F64, 3); break;
            case Opcode.I32Store8: Store(instruction, ValType.I32, 0); break;
            case Opcode.I32Store16: Store(instruction, ValType.I32, 1); break;
            case Opcode.I64Store8: Store(instruction, ValType.I64, 0); break;
            case Opcode.I64Store16: Store(instruction, ValType.I64, 1); break;
            case Opcode.I64Store32: Store(instruction, ValType.I64, 2); break;
            case Opcode.MemorySize: MemorySize(instruction.Index); break;
            case Opcode.MemoryGrow: MemoryGrow(instruction.Index); break;
            case Opcode.MemoryFill: MemoryFill(instruction.Index); break;
            case Opcode.MemoryCopy: MemoryCopy(instruction.Index, instruction.Index2); break;
            case Opcode.MemoryInit: MemoryInit(instruction.Index, instruction.Index2); break;
            case Opcode.DataDrop: CheckData(instruction.Index); break;

            // References (FunctionValidator.Reference.cs)
            case Opcode.RefNull: RefNull(instruction.HeapType); break;
            case Opcode.RefIsNull: RefIsNull(); break;
            case Opcode.RefFunc: RefFunc(instruction.Index); break;
            case Opcode.RefEq: RefEq(); break;
            case Opcode.RefAsNonNull: RefAsNonNull(); break;
            case Opcode.BrOnNull: BrOnNull(instruction.Index); break;
            case Opcode.BrOnNonNull: BrOnNonNull(instruction.Index); break;
            case Opcode.RefTest: case Opcode.RefTestNull: RefTest(instruction.HeapType); break;
            case Opcode.RefCast: RefCast(instruction.HeapType, nullable: false); break;
            case Opcode.RefCastNull: RefCast(instruction.HeapType, nullable: true); break;
            case Opcode.BrOnCast: BrOnCast(instruction, fail: false); break;
            case Opcode.BrOnCastFail: BrOnCast(instruction, fail: true); break;
            case Opcode.AnyConvertExtern: ConvertReference(HeapType.Extern, HeapType.Any); break;
            case Opcode.ExternConvertAny: ConvertReference(HeapType.Any, HeapType.Extern); break;
            case Opcode.RefI31: RefI31(); break;
            case Opcode.I31GetS: case Opcode.I31GetU: I31Get(); break;

            // Aggregates (FunctionValidator.Gc.cs)
            case Opcode.StructNew: StructNew(instruction.Index); break;
            case Opcode.StructNewDefault: StructNewDefault(instruction.Index); break;
            case Opcode.StructGet: StructGet(instruction.Index, instruction.Index2, packed: false); break;
            case Opcode.StructGetS: case Opcode.StructGetU: StructGet(instruction.Index, instruction.Index2, packed: true); break;
            case Opcode.StructSet: StructSet(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayNew: ArrayNew(instruction.Index); break;
            case Opcode.ArrayNewDefault: ArrayNewDefault(instruction.Index); break;
            case Opcode.ArrayNewFixed: ArrayNewFixed(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayNewData: ArrayNewData(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayNewElem: ArrayNewElem(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayGet: ArrayGet(instruction.Index, packed: false); break;
            case Opcode.ArrayGetS: case Opcode.ArrayGetU: ArrayGet(instruction.Index, packed: true); break;
            case Opcode.ArraySet: ArraySet(instruction.Index); break;
            case Opcode.ArrayLen: ArrayLen(); break;
            case Opcode.ArrayFill: ArrayFill(instruction.Index); break;
            case Opcode.ArrayCopy: ArrayCopy(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayInitData: ArrayInitData(instruction.Index, instruction.Index2); break;
            case Opcode.ArrayInitElem: ArrayInitElem(instruction.Index, instruction.Index2); break;

            default:
                if ((int)instruction.Opcode >= (OpcodeTable.AtomicPrefix << 12)) StepAtomic(instruction);
                else if ((int)instruction.Opcode >= (OpcodeTable.SimdPrefix << 12)) StepSimd(instruction);
                else StepNumeric(instruction.Opcode);
                break;
        }
    }
}
