using System.Reflection.Emit;

using Weft.Runtime;

namespace Weft.Compilation;

// Locals map to IL arguments (parameters) and IL locals; globals to typed fields of the instance (or, for a module
// with many immutable reference globals, slots of its Constants array), or to the typed field of a shared Global cell
// when imported or exported.
internal sealed partial class FunctionCompiler
{
    private void EmitLocalGet(uint index)
    {
        if (index < _paramCount) _il.Emit(OpCodes.Ldarg, (int)index);
        else _il.Emit(OpCodes.Ldloc, _locals[index]!);
        Push(_localKinds[index]);
        SetTopOrigin(LocalOrigin(index));
    }

    private void EmitLocalSet(uint index)
    {
        var value = OriginAt(0);
        Pop();
        if (index < _paramCount) _il.Emit(OpCodes.Starg, (int)index);
        else _il.Emit(OpCodes.Stloc, _locals[index]!);
        NoteLocalWrite(index, value);
    }

    private void EmitLocalTee(uint index)
    {
        var value = OriginAt(0);
        _il.Emit(OpCodes.Dup);
        if (index < _paramCount) _il.Emit(OpCodes.Starg, (int)index);
        else _il.Emit(OpCodes.Stloc, _locals[index]!);
        NoteLocalWrite(index, value);
        SetTopOrigin(LocalOrigin(index));
    }

    private void EmitGlobalGet(uint index)
    {
        var kind = ClrTypes.KindOf(_module.GlobalTypes[index].ValueType);
        EmitLoadContext();
        if (_module.GlobalFields[index] is { } field)
        {
            _il.Emit(OpCodes.Ldfld, field);
        }
        else if (_module.ConstantSlots[index] is var slot and >= 0)
        {
            // An immutable reference global of a module with many (ModuleCompiler.ConstantFieldLimit); never set by code.
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextConstants);
            _il.Emit(OpCodes.Ldc_I4, slot);
            _il.Emit(OpCodes.Ldelem_Ref);
        }
        else
        {
            EmitLoadGlobalCell(index);
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalField(kind));
        }
        Push(kind);
    }

    private void EmitGlobalSet(uint index)
    {
        var kind = Pop();
        var value = Temp(kind);
        _il.Emit(OpCodes.Stloc, value);
        EmitLoadContext();
        if (_module.GlobalFields[index] is { } field)
        {
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, field);
        }
        else
        {
            EmitLoadGlobalCell(index);
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalField(kind));
        }
        Free(value);
    }

    /// <summary>With the context on the stack, replaces it by the Global cell of a global index.</summary>
    private void EmitLoadGlobalCell(uint index)
    {
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextGlobals);
        _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Ldelem_Ref);
    }
}
