using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>
    /// Spec 3.4.2 select without types: both operands must be the same number or vector type (references need the
    /// typed form, whose type a compiler could not otherwise know).
    /// </summary>
    private void Select()
    {
        Pop(ValType.I32);
        var second = Pop();
        var first = Pop();
        if (second.IsRef || first.IsRef)
        {
            throw Error($"type mismatch: instruction requires numeric or vector type but stack has {Format(second.IsRef ? second : first)}");
        }
        if (first.Kind != second.Kind && first.Kind != ValKind.Bottom && second.Kind != ValKind.Bottom)
        {
            throw Error($"type mismatch: instruction requires [{Format(second)} {Format(second)} i32] but stack has [{Format(first)} {Format(second)} i32]");
        }
        Push(first.Kind == ValKind.Bottom ? second : first);
    }

    /// <summary>Spec 3.4.2 select with one declared result type.</summary>
    private void SelectTyped(in Instruction instruction)
    {
        if (instruction.VectorCount != 1) throw Error("invalid result arity other than 1 is not (yet) allowed");
        var reader = new WasmReader(Code) { Position = instruction.VectorOffset };
        var type = CanonicalValType(reader.ReadValType());
        Pop(ValType.I32);
        Pop(type);
        Pop(type);
        Push(type);
    }

    private ValType LocalAt(uint index)
    {
        if (index >= (uint)_localCount) throw Unknown("local", index);
        return _locals[index];
    }

    /// <summary>Spec 3.4.4 local.get: a non-defaultable local must have been set on every path to here.</summary>
    private void LocalGet(uint index)
    {
        var type = LocalAt(index);
        if (!_localInit[index]) throw Error("uninitialized local");
        Push(type);
    }

    /// <summary>Spec 3.4.4 local.set.</summary>
    private void LocalSet(uint index)
    {
        var type = LocalAt(index);
        Pop(type);
        InitializeLocal(index);
    }

    /// <summary>Spec 3.4.4 local.tee: pushes the local's type, not the operand's.</summary>
    private void LocalTee(uint index)
    {
        var type = LocalAt(index);
        Pop(type);
        InitializeLocal(index);
        Push(type);
    }

    /// <summary>Spec A.3 set_local: record a first initialization so the end of the block can undo it.</summary>
    private void InitializeLocal(uint index)
    {
        if (_localInit[index]) return;
        _localInit[index] = true;
        _inits[_initCount++] = (int)index;
    }

    /// <summary>Spec 3.4.4 global.get.</summary>
    private void GlobalGet(uint index) => Push(GlobalAt(index).ValueType);

    /// <summary>Spec 3.4.4 global.set.</summary>
    private void GlobalSet(uint index)
    {
        var type = GlobalAt(index);
        if (!type.Mutable) throw Error("immutable global");
        Pop(type.ValueType);
    }
}
