using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>Spec 3.4.3 ref.null.</summary>
    private void RefNull(HeapType heap) => Push(ValType.Ref(CanonicalHeapType(heap), nullable: true));

    /// <summary>Spec 3.4.3 ref.is_null.</summary>
    private void RefIsNull()
    {
        PopRef();
        Push(ValType.I32);
    }

    /// <summary>
    /// Spec 3.4.3 ref.func: outside constant expressions the function must be declared (spec 3.4.10 C.refs), so
    /// that a compiler knows up front which functions need a reference object.
    /// </summary>
    private void RefFunc(uint function)
    {
        var type = FunctionAt(function);
        if (!_module.IsDeclared(function)) throw Error($"undeclared function reference {function}");
        Push(type.Ref(nullable: false));
    }

    /// <summary>Spec 3.4.3 ref.eq.</summary>
    private void RefEq()
    {
        Pop([ValType.EqRef, ValType.EqRef]);
        Push(ValType.I32);
    }

    /// <summary>Spec 3.4.3 ref.as_non_null.</summary>
    private void RefAsNonNull()
    {
        var type = PopRef();
        Push(type.WithNullable(false));
    }

    /// <summary>Spec 3.4.9 br_on_null: branches on null; otherwise the operand continues as non-null.</summary>
    private void BrOnNull(uint label)
    {
        int depth = Label(label);
        var type = PopRef();
        var types = LabelTypes(depth);
        Pop(types);
        Push(types);
        Push(type.WithNullable(false));
    }

    /// <summary>Spec 3.4.9 br_on_non_null: the label's last type receives the non-null operand.</summary>
    private void BrOnNonNull(uint label)
    {
        int depth = Label(label);
        var types = LabelTypes(depth);
        if (types.Length == 0 || !types[^1].IsRef)
        {
            throw Error($"type mismatch: instruction requires reference type but label has {Format(types)}");
        }
        Pop(ValType.Ref(types[^1].Heap, nullable: true));
        var rest = types[..^1];
        Pop(rest);
        Push(rest);
    }

    /// <summary>Spec 3.4.3 ref.test: the operand may be any reference of the target's hierarchy.</summary>
    private void RefTest(HeapType heap)
    {
        var target = CanonicalHeapType(heap);
        Pop(ValType.Ref(Subtyping.TopOf(target), nullable: true));
        Push(ValType.I32);
    }

    /// <summary>Spec 3.4.3 ref.cast.</summary>
    private void RefCast(HeapType heap, bool nullable)
    {
        var target = CanonicalHeapType(heap);
        Pop(ValType.Ref(Subtyping.TopOf(target), nullable: true));
        Push(ValType.Ref(target, nullable));
    }

    /// <summary>
    /// Spec 3.4.9 br_on_cast / br_on_cast_fail l rt1 rt2: rt2 must match rt1; the branch carries rt2 (or, for _fail,
    /// rt1 minus rt2) and the fall-through the other one.
    /// </summary>
    private void BrOnCast(in Instruction instruction, bool fail)
    {
        var from = ValType.Ref(CanonicalHeapType(instruction.HeapType), (instruction.Byte & 1) != 0);
        var to = ValType.Ref(CanonicalHeapType(instruction.HeapType2), (instruction.Byte & 2) != 0);
        if (!Subtyping.MatchesRef(to, from))
        {
            throw Error($"type mismatch on cast: type {Format(to)} does not match {Format(from)}");
        }
        int depth = Label(instruction.Index);
        var types = LabelTypes(depth);
        // The difference rt1 \ rt2: what is left of rt1 when the cast to rt2 failed.
        var difference = to.Nullable ? from.WithNullable(false) : from;
        var branch = fail ? difference : to;
        if (types.Length == 0 || !Subtyping.Matches(branch, types[^1]))
        {
            throw Error($"type mismatch: instruction requires type {Format(branch)} but label has {Format(types)}");
        }
        Pop(from);
        var rest = types[..^1];
        Pop(rest);
        Push(rest);
        Push(fail ? to : difference);
    }

    /// <summary>Spec 3.4.3 any.convert_extern / extern.convert_any: nullability carries over.</summary>
    private void ConvertReference(HeapType from, HeapType to)
    {
        var actual = Pop(ValType.Ref(from, nullable: true));
        bool nullable = actual.Kind == ValKind.Ref && actual.Nullable;
        Push(ValType.Ref(to, nullable));
    }

    /// <summary>Spec 3.4.3 ref.i31.</summary>
    private void RefI31()
    {
        Pop(ValType.I32);
        Push(ValType.Ref(HeapType.I31, nullable: false));
    }

    /// <summary>Spec 3.4.3 i31.get_s / i31.get_u.</summary>
    private void I31Get()
    {
        Pop(ValType.I31Ref);
        Push(ValType.I32);
    }
}
