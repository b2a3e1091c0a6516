using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// The threads proposal's atomic instructions. Each access is bounds-checked like a plain one (so a memory growing on
// another thread is seen late, never early: the cached length only ever lags behind a larger real one), then traps
// unless the effective address is a multiple of the access size, then calls an AtomicOps helper on the pointer.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_atomicLoad = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.Load));
    private static readonly MethodInfo s_atomicStore = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.Store));
    private static readonly MethodInfo s_atomicRmw = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.ReadModifyWrite));
    private static readonly MethodInfo s_atomicCmpxchg = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.CompareExchange));
    private static readonly MethodInfo s_atomicWait = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.Wait));
    private static readonly MethodInfo s_atomicNotify = RuntimeMembers.Method(typeof(AtomicOps), nameof(AtomicOps.Notify));
    private static readonly MethodInfo s_memoryBarrier = typeof(Interlocked).GetMethod(nameof(Interlocked.MemoryBarrier))!;

    private bool TryEmitAtomic(in Instruction ins)
    {
        var opcode = ins.Opcode;
        if (opcode < Opcode.MemoryAtomicNotify || opcode > Opcode.I64AtomicRmw32CmpxchgU) return false;
        if (opcode == Opcode.AtomicFence)
        {
            Call(s_memoryBarrier);
            return true;
        }
        int width = 1 << ins.Info.NaturalAlignment;
        var cache = _memories[ins.Index]!;
        switch (opcode)
        {
            case Opcode.MemoryAtomicNotify:
            {
                var operands = SpillTop(1);
                var address = EmitAtomicAddress(ins, cache, width);
                _il.Emit(OpCodes.Ldloc, address);
                _il.Emit(OpCodes.Ldloc, operands[0]);
                _il.Emit(OpCodes.Ldloc, cache.Memory);
                Call(s_atomicNotify);
                FreeAll(operands, address);
                Push(StackKind.I32);
                return true;
            }
            case Opcode.MemoryAtomicWait32:
            case Opcode.MemoryAtomicWait64:
            {
                bool wide = opcode == Opcode.MemoryAtomicWait64;
                var operands = SpillTop(2);
                var address = EmitAtomicAddress(ins, cache, width);
                EmitAtomicPointer(cache, address);
                _il.Emit(OpCodes.Ldloc, address);
                _il.Emit(OpCodes.Ldloc, operands[0]);
                if (!wide) _il.Emit(OpCodes.Conv_I8);
                _il.Emit(OpCodes.Ldloc, operands[1]);
                _il.Emit(wide ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ldloc, cache.Memory);
                EmitLoadMeter(); // so that an interrupt can end the wait
                Call(s_atomicWait);
                FreeAll(operands, address);
                // The wait may have lasted while another thread grew the memory.
                ReloadLength(cache);
                Push(StackKind.I32);
                return true;
            }
        }
        var type = Validation.FunctionValidator.AtomicValueType(opcode) == ValType.I32 ? StackKind.I32 : StackKind.I64;
        if (opcode <= Opcode.I64AtomicLoad32U)
        {
            var address = EmitAtomicAddress(ins, cache, width);
            EmitAtomicPointer(cache, address);
            _il.Emit(OpCodes.Ldc_I4, width);
            Call(s_atomicLoad);
            EmitFromU64(type);
            Free(address);
            Push(type);
            return true;
        }
        int operandCount = opcode >= Opcode.I32AtomicRmwCmpxchg ? 2 : 1;
        var values = SpillTop(operandCount);
        var at = EmitAtomicAddress(ins, cache, width);
        EmitAtomicPointer(cache, at);
        foreach (var value in values)
        {
            _il.Emit(OpCodes.Ldloc, value);
            if (type == StackKind.I32) _il.Emit(OpCodes.Conv_U8);
        }
        _il.Emit(OpCodes.Ldc_I4, width);
        if (opcode <= Opcode.I64AtomicStore32)
        {
            Call(s_atomicStore);
        }
        else if (operandCount == 2)
        {
            Call(s_atomicCmpxchg);
            EmitFromU64(type);
            Push(type);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4, ((int)opcode - (int)Opcode.I32AtomicRmwAdd) / 7);
            Call(s_atomicRmw);
            EmitFromU64(type);
            Push(type);
        }
        FreeAll(values, at);
        return true;
    }

    /// <summary>Pops the address operand, bounds-checks it and traps unless it is aligned to the access width.</summary>
    private LocalBuilder EmitAtomicAddress(in Instruction ins, MemoryCache cache, int width)
    {
        Pop();
        var address = EmitEffectiveAddress(cache, ins.Value, width);
        if (width > 1)
        {
            var aligned = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, address);
            _il.Emit(OpCodes.Ldc_I4, width - 1);
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Brfalse, aligned);
            EmitTrap(TrapKind.UnalignedAtomic);
            _il.MarkLabel(aligned);
        }
        return address;
    }

    private void EmitAtomicPointer(MemoryCache cache, LocalBuilder address)
    {
        _il.Emit(OpCodes.Ldloc, cache.Base);
        _il.Emit(OpCodes.Ldloc, address);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Add);
    }

    private void EmitFromU64(StackKind type)
    {
        if (type == StackKind.I32) _il.Emit(OpCodes.Conv_I4);
    }

    private void FreeAll(LocalBuilder[] temps, LocalBuilder address)
    {
        foreach (var temp in temps) Free(temp);
        Free(address);
    }
}
