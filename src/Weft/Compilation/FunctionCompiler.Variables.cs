using System.Reflection.Emit;

namespace Weft.Compilation;

// Locals map to IL arguments (parameters) and IL locals; globals to typed fields of the instance, or to the typed
// field of a shared Global cell when imported or exported.
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Stores the default value in every declared local at entry. The IL locals are zeroed anyway, but a local RyuJIT
    /// sees no definition for before the body stays in its stack slot, and a loop that accumulates into it then pays a
    /// store and a load per iteration; with the explicit store the local lives in a register.
    /// </summary>
    private void EmitZeroLocals()
    {
        for (int i = _paramCount; i < _localKinds.Length; i++)
        {
            switch (_localKinds[i])
            {
                case StackKind.I32: _il.Emit(OpCodes.Ldc_I4_0); break;
                case StackKind.I64: _il.Emit(OpCodes.Ldc_I8, 0L); break;
                case StackKind.F32: _il.Emit(OpCodes.Ldc_R4, 0f); break;
                case StackKind.F64: _il.Emit(OpCodes.Ldc_R8, 0d); break;
                case StackKind.V128: Call(s_vectorZero); break;
                default: _il.Emit(OpCodes.Ldnull); break;
            }
            _il.Emit(OpCodes.Stloc, _locals[i]!);
        }
    }

    private static readonly System.Reflection.MethodInfo s_vectorZero = ClrTypes.V128.GetProperty(nameof(System.Runtime.Intrinsics.Vector128<byte>.Zero))!.GetMethod!;

    private void EmitLocalGet(uint index)
    {
        if (index < _paramCount) _il.Emit(OpCodes.Ldarg, (int)index);
        else _il.Emit(OpCodes.Ldloc, _locals[index]!);
        Push(_localKinds[index]);
    }

    private void EmitLocalSet(uint index)
    {
        Pop();
        if (index < _paramCount) _il.Emit(OpCodes.Starg, (int)index);
        else _il.Emit(OpCodes.Stloc, _locals[index]!);
    }

    private void EmitLocalTee(uint index)
    {
        _il.Emit(OpCodes.Dup);
        if (index < _paramCount) _il.Emit(OpCodes.Starg, (int)index);
        else _il.Emit(OpCodes.Stloc, _locals[index]!);
    }

    private void EmitGlobalGet(uint index)
    {
        var kind = ClrTypes.KindOf(_module.GlobalTypes[index].ValueType);
        EmitLoadContext();
        if (_module.GlobalFields[index] is { } field)
        {
            _il.Emit(OpCodes.Ldfld, field);
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
