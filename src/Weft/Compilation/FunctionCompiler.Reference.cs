using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;

namespace Weft.Compilation;

// References are objects on the IL stack; null is null.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_refEq = RuntimeMembers.Method(typeof(TableOps), nameof(TableOps.RefEq));

    private void EmitRefIsNull()
    {
        Pop();
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Ceq);
        Push(StackKind.I32);
    }

    private void EmitRefFunc(uint index)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextFunctions);
        _il.Emit(OpCodes.Ldc_I4, (int)index);
        _il.Emit(OpCodes.Ldelem_Ref);
        Push(StackKind.Ref);
    }

    private void EmitRefAsNonNull()
    {
        if (TopKnownNonNull()) return;
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, ok);
        EmitTrap(TrapKind.NullReference);
        _il.MarkLabel(ok);
    }

    private void EmitRefEq()
    {
        Pop(2);
        Call(s_refEq);
        Push(StackKind.I32);
    }

    private void EmitBrOnNull(uint depth)
    {
        var notNull = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, notNull);
        _il.Emit(OpCodes.Pop);
        Pop();
        EmitBranchTo(FrameAt(depth));
        Push(StackKind.Ref);
        _il.MarkLabel(notNull);
    }

    private void EmitBrOnNonNull(uint depth)
    {
        var isNull = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brfalse, isNull);
        EmitBranchTo(FrameAt(depth));
        _il.MarkLabel(isNull);
        _il.Emit(OpCodes.Pop);
        Pop();
    }
}
