using System.Reflection;
using System.Reflection.Emit;
using Weft.Syntax;

using Weft.Runtime;

namespace Weft.Compilation;

// Vector loads and stores (spec 4.4.7). The address goes through the same bounds check as a scalar access of the
// same size (EmitEffectiveAddress, for 32- and 64-bit memories); the helper then gets the checked native address,
// followed by the vector operand (stores and lane forms) and the lane immediate (lane forms).
internal sealed partial class FunctionCompiler
{
    private void EmitSimdMemory(in Instruction ins, MethodInfo helper)
    {
        var parameters = helper.GetParameters();
        bool hasVector = parameters.Length > 1;
        LocalBuilder? vector = null;
        if (hasVector)
        {
            vector = Temp(StackKind.V128);
            _il.Emit(OpCodes.Stloc, vector);
            Pop();
        }
        Pop();
        var cache = _memories[ins.Index]!;
        var address = EmitEffectiveAddress(cache, ins.Value, AccessSize(ins.Opcode));
        _il.Emit(OpCodes.Ldloc, cache.Base);
        _il.Emit(OpCodes.Ldloc, address);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Add);
        Free(address);
        if (vector is not null)
        {
            _il.Emit(OpCodes.Ldloc, vector);
            Free(vector);
        }
        if (ins.Info.Immediates == ImmediateKind.MemArgLane) _il.Emit(OpCodes.Ldc_I4, (int)ins.Index2);
        Call(helper);
        if (helper.ReturnType != typeof(void)) Push(StackKind.V128);
    }

    /// <summary>How many bytes a vector memory instruction reads or writes.</summary>
    private static int AccessSize(Opcode op) => op switch
    {
        Opcode.V128Load or Opcode.V128Store => 16,
        Opcode.V128Load8Splat or Opcode.V128Load8Lane or Opcode.V128Store8Lane => 1,
        Opcode.V128Load16Splat or Opcode.V128Load16Lane or Opcode.V128Store16Lane => 2,
        Opcode.V128Load32Splat or Opcode.V128Load32Zero or Opcode.V128Load32Lane or Opcode.V128Store32Lane => 4,
        // v128.load8x8_s and the other extending loads read 8 bytes, as do the 64-bit forms.
        _ => 8,
    };
}
