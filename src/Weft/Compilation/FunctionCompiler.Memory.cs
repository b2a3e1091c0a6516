using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Linear memory. A function that touches memory m keeps m's base address and current length in IL locals, reloaded
// after calls and memory.grow (the length may have grown; the base of a memory lent as an array moves when it is lent
// or grows, Memory.Managed.cs), so an access is an add, a compare against a register and the load itself. Every access
// is bounds-checked unless an earlier check or a constant address proves it in range (FunctionCompiler.BoundsChecks.cs):
// .NET cannot turn a fault into a trap.
internal sealed partial class FunctionCompiler
{
    private sealed class MemoryCache
    {
        public required LocalBuilder Memory;
        public required LocalBuilder Base;
        public required LocalBuilder Length;
        public required bool Is64;

        /// <summary>log2 of the page size (custom-page-sizes): memory.size is the length shifted right by it.</summary>
        public required int PageSizeLog2;

        /// <summary>A shared memory's base never moves (it is never lent as an array): only its length is reloaded.</summary>
        public required bool Shared;
    }

    private MemoryCache?[] _memories = [];

    /// <summary>Loads memory m, its base and its length into the cache's locals.</summary>
    private void EmitFillCache(uint index, MemoryCache cache)
    {
        EmitLoadMemory(index);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, cache.Memory);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryBase);
        _il.Emit(OpCodes.Stloc, cache.Base);
        _il.Emit(OpCodes.Ldloc, cache.Memory);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryLength);
        _il.Emit(OpCodes.Stloc, cache.Length);
    }

    private void EmitLoadMemory(uint index)
    {
        EmitLoadContext();
        if (index == 0)
        {
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextMemory0);
            return;
        }
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextMemories);
        _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    /// <summary>Memory may have grown during a call: refresh the cached lengths (and bases, which move for memories lent as arrays).</summary>
    private void ReloadMemoryLengths()
    {
        foreach (var cache in _memories)
        {
            if (cache is null) continue;
            ReloadLength(cache);
        }
    }

    private void ReloadLength(MemoryCache cache)
    {
        if (!cache.Shared)
        {
            _il.Emit(OpCodes.Ldloc, cache.Memory);
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryBase);
            _il.Emit(OpCodes.Stloc, cache.Base);
        }
        _il.Emit(OpCodes.Ldloc, cache.Memory);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryLength);
        _il.Emit(OpCodes.Stloc, cache.Length);
    }

    private bool TryEmitMemory(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.I32Load: EmitLoad(ins, 4, OpCodes.Ldind_I4, null, StackKind.I32); return true;
            case Opcode.I64Load: EmitLoad(ins, 8, OpCodes.Ldind_I8, null, StackKind.I64); return true;
            case Opcode.F32Load: EmitLoad(ins, 4, OpCodes.Ldind_R4, null, StackKind.F32); return true;
            case Opcode.F64Load: EmitLoad(ins, 8, OpCodes.Ldind_R8, null, StackKind.F64); return true;
            case Opcode.I32Load8S: EmitLoad(ins, 1, OpCodes.Ldind_I1, null, StackKind.I32); return true;
            case Opcode.I32Load8U: EmitLoad(ins, 1, OpCodes.Ldind_U1, null, StackKind.I32); return true;
            case Opcode.I32Load16S: EmitLoad(ins, 2, OpCodes.Ldind_I2, null, StackKind.I32); return true;
            case Opcode.I32Load16U: EmitLoad(ins, 2, OpCodes.Ldind_U2, null, StackKind.I32); return true;
            case Opcode.I64Load8S: EmitLoad(ins, 1, OpCodes.Ldind_I1, OpCodes.Conv_I8, StackKind.I64); return true;
            case Opcode.I64Load8U: EmitLoad(ins, 1, OpCodes.Ldind_U1, OpCodes.Conv_U8, StackKind.I64); return true;
            case Opcode.I64Load16S: EmitLoad(ins, 2, OpCodes.Ldind_I2, OpCodes.Conv_I8, StackKind.I64); return true;
            case Opcode.I64Load16U: EmitLoad(ins, 2, OpCodes.Ldind_U2, OpCodes.Conv_U8, StackKind.I64); return true;
            case Opcode.I64Load32S: EmitLoad(ins, 4, OpCodes.Ldind_I4, OpCodes.Conv_I8, StackKind.I64); return true;
            case Opcode.I64Load32U: EmitLoad(ins, 4, OpCodes.Ldind_U4, OpCodes.Conv_U8, StackKind.I64); return true;
            case Opcode.I32Store: EmitStore(ins, 4, OpCodes.Stind_I4, null); return true;
            case Opcode.I64Store: EmitStore(ins, 8, OpCodes.Stind_I8, null); return true;
            case Opcode.F32Store: EmitStore(ins, 4, OpCodes.Stind_R4, null); return true;
            case Opcode.F64Store: EmitStore(ins, 8, OpCodes.Stind_R8, null); return true;
            case Opcode.I32Store8: EmitStore(ins, 1, OpCodes.Stind_I1, null); return true;
            case Opcode.I32Store16: EmitStore(ins, 2, OpCodes.Stind_I2, null); return true;
            case Opcode.I64Store8: EmitStore(ins, 1, OpCodes.Stind_I1, OpCodes.Conv_I4); return true;
            case Opcode.I64Store16: EmitStore(ins, 2, OpCodes.Stind_I2, OpCodes.Conv_I4); return true;
            case Opcode.I64Store32: EmitStore(ins, 4, OpCodes.Stind_I4, OpCodes.Conv_I4); return true;
            case Opcode.MemorySize: EmitMemorySize(ins.Index); return true;
            case Opcode.MemoryGrow: EmitMemoryGrow(ins.Index); return true;
            case Opcode.MemoryFill: EmitMemoryFill(ins.Index); return true;
            case Opcode.MemoryCopy: EmitMemoryCopy(ins.Index, ins.Index2); return true;
            case Opcode.MemoryInit: EmitMemoryInit(ins.Index, ins.Index2); return true;
            case Opcode.DataDrop: EmitDataDrop(ins.Index); return true;
            default: return false;
        }
    }

    private void EmitLoad(in Instruction ins, int size, OpCode load, OpCode? widen, StackKind result)
    {
        bool check = PlanCheck(ins, size, depth: 0, isLoad: true, out ulong checkOffset);
        Pop();
        var address = EmitAccessPointer(_memories[ins.Index]!, ins.Value, size, check, checkOffset);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(load);
        if (widen is { } w) _il.Emit(w);
        if (address is not null) Free(address);
        Push(result);
        NoteLoadedRange(load, result);
    }

    private void EmitStore(in Instruction ins, int size, OpCode store, OpCode? narrow)
    {
        bool check = PlanCheck(ins, size, depth: 1, isLoad: false, out ulong checkOffset);
        var kind = Pop();
        var value = Temp(kind);
        _il.Emit(OpCodes.Stloc, value);
        Pop();
        var address = EmitAccessPointer(_memories[ins.Index]!, ins.Value, size, check, checkOffset);
        _il.Emit(OpCodes.Ldloc, value);
        if (narrow is { } n) _il.Emit(n);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(store);
        Free(value);
        if (address is not null) Free(address);
    }

    /// <summary>
    /// With the address operand on the stack, leaves the native pointer of the access in its place: straight from the
    /// stack for an unchecked 32-bit access (<see cref="AddressOnStack"/>), else through the checked u64 temporary of
    /// <see cref="EmitEffectiveAddress"/>, which it returns for the caller to free after the access.
    /// </summary>
    private LocalBuilder? EmitAccessPointer(MemoryCache cache, ulong offset, int size, bool check, ulong checkOffset)
    {
        if (AddressOnStack && !cache.Is64 && !check)
        {
            EmitNativeAddress32(cache, offset);
            return null;
        }
        var address = EmitEffectiveAddress(cache, offset, size, check, checkOffset);
        _il.Emit(OpCodes.Ldloc, cache.Base);
        _il.Emit(OpCodes.Ldloc, address);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Add);
        return address;
    }

    /// <summary>
    /// Whether 32-bit loads and stores keep their address on the IL stack (WEFT_ADDRESS_ON_STACK=0: through a reused
    /// temporary, as before). A load tree left on the stack that reads a reused address temporary must be spilled by
    /// RyuJIT's importer when the next access writes that temporary, and those spill temporaries stayed in the frame:
    /// nettle-aes's table look-ups each went through a store and a reload (docs/RATIONALE.md "Memory addresses stay on
    /// the IL stack").
    /// </summary>
    internal static bool AddressOnStack = Environment.GetEnvironmentVariable("WEFT_ADDRESS_ON_STACK") != "0";

    /// <summary>
    /// With a 32-bit memory's address operand on the stack, leaves base + address + offset (a native pointer) in its
    /// place, for an access that needs no check, with no local in between. (A checked access keeps the temporary: its
    /// compare-and-branch ends a basic block, where RyuJIT spills the operand stack anyway, and measured no better.)
    /// </summary>
    private void EmitNativeAddress32(MemoryCache cache, ulong offset)
    {
        _il.Emit(OpCodes.Conv_U8);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Ldloc, cache.Base);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>
    /// With the address operand on the stack, computes address + offset into a u64 temporary and, when
    /// <paramref name="check"/>, traps unless <paramref name="size"/> bytes from address + <paramref name="checkOffset"/>
    /// (at least offset: a check may cover later accesses, see FunctionCompiler.BoundsChecks.cs) lie inside the
    /// memory. Returns the temporary (caller frees it).
    /// </summary>
    private LocalBuilder EmitEffectiveAddress(MemoryCache cache, ulong offset, int size, bool check = true, ulong checkOffset = ulong.MaxValue)
    {
        if (checkOffset == ulong.MaxValue) checkOffset = offset;
        var address = Temp(typeof(ulong));
        var ok = _il.DefineLabel();
        if (!cache.Is64)
        {
            // address + offset < 2^33, so compare it, signed, with length - size: that difference is loop-invariant
            // (RyuJIT hoists it into a register) and negative only for an empty memory, where every access traps.
            _il.Emit(OpCodes.Conv_U8);
            if (offset != 0)
            {
                _il.Emit(OpCodes.Ldc_I8, (long)offset);
                _il.Emit(OpCodes.Add);
            }
            if (!check)
            {
                _il.Emit(OpCodes.Stloc, address);
                return address;
            }
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Stloc, address);
            if (checkOffset != offset)
            {
                // Both are below 2^33 (offsets of 32-bit memories are u32; a covering end is at most 2^32 + 8).
                _il.Emit(OpCodes.Ldc_I8, (long)(checkOffset - offset));
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Ldloc, cache.Length);
            _il.Emit(OpCodes.Ldc_I8, (long)size);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ble, ok);
            EmitTrap(TrapKind.OutOfBoundsMemoryAccess);
            _il.MarkLabel(ok);
            return address;
        }
        if (!check)
        {
            if (offset != 0)
            {
                _il.Emit(OpCodes.Ldc_I8, (long)offset);
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Stloc, address);
            return address;
        }
        var fail = _il.DefineLabel();
        var raw = Temp(typeof(ulong));
        _il.Emit(OpCodes.Stloc, raw);
        var tested = checkOffset == offset ? address : Temp(typeof(ulong));
        _il.Emit(OpCodes.Ldloc, raw);
        if (checkOffset != 0)
        {
            // raw + checkOffset must not wrap around.
            _il.Emit(OpCodes.Ldc_I8, (long)checkOffset);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Stloc, tested);
            _il.Emit(OpCodes.Ldloc, raw);
            _il.Emit(OpCodes.Blt_Un, fail);
        }
        else
        {
            _il.Emit(OpCodes.Stloc, tested);
        }
        // tested <= length && length - tested >= size
        _il.Emit(OpCodes.Ldloc, tested);
        _il.Emit(OpCodes.Ldloc, cache.Length);
        _il.Emit(OpCodes.Bgt_Un, fail);
        _il.Emit(OpCodes.Ldloc, cache.Length);
        _il.Emit(OpCodes.Ldloc, tested);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(OpCodes.Bge_Un, ok);
        _il.MarkLabel(fail);
        EmitTrap(TrapKind.OutOfBoundsMemoryAccess);
        _il.MarkLabel(ok);
        if (tested != address)
        {
            // raw + offset <= raw + checkOffset, which did not wrap.
            _il.Emit(OpCodes.Ldloc, raw);
            if (offset != 0)
            {
                _il.Emit(OpCodes.Ldc_I8, (long)offset);
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Stloc, address);
            Free(tested);
        }
        Free(raw);
        return address;
    }

    private void EmitMemorySize(uint index)
    {
        var cache = _memories[index]!;
        _il.Emit(OpCodes.Ldloc, cache.Length);
        if (cache.PageSizeLog2 != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, cache.PageSizeLog2);
            _il.Emit(OpCodes.Shr_Un);
        }
        if (!cache.Is64) _il.Emit(OpCodes.Conv_I4);
        Push(cache.Is64 ? StackKind.I64 : StackKind.I32);
    }

    private static readonly MethodInfo s_grow = RuntimeMembers.Method(typeof(MemoryOps), nameof(MemoryOps.Grow));
    private static readonly MethodInfo s_fill = RuntimeMembers.Method(typeof(MemoryOps), nameof(MemoryOps.Fill));
    private static readonly MethodInfo s_copy = RuntimeMembers.Method(typeof(MemoryOps), nameof(MemoryOps.Copy));
    private static readonly MethodInfo s_init = RuntimeMembers.Method(typeof(MemoryOps), nameof(MemoryOps.Init));

    private void EmitMemoryGrow(uint index)
    {
        var cache = _memories[index]!;
        EmitToU64(Pop());
        _il.Emit(OpCodes.Ldloc, cache.Memory);
        Call(s_grow);
        if (!cache.Is64) _il.Emit(OpCodes.Conv_I4);
        Push(cache.Is64 ? StackKind.I64 : StackKind.I32);
        ReloadLength(cache);
    }

    private void EmitMemoryFill(uint index)
    {
        WidenTopToU64(3, except: 1);
        _il.Emit(OpCodes.Ldloc, _memories[index]!.Memory);
        EmitLoadMeter();
        Call(s_fill);
        Pop(3);
    }

    private void EmitMemoryCopy(uint destination, uint source)
    {
        WidenTopToU64(3);
        _il.Emit(OpCodes.Ldloc, _memories[destination]!.Memory);
        _il.Emit(OpCodes.Ldloc, _memories[source]!.Memory);
        EmitLoadMeter();
        Call(s_copy);
        Pop(3);
    }

    private void EmitMemoryInit(uint dataIndex, uint memory)
    {
        WidenTopToU64(3);
        _il.Emit(OpCodes.Ldloc, _memories[memory]!.Memory);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextData);
        _il.Emit(OpCodes.Ldc_I4, (int)dataIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
        EmitLoadMeter();
        Call(s_init);
        Pop(3);
    }

    private void EmitDataDrop(uint dataIndex)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextData);
        _il.Emit(OpCodes.Ldc_I4, (int)dataIndex);
        _il.Emit(OpCodes.Call, typeof(Array).GetMethod(nameof(Array.Empty))!.MakeGenericMethod(typeof(byte)));
        _il.Emit(OpCodes.Stelem_Ref);
    }

    /// <summary>Converts the i32 or i64 on top of the stack to a u64 (i32 zero-extended).</summary>
    private void EmitToU64(StackKind kind)
    {
        if (kind == StackKind.I32) _il.Emit(OpCodes.Conv_U8);
    }

    /// <summary>
    /// Rewrites the top <paramref name="count"/> integer operands as u64 (i32s zero-extended) so one runtime helper
    /// serves 32- and 64-bit memories and tables. The operand at depth <paramref name="except"/> (from the top) is left
    /// as it is. The mirrored stack is unchanged; the caller pops it.
    /// </summary>
    private void WidenTopToU64(int count, int except = -1)
    {
        bool any = false;
        for (int d = 0; d < count; d++) any |= d != except && Peek(d) == StackKind.I32;
        if (!any) return;
        var kinds = _stack.Skip(_stack.Count - count).ToArray();
        var temps = new LocalBuilder[count];
        for (int i = count - 1; i >= 0; i--)
        {
            temps[i] = Temp(kinds[i]);
            _il.Emit(OpCodes.Stloc, temps[i]);
        }
        for (int i = 0; i < count; i++)
        {
            _il.Emit(OpCodes.Ldloc, temps[i]);
            if (count - 1 - i != except && kinds[i] == StackKind.I32) _il.Emit(OpCodes.Conv_U8);
            Free(temps[i]);
        }
    }
}
