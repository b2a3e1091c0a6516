using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>
    /// Spec 3.4.6 memarg: the alignment may not exceed the access's natural alignment, and the offset must be an
    /// address of the memory (below 2^32 for a 32-bit memory). Returns the memory's address type.
    /// </summary>
    private ValType CheckMemArg(in Instruction instruction, int naturalAlignment) =>
        CheckMemArg(instruction.Index, instruction.Byte, instruction.Value, naturalAlignment);

    /// <summary>The same check from the decoded immediates (Validate's walk reads them straight from the bytes).</summary>
    private ValType CheckMemArg(uint memoryIndex, byte align, ulong offset, int naturalAlignment)
    {
        var memory = MemoryAt(memoryIndex);
        if (align > naturalAlignment) throw Error("alignment must not be larger than natural");
        if (memory.Limits.AddressType == AddressType.I32 && offset > uint.MaxValue) throw Error("offset out of range");
        return memory.Limits.AddressValType;
    }

    /// <summary>Spec 3.4.6 t.load and its packed forms.</summary>
    private void Load(in Instruction instruction, ValType type, int naturalAlignment)
    {
        Pop(CheckMemArg(instruction, naturalAlignment));
        Push(type);
    }

    /// <summary>Spec 3.4.6 t.store and its packed forms.</summary>
    private void Store(in Instruction instruction, ValType type, int naturalAlignment)
    {
        var address = CheckMemArg(instruction, naturalAlignment);
        Pop([address, type]);
    }

    /// <summary>Spec 3.4.6 memory.size.</summary>
    private void MemorySize(uint memory) => Push(MemoryAt(memory).Limits.AddressValType);

    /// <summary>Spec 3.4.6 memory.grow.</summary>
    private void MemoryGrow(uint memory)
    {
        var address = MemoryAt(memory).Limits.AddressValType;
        Pop(address);
        Push(address);
    }

    /// <summary>Spec 3.4.6 memory.fill.</summary>
    private void MemoryFill(uint memory)
    {
        var address = MemoryAt(memory).Limits.AddressValType;
        Pop([address, ValType.I32, address]);
    }

    /// <summary>Spec 3.4.6 memory.copy: the count uses the smaller of the two address types.</summary>
    private void MemoryCopy(uint destination, uint source)
    {
        var target = MemoryAt(destination).Limits;
        var origin = MemoryAt(source).Limits;
        Pop([target.AddressValType, origin.AddressValType, SmallerAddress(target, origin)]);
    }

    /// <summary>Spec 3.4.6 memory.init (binary immediates: segment, then memory).</summary>
    private void MemoryInit(uint segment, uint memory)
    {
        var address = MemoryAt(memory).Limits.AddressValType;
        CheckData(segment);
        Pop([address, ValType.I32, ValType.I32]);
    }
}
