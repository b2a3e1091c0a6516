using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Wide arithmetic: the helper takes the operands as they lie on the stack, returns the low half and writes the
    /// high half to a temporary, which is pushed after it; the stack then holds (low, high) as wasm expects.
    /// </summary>
    private bool TryEmitWideArithmetic(Opcode opcode)
    {
        (string name, int arity) = opcode switch
        {
            Opcode.I64Add128 => (nameof(WideArithmetic.Add128), 4),
            Opcode.I64Sub128 => (nameof(WideArithmetic.Sub128), 4),
            Opcode.I64MulWideS => (nameof(WideArithmetic.MulWideS), 2),
            Opcode.I64MulWideU => (nameof(WideArithmetic.MulWideU), 2),
            _ => (null!, 0),
        };
        if (arity == 0) return false;
        var high = Temp(typeof(long));
        _il.Emit(OpCodes.Ldloca, high);
        Call(RuntimeMembers.Method(typeof(WideArithmetic), name));
        _il.Emit(OpCodes.Ldloc, high);
        Free(high);
        Pop(arity);
        Push(StackKind.I64);
        Push(StackKind.I64);
        return true;
    }
}
