using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// What a function needs before its first instruction: a scan of the body (which memories and tables it uses, whom it
// calls directly), then the stack guard, the execution checks and the locals that cache memories and tables.
internal sealed partial class FunctionCompiler
{
    private sealed record Usage(bool[] Memories, bool[] Tables);

    private Usage ScanUsage()
    {
        var memories = new bool[_module.MemoryTypes.Length];
        var tables = new bool[_module.TableTypes.Length];
        var callees = new List<int>();
        var reader = new InstructionReader(Code);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            if (ins.Opcode is Opcode.Call or Opcode.ReturnCall && ins.Index >= _module.ImportedFunctionCount
                && ins.Index < _module.ImportedFunctionCount + _module.Methods.Length) // not a part of a split function
            {
                callees.Add((int)ins.Index - _module.ImportedFunctionCount);
            }
            switch (OpcodeTable.Get(ins.Opcode).Immediates)
            {
                case ImmediateKind.MemArg:
                case ImmediateKind.MemArgLane:
                case ImmediateKind.Memory:
                    memories[ins.Index] = true;
                    break;
                case ImmediateKind.MemoryCopy:
                    memories[ins.Index] = true;
                    memories[ins.Index2] = true;
                    break;
                case ImmediateKind.MemoryInit:
                    memories[ins.Index2] = true;
                    break;
                case ImmediateKind.Table:
                    tables[ins.Index] = true;
                    break;
                case ImmediateKind.CallIndirect:
                case ImmediateKind.TableInit:
                    tables[ins.Index2] = true;
                    break;
                case ImmediateKind.TableCopy:
                    tables[ins.Index] = true;
                    tables[ins.Index2] = true;
                    break;
            }
        }
        // A split function's parts call for it: their callees are its callees.
        ref var known = ref _module.Callees[_functionIndex - _module.ImportedFunctionCount];
        known = _outlined && known is not null ? [.. known.Concat(callees).Distinct()] : [.. callees.Distinct()];
        return new Usage(memories, tables);
    }

    private void EmitPrologue(Usage usage)
    {
        if (_outlined)
        {
            // Entered only from its own function, which made the stack, fuel and interrupt checks for it: a split
            // function counts as one frame and one entry, as it did before the split.
            EmitCaches(usage);
            return;
        }
        // A leaf cannot recurse: the headroom the store keeps below the limit covers its small frame, and without
        // the guard's address-taken probe RyuJIT may give it no frame at all (LeafFunctions).
        if (_module.Leaves[_functionIndex - _module.ImportedFunctionCount] != LeafKind.None || Forwarding is not null)
        {
            EmitExecutionChecks();
            EmitCaches(usage);
            return;
        }
        // Stack guard: compare this frame's address with the limit the store computed for the running thread.
        var probe = _il.DeclareLocal(typeof(byte));
        var enough = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloca, probe);
        _il.Emit(OpCodes.Conv_U);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStackLimit);
        _il.Emit(OpCodes.Bge_Un, enough);
        EmitTrap(TrapKind.CallStackExhausted);
        _il.MarkLabel(enough);
        EmitExecutionChecks();
        EmitCaches(usage);
    }

    private void EmitCaches(Usage usage)
    {
        EmitLoadTables(usage.Tables);

        _memories = new MemoryCache?[usage.Memories.Length];
        for (int m = 0; m < usage.Memories.Length; m++)
        {
            if (!usage.Memories[m]) continue;
            var cache = new MemoryCache
            {
                Memory = _il.DeclareLocal(typeof(Memory)),
                Base = _il.DeclareLocal(typeof(byte*)),
                Length = _il.DeclareLocal(typeof(ulong)),
                Is64 = _module.MemoryTypes[m].Limits.AddressType == AddressType.I64,
                PageSizeLog2 = _module.MemoryTypes[m].PageSizeLog2,
                Shared = _module.MemoryTypes[m].Limits.Shared,
            };
            _memories[m] = cache;
            EmitFillCache((uint)m, cache);
        }
    }
}
