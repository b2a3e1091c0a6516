using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Tables: the instructions call small runtime helpers that check bounds; call_indirect inlines its own path.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_tableGet = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Get));
    private static readonly MethodInfo s_tableSet = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Set));
    private static readonly MethodInfo s_tableSize = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Size));
    private static readonly MethodInfo s_tableGrow = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Grow));
    private static readonly MethodInfo s_tableFill = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Fill));
    private static readonly MethodInfo s_tableCopy = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Copy));
    private static readonly MethodInfo s_tableInit = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.Init));

    private bool IsTable64(uint index) => _module.TableTypes[index].Limits.AddressType == AddressType.I64;

    // A table object never changes for an instance (growing replaces its element array, not the table), so a
    // function keeps the tables it uses in locals loaded once at entry.
    private LocalBuilder?[] _tables = [];

    private void EmitLoadTables(bool[] used)
    {
        _tables = new LocalBuilder?[used.Length];
        for (int t = 0; t < used.Length; t++)
        {
            if (!used[t]) continue;
            _tables[t] = _il.DeclareLocal(typeof(Table));
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextTables);
            _il.Emit(OpCodes.Ldc_I4, t);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Stloc, _tables[t]!);
        }
    }

    private void EmitLoadTable(uint index) => _il.Emit(OpCodes.Ldloc, _tables[index]!);

    private void EmitTableGet(uint index)
    {
        EmitToU64(Pop());
        EmitLoadTable(index);
        Call(s_tableGet);
        Push(StackKind.Ref);
    }

    private void EmitTableSet(uint index)
    {
        WidenTopToU64(2, except: 0);
        EmitLoadTable(index);
        Call(s_tableSet);
        Pop(2);
    }

    private void EmitTableSize(uint index)
    {
        EmitLoadTable(index);
        Call(s_tableSize);
        if (!IsTable64(index)) _il.Emit(OpCodes.Conv_I4);
        Push(IsTable64(index) ? StackKind.I64 : StackKind.I32);
    }

    private void EmitTableGrow(uint index)
    {
        WidenTopToU64(2, except: 1);
        EmitLoadTable(index);
        Call(s_tableGrow);
        Pop(2);
        if (!IsTable64(index)) _il.Emit(OpCodes.Conv_I4);
        Push(IsTable64(index) ? StackKind.I64 : StackKind.I32);
    }

    private void EmitTableFill(uint index)
    {
        WidenTopToU64(3, except: 1);
        EmitLoadTable(index);
        EmitLoadMeter();
        Call(s_tableFill);
        Pop(3);
    }

    private void EmitTableCopy(uint destination, uint source)
    {
        WidenTopToU64(3);
        EmitLoadTable(destination);
        EmitLoadTable(source);
        EmitLoadMeter();
        Call(s_tableCopy);
        Pop(3);
    }

    private void EmitTableInit(uint element, uint table)
    {
        WidenTopToU64(3);
        EmitLoadTable(table);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextElements);
        _il.Emit(OpCodes.Ldc_I4, (int)element);
        _il.Emit(OpCodes.Ldelem_Ref);
        EmitLoadMeter();
        Call(s_tableInit);
        Pop(3);
    }

    private void EmitElemDrop(uint element)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextElements);
        _il.Emit(OpCodes.Ldc_I4, (int)element);
        _il.Emit(OpCodes.Call, typeof(Array).GetMethod(nameof(Array.Empty))!.MakeGenericMethod(typeof(object)));
        _il.Emit(OpCodes.Stelem_Ref);
    }
}
