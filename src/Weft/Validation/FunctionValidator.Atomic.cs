using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>
    /// The threads proposal's instructions. Every atomic access names its natural alignment exactly (an unaligned
    /// effective address then traps at run time); they are valid on unshared memories too (wait traps there).
    /// </summary>
    private void StepAtomic(in Instruction instruction)
    {
        var opcode = instruction.Opcode;
        if (opcode == Opcode.AtomicFence) return;
        var address = CheckAtomicMemArg(instruction);
        switch (opcode)
        {
            case Opcode.MemoryAtomicNotify: Pop([address, ValType.I32]); Push(ValType.I32); return;
            case Opcode.MemoryAtomicWait32: Pop([address, ValType.I32, ValType.I64]); Push(ValType.I32); return;
            case Opcode.MemoryAtomicWait64: Pop([address, ValType.I64, ValType.I64]); Push(ValType.I32); return;
        }
        var type = AtomicValueType(opcode);
        if (opcode <= Opcode.I64AtomicLoad32U)
        {
            Pop(address);
            Push(type);
        }
        else if (opcode <= Opcode.I64AtomicStore32) Pop([address, type]);
        else if (opcode < Opcode.I32AtomicRmwCmpxchg)
        {
            Pop([address, type]);
            Push(type);
        }
        else
        {
            Pop([address, type, type]);
            Push(type);
        }
    }

    private ValType CheckAtomicMemArg(in Instruction instruction)
    {
        var memory = MemoryAt(instruction.Index);
        int natural = instruction.Info.NaturalAlignment;
        if (instruction.Byte > natural) throw Error("alignment must not be larger than natural");
        if (instruction.Byte != natural) throw Error("atomic alignment must be natural");
        if (memory.Limits.AddressType == AddressType.I32 && instruction.Value > uint.MaxValue) throw Error("offset out of range");
        return memory.Limits.AddressValType;
    }

    /// <summary>The value type of an atomic load, store or read-modify-write: each group of seven is i32, i64, then i32 8/16 and i64 8/16/32.</summary>
    internal static ValType AtomicValueType(Opcode opcode)
    {
        int index = ((int)opcode - (int)Opcode.I32AtomicLoad) % 7;
        return index is 0 or 2 or 3 ? ValType.I32 : ValType.I64;
    }
}
