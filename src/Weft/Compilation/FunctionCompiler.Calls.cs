using System.Reflection;
using System.Reflection.Emit;
using Weft.Syntax;

using Weft.Runtime;

namespace Weft.Compilation;

// Calls. Every function is a static method taking the wasm parameters and then a context: direct calls to the
// module's own functions are IL calls; anything else goes through a Function object's entry point with calli.
// return_call* use the IL tail. prefix, which RyuJIT honours in constant stack.
internal sealed partial class FunctionCompiler
{
    private void EmitCall(uint functionIndex, bool tail)
    {
        if (functionIndex >= _module.FunctionTypes.Length)
        {
            EmitCallOutlined(_module.Outlined(functionIndex));
            return;
        }
        var type = _module.FunctionTypes[functionIndex];
        if (functionIndex < _module.ImportedFunctionCount && TryEmitBuiltinCall(functionIndex, type, tail)) return;
        if (tail) DropBelowArguments(type.Params.Count);
        bool checkPending = false;
        if (functionIndex >= _module.ImportedFunctionCount)
        {
            int callee = (int)functionIndex - _module.ImportedFunctionCount;
            // A protocol body calls a protocol callee's body and tests for a pending exception after it; a tail call
            // needs no test (the caller's caller makes it). Anything else calls the entry, which throws.
            bool pending = _protocol && _module.MayLeavePending[callee];
            var method = pending ? _module.Bodies[callee]! : _module.Methods[callee];
            // A forwarder's inlinable clone (CallRefTargets.ForwarderFor); its own code never calls it.
            if (!pending && !tail && !_outlined && Forwarding is null && _module.CallRefs.ForwarderFor(callee) is { } forwarder) method = forwarder;
            if (pending && !tail) checkPending = true;
            void EmitDirect()
            {
                EmitLoadContext();
                if (tail) _il.Emit(OpCodes.Tailcall);
                else EmitBeforeCall();
                _il.Emit(OpCodes.Call, method);
            }
            if (tail && InRegion) EmitTailCallFromRegion(type.Params.Count, EmitDirect);
            else EmitDirect();
        }
        else
        {
            var function = Temp(typeof(Function));
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextFunctions);
            _il.Emit(OpCodes.Ldc_I4, (int)functionIndex);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Stloc, function);
            EmitCallFunctionObject(function, type, tail);
            Free(function);
        }
        FinishCall(type, tail);
        if (checkPending) EmitPendingTest();
    }

    // A part of this function split out by FunctionSplitter: a plain call, never a tail call, never from a try block
    // that could catch what it throws.
    private void EmitCallOutlined((FuncType Type, MethodInfo Method) part)
    {
        EmitLoadContext();
        EmitBeforeCall();
        _il.Emit(OpCodes.Call, part.Method);
        FinishCall(part.Type, tail: false);
    }

    private void EmitCallIndirect(uint typeIndex, uint tableIndex, bool tail)
    {
        var type = _module.FuncTypeAt(typeIndex);
        var index = Temp(typeof(ulong));
        var table = Temp(typeof(Table));
        var function = Temp(typeof(Function));
        EmitToU64(Pop());
        _il.Emit(OpCodes.Stloc, index);
        if (tail) DropBelowArguments(type.Params.Count);

        EmitLoadTable(tableIndex);
        _il.Emit(OpCodes.Stloc, table);
        var inBounds = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldloc, table);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.TableLength);
        _il.Emit(OpCodes.Blt_Un, inBounds);
        EmitTrap(TrapKind.UndefinedElement);
        _il.MarkLabel(inBounds);

        // The index is below Length, which never exceeds the array's capacity: read the element without the
        // array's own bounds check.
        _il.Emit(OpCodes.Ldloc, table);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.TableElements);
        Call(RuntimeMembers.ArrayDataReference);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Sizeof, typeof(object));
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_Ref);
        _il.Emit(OpCodes.Stloc, function);

        var notNull = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, function);
        _il.Emit(OpCodes.Brtrue, notNull);
        _il.Emit(OpCodes.Ldloc, index);
        Call(RuntimeMembers.CreateUninitializedElement);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(notNull);

        // The common case is one compare of the function's canonical type id with a constant; subtypes take the
        // slow path (canonical types are engine-wide, so the id is known when compiling).
        var typeMatches = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, function);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionTypeId);
        _il.Emit(OpCodes.Ldc_I4, (int)_module.Valid.Types[(int)typeIndex].Id);
        _il.Emit(OpCodes.Beq, typeMatches);
        _il.Emit(OpCodes.Ldloc, function);
        EmitLoadCanonicalType(typeIndex);
        Call(RuntimeMembers.CheckIndirectCall);
        _il.MarkLabel(typeMatches);

        EmitCallFunctionObject(function, type, tail);
        Free(function);
        Free(table);
        Free(index);
        FinishCall(type, tail);
    }

    private void EmitCallRef(uint typeIndex, bool tail)
    {
        var type = _module.FuncTypeAt(typeIndex);
        var function = Temp(typeof(Function));
        bool knownNonNull = TopKnownNonNull();
        var source = TopReadFromField();
        Pop();
        _il.Emit(OpCodes.Stloc, function);
        if (tail) DropBelowArguments(type.Params.Count);
        if (!knownNonNull)
        {
            var notNull = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, function);
            _il.Emit(OpCodes.Brtrue, notNull);
            EmitTrap(TrapKind.NullFunctionReference);
            _il.MarkLabel(notNull);
        }
        if (tail || !TryEmitGuardedCalls(typeIndex, function, type, source)) EmitCallFunctionObject(function, type, tail);
        Free(function);
        FinishCall(type, tail);
    }

    private void EmitLoadCanonicalType(uint typeIndex)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextTypes);
        _il.Emit(OpCodes.Ldc_I4, (int)typeIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    /// <summary>Calls a function object held in a local: its context as last argument, then calli its code.</summary>
    private void EmitCallFunctionObject(LocalBuilder function, FuncType type, bool tail)
    {
        if (tail && InRegion)
        {
            EmitTailCallFromRegion(type.Params.Count, () => EmitCallFunctionObject(function, type, tail: true));
            return;
        }
        _il.Emit(OpCodes.Ldloc, function);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionContext);
        _il.Emit(OpCodes.Ldloc, function);
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionCode);
        if (tail) _il.Emit(OpCodes.Tailcall);
        else EmitBeforeCall();
        _il.EmitCalli(OpCodes.Calli, System.Reflection.CallingConventions.Standard,
            ClrTypes.ReturnType(type.Results), ClrTypes.ParameterTypes(type.Params, typeof(object)), null);
    }

    /// <summary>A tail call needs the arguments alone on the stack: drop whatever lies below them.</summary>
    private void DropBelowArguments(int argumentCount)
    {
        int extra = _stack.Count - argumentCount;
        // Inside a protected region the call is made from a pad after a leave, which empties the stack anyway.
        if (extra <= 0 || InRegion) return;
        // The mirrored stack keeps the dropped values: the code after the call is dead, but the ends of the
        // enclosing blocks still expect their heights.
        var saved = _stack.ToArray();
        var kinds = _stack.Skip(extra).ToArray();
        var temps = SpillTop(argumentCount);
        for (int i = 0; i < extra; i++)
        {
            Pop();
            _il.Emit(OpCodes.Pop);
        }
        Reload(temps, kinds);
        _stack.Clear();
        _stack.AddRange(saved);
    }

    private void FinishCall(FuncType type, bool tail)
    {
        Pop(type.Params.Count);
        if (tail)
        {
            // From inside a region the pad that made the call returns; ret is not allowed in a region.
            if (!InRegion) _il.Emit(OpCodes.Ret);
            Top.Unreachable = true;
            return;
        }
        var results = type.Results.Select(ClrTypes.KindOf).ToArray();
        if (results.Length > 1) EmitUnpackTuple(results);
        else if (results.Length == 1) Push(results[0]);
        ReloadMemoryLengths();
    }
}
