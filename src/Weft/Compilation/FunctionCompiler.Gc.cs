using System.Reflection;
using System.Reflection.Emit;
using Weft.Gc;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Compilation;

// GC instructions (spec 4.4.3 "aggregate reference instructions", 4.4.2 casts). A struct is an instance of its
// canonical type's CLR class, an array a GcArray<T> over a typed .NET array, an i31 an I31Ref. The immediates name the
// static type, and validation guarantees the operand has it, so field and element access need no cast: a null check,
// then ldfld / ldelem (arrays with their own bounds check, which RyuJIT then drops from ldelem). Failing checks end in
// an IL throw (EmitTrap), so RyuJIT knows they do not continue and keeps loops free of calls.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_i31Create = RuntimeMembers.Method(typeof(I31Ref), nameof(I31Ref.Create));
    private static readonly FieldInfo s_i31Value = typeof(I31Ref).GetField(nameof(I31Ref.SignedValue), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_arrayLength = typeof(GcArray).GetField(nameof(GcArray.ElementCount), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private bool TryEmitGc(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.StructNew: EmitStructNew(ins.Index); return true;
            case Opcode.StructNewDefault: EmitStructNewDefault(ins.Index); return true;
            case Opcode.StructGet: EmitStructGet(ins.Index, ins.Index2, signed: false); return true;
            case Opcode.StructGetS: EmitStructGet(ins.Index, ins.Index2, signed: true); return true;
            case Opcode.StructGetU: EmitStructGet(ins.Index, ins.Index2, signed: false); return true;
            case Opcode.StructSet: EmitStructSet(ins.Index, ins.Index2); return true;

            case Opcode.ArrayNew: EmitArrayNew(ins.Index); return true;
            case Opcode.ArrayNewDefault: EmitArrayNewDefault(ins.Index); return true;
            case Opcode.ArrayNewFixed: EmitArrayNewFixed(ins.Index, ins.Index2); return true;
            case Opcode.ArrayNewData: EmitArrayNewData(ins.Index, ins.Index2); return true;
            case Opcode.ArrayNewElem: EmitArrayNewElem(ins.Index, ins.Index2); return true;
            case Opcode.ArrayGet: EmitArrayGet(ins.Index, signed: false); return true;
            case Opcode.ArrayGetS: EmitArrayGet(ins.Index, signed: true); return true;
            case Opcode.ArrayGetU: EmitArrayGet(ins.Index, signed: false); return true;
            case Opcode.ArraySet: EmitArraySet(ins.Index); return true;
            case Opcode.ArrayLen: EmitArrayLen(); return true;
            case Opcode.ArrayFill: EmitArrayFill(ins.Index); return true;
            case Opcode.ArrayCopy: EmitArrayCopy(ins.Index); return true;
            case Opcode.ArrayInitData: EmitArrayInitData(ins.Index, ins.Index2); return true;
            case Opcode.ArrayInitElem: EmitArrayInitElem(ins.Index2); return true;

            case Opcode.RefI31: EmitRefI31(); return true;
            case Opcode.I31GetS: EmitI31Get(signed: true); return true;
            case Opcode.I31GetU: EmitI31Get(signed: false); return true;

            case Opcode.RefTest: EmitRefTest(ins.HeapType, nullable: false); return true;
            case Opcode.RefTestNull: EmitRefTest(ins.HeapType, nullable: true); return true;
            case Opcode.RefCast: EmitRefCast(ins.HeapType, nullable: false); return true;
            case Opcode.RefCastNull: EmitRefCast(ins.HeapType, nullable: true); return true;
            case Opcode.BrOnCast: EmitBrOnCast(ins, fail: false); return true;
            case Opcode.BrOnCastFail: EmitBrOnCast(ins, fail: true); return true;

            // Externalizing and internalizing keep the object itself (see docs/RATIONALE.md).
            case Opcode.AnyConvertExtern: return true;
            case Opcode.ExternConvertAny: return true;
            default: return false;
        }
    }

    private DefinedType TypeAt(uint typeIndex) => _module.Valid.Type(typeIndex);

    /// <summary>Traps with <paramref name="kind"/> if the reference on top of the stack is null; the reference stays.</summary>
    private void EmitNullCheck(TrapKind kind)
    {
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, ok);
        EmitTrap(kind);
        _il.MarkLabel(ok);
    }

    // ---- structs

    private void EmitStructNew(uint typeIndex)
    {
        var layout = StructClasses.For(TypeAt(typeIndex));
        EmitChargeGc(GcSizes.Struct(TypeAt(typeIndex)));
        if (layout.Constructor is { } constructor)
        {
            Pop(layout.Fields.Length);
            _il.Emit(OpCodes.Newobj, constructor);
            Push(StackKind.Ref);
            return;
        }
        // A very wide struct: allocate it with default fields, then store the operands from the last one down.
        var instance = Temp(layout.ClrType);
        _il.Emit(OpCodes.Newobj, layout.DefaultConstructor);
        _il.Emit(OpCodes.Stloc, instance);
        for (int i = layout.Fields.Length - 1; i >= 0; i--)
        {
            var value = Temp(Pop());
            _il.Emit(OpCodes.Stloc, value);
            _il.Emit(OpCodes.Ldloc, instance);
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stfld, layout.Fields[i]);
            Free(value);
        }
        _il.Emit(OpCodes.Ldloc, instance);
        Free(instance);
        Push(StackKind.Ref);
    }

    private void EmitStructNewDefault(uint typeIndex)
    {
        EmitChargeGc(GcSizes.Struct(TypeAt(typeIndex)));
        _il.Emit(OpCodes.Newobj, StructClasses.For(TypeAt(typeIndex)).DefaultConstructor);
        Push(StackKind.Ref);
    }

    private void EmitStructGet(uint typeIndex, uint fieldIndex, bool signed)
    {
        var type = TypeAt(typeIndex);
        var field = StructClasses.For(type).Fields[fieldIndex];
        if (!TopKnownNonNull()) EmitNullCheck(TrapKind.NullStructureReference);
        Pop();
        _il.Emit(OpCodes.Ldfld, field);
        EmitUnpack(field.FieldType, signed);
        Push(ClrTypes.KindOf(type.Fields[(int)fieldIndex].Storage.Type));
    }

    private void EmitStructSet(uint typeIndex, uint fieldIndex)
    {
        var field = StructClasses.For(TypeAt(typeIndex)).Fields[fieldIndex];
        var value = Temp(Pop());
        Pop();
        _il.Emit(OpCodes.Stloc, value);
        EmitNullCheck(TrapKind.NullStructureReference);
        _il.Emit(OpCodes.Ldloc, value);
        _il.Emit(OpCodes.Stfld, field);
        Free(value);
    }

    /// <summary>A packed byte/short loaded as i32 (zero- resp. sign-extended by IL) gets the extension the instruction asks for.</summary>
    private void EmitUnpack(Type storage, bool signed)
    {
        if (storage == typeof(byte) && signed) _il.Emit(OpCodes.Conv_I1);
        else if (storage == typeof(short) && !signed) _il.Emit(OpCodes.Conv_U2);
    }

    // ---- arrays

    private static Type ElementClrType(DefinedType arrayType) => GcStorage.ClrType(arrayType.Element.Storage);

    private static MethodInfo ArrayHelper(string name, Type element) =>
        RuntimeMembers.Method(typeof(GcArrays), name).MakeGenericMethod(element);

    private static FieldInfo ElementsField(Type element) =>
        typeof(GcArray<>).MakeGenericType(element).GetField(nameof(GcArray<int>.Elements), BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>The helper for an instruction taking an element value: packed elements have their own (the operand is an i32).</summary>
    private static MethodInfo ValueHelper(string name, DefinedType arrayType)
    {
        var element = ElementClrType(arrayType);
        if (element == typeof(byte)) return RuntimeMembers.Method(typeof(GcArrays), name + "I8");
        if (element == typeof(short)) return RuntimeMembers.Method(typeof(GcArrays), name + "I16");
        return ArrayHelper(name, element);
    }

    private void EmitArrayNew(uint typeIndex)
    {
        Pop(2);
        EmitLoadCanonicalType(typeIndex);
        EmitLoadMeter();
        Call(ValueHelper(nameof(GcArrays.New), TypeAt(typeIndex)));
        Push(StackKind.Ref);
    }

    private void EmitArrayNewDefault(uint typeIndex)
    {
        Pop();
        EmitLoadCanonicalType(typeIndex);
        EmitLoadMeter();
        Call(ArrayHelper(nameof(GcArrays.NewDefault), ElementClrType(TypeAt(typeIndex))));
        Push(StackKind.Ref);
    }

    private void EmitArrayNewFixed(uint typeIndex, uint count)
    {
        var element = ElementClrType(TypeAt(typeIndex));
        var elements = Temp(element.MakeArrayType());
        EmitChargeGc((long)GcSizes.Array(TypeAt(typeIndex), count));
        _il.Emit(OpCodes.Ldc_I4, (int)count);
        _il.Emit(OpCodes.Newarr, element);
        _il.Emit(OpCodes.Stloc, elements);
        // The operands are on the stack, last on top: store them from the last index down.
        for (int i = (int)count - 1; i >= 0; i--)
        {
            var value = Temp(Pop());
            _il.Emit(OpCodes.Stloc, value);
            _il.Emit(OpCodes.Ldloc, elements);
            _il.Emit(OpCodes.Ldc_I4, i);
            _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Stelem, element);
            Free(value);
        }
        _il.Emit(OpCodes.Ldloc, elements);
        Free(elements);
        EmitLoadCanonicalType(typeIndex);
        Call(ArrayHelper(nameof(GcArrays.Wrap), element));
        Push(StackKind.Ref);
    }

    private void EmitLoadDataSegment(uint dataIndex)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextData);
        _il.Emit(OpCodes.Ldc_I4, (int)dataIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private void EmitLoadElementSegment(uint elementIndex)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextElements);
        _il.Emit(OpCodes.Ldc_I4, (int)elementIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
    }

    private void EmitArrayNewData(uint typeIndex, uint dataIndex)
    {
        Pop(2);
        EmitLoadDataSegment(dataIndex);
        EmitLoadCanonicalType(typeIndex);
        EmitLoadMeter();
        Call(ArrayHelper(nameof(GcArrays.NewData), ElementClrType(TypeAt(typeIndex))));
        Push(StackKind.Ref);
    }

    private void EmitArrayNewElem(uint typeIndex, uint elementIndex)
    {
        Pop(2);
        EmitLoadElementSegment(elementIndex);
        EmitLoadCanonicalType(typeIndex);
        EmitLoadMeter();
        Call(RuntimeMembers.Method(typeof(GcArrays), nameof(GcArrays.NewElem)));
        Push(StackKind.Ref);
    }

    /// <summary>
    /// With an array reference on the stack and the index in <paramref name="index"/>, traps if the array is null or
    /// the index out of bounds; leaves nothing on the stack and the element array in the returned temporary.
    /// </summary>
    private LocalBuilder EmitCheckedElements(Type element, LocalBuilder index)
    {
        EmitNullCheck(TrapKind.NullArrayReference);
        _il.Emit(OpCodes.Ldfld, ElementsField(element));
        var elements = Temp(element.MakeArrayType());
        _il.Emit(OpCodes.Stloc, elements);
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldloc, elements);
        _il.Emit(OpCodes.Ldlen);
        _il.Emit(OpCodes.Conv_I4);
        _il.Emit(OpCodes.Blt_Un, ok);
        EmitTrap(TrapKind.OutOfBoundsArrayAccess);
        _il.MarkLabel(ok);
        return elements;
    }

    private void EmitArrayGet(uint typeIndex, bool signed)
    {
        var type = TypeAt(typeIndex);
        var element = ElementClrType(type);
        var index = Temp(Pop());
        Pop();
        _il.Emit(OpCodes.Stloc, index);
        var elements = EmitCheckedElements(element, index);
        _il.Emit(OpCodes.Ldloc, elements);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldelem, element);
        EmitUnpack(element, signed);
        Free(elements);
        Free(index);
        Push(ClrTypes.KindOf(type.Element.Storage.Type));
    }

    private void EmitArraySet(uint typeIndex)
    {
        var element = ElementClrType(TypeAt(typeIndex));
        var value = Temp(Pop());
        var index = Temp(Pop());
        Pop();
        _il.Emit(OpCodes.Stloc, value);
        _il.Emit(OpCodes.Stloc, index);
        var elements = EmitCheckedElements(element, index);
        _il.Emit(OpCodes.Ldloc, elements);
        _il.Emit(OpCodes.Ldloc, index);
        _il.Emit(OpCodes.Ldloc, value);
        // stelem truncates an i32 to a packed byte/short element.
        _il.Emit(OpCodes.Stelem, element);
        Free(elements);
        Free(index);
        Free(value);
    }

    private void EmitArrayLen()
    {
        Pop();
        EmitNullCheck(TrapKind.NullArrayReference);
        _il.Emit(OpCodes.Ldfld, s_arrayLength);
        Push(StackKind.I32);
    }

    private void EmitArrayFill(uint typeIndex)
    {
        Pop(4);
        EmitLoadMeter();
        Call(ValueHelper(nameof(GcArrays.Fill), TypeAt(typeIndex)));
    }

    private void EmitArrayCopy(uint destinationIndex)
    {
        // Validation made the source's storage type match the destination's, so both hold the same CLR type.
        Pop(5);
        EmitLoadMeter();
        Call(ArrayHelper(nameof(GcArrays.Copy), ElementClrType(TypeAt(destinationIndex))));
    }

    private void EmitArrayInitData(uint typeIndex, uint dataIndex)
    {
        Pop(4);
        EmitLoadDataSegment(dataIndex);
        EmitLoadMeter();
        Call(ArrayHelper(nameof(GcArrays.InitData), ElementClrType(TypeAt(typeIndex))));
    }

    private void EmitArrayInitElem(uint elementIndex)
    {
        Pop(4);
        EmitLoadElementSegment(elementIndex);
        EmitLoadMeter();
        Call(RuntimeMembers.Method(typeof(GcArrays), nameof(GcArrays.InitElem)));
    }

    // ---- i31

    private static readonly MethodInfo s_i31CreateCharged = RuntimeMembers.Method(typeof(GcArrays), nameof(GcArrays.CreateI31));

    private void EmitRefI31()
    {
        Pop();
        I31CacheWarmup.BeforeEmittingCreate();
        if (_module.Options.LimitGcAllocations)
        {
            // Only values outside I31Ref's cache allocate; the helper charges those.
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStore);
            Call(s_i31CreateCharged);
        }
        else
        {
            Call(s_i31Create);
        }
        Push(StackKind.Ref);
    }

    private void EmitI31Get(bool signed)
    {
        if (!TopKnownNonNull()) EmitNullCheck(TrapKind.NullI31Reference);
        Pop();
        _il.Emit(OpCodes.Ldfld, s_i31Value);
        if (!signed)
        {
            _il.Emit(OpCodes.Ldc_I4, 0x7FFF_FFFF);
            _il.Emit(OpCodes.And);
        }
        Push(StackKind.I32);
    }

    // ---- casts

    private void EmitRefTest(HeapType heap, bool nullable)
    {
        Pop();
        EmitTest(heap, nullable);
        Push(StackKind.I32);
    }

    private void EmitRefCast(HeapType heap, bool nullable)
    {
        // A nullable cast to a top type accepts every value of the hierarchy.
        if (nullable && heap.Kind is HeapKind.Any or HeapKind.Func or HeapKind.Extern or HeapKind.Exn) return;
        if (CastClass(heap) is { } cast)
        {
            EmitClassCast(cast.Class, cast.Exact, nullable, knownNonNull: TopKnownNonNull());
            return;
        }
        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        EmitTest(heap, nullable);
        _il.Emit(OpCodes.Brtrue, ok);
        EmitTrap(TrapKind.CastFailure);
        _il.MarkLabel(ok);
    }

    /// <summary>
    /// The CLR class whose instances are exactly the non-null values of <paramref name="heap"/>, for the heap types
    /// that have one (i31, struct, array, concrete struct types), and whether a class compare is the whole test (a
    /// sealed class); null for the others.
    /// </summary>
    private (Type Class, bool Exact)? CastClass(HeapType heap)
    {
        switch (heap.Kind)
        {
            case HeapKind.I31: return (typeof(I31Ref), true);
            case HeapKind.Struct: return (typeof(GcStruct), false);
            case HeapKind.Array: return (typeof(GcArray), false);
            case HeapKind.Concrete when TypeAt(heap.Index) is { IsStruct: true } type: return (StructClasses.For(type).ClrType, type.Final);
            default: return null;
        }
    }

    /// <summary>
    /// ref.cast to a type that is a CLR class: the operand's <c>isinst</c> result is the cast's result, so on the
    /// success path RyuJIT knows it is non-null (no later null check) and the test is a branch, not a 0/1 value
    /// tested again. A non-sealed struct class compares the exact class first (one method-table compare), as
    /// <see cref="EmitStructTest"/> does. Measured in docs/RATIONALE.md ("GC steady state: casts").
    /// </summary>
    private void EmitClassCast(Type clrType, bool exact, bool nullable, bool knownNonNull)
    {
        var ok = _il.DefineLabel();
        var fail = _il.DefineLabel();
        if (!knownNonNull)
        {
            _il.Emit(OpCodes.Dup);
            // A null operand: the result if nullable, else a failure (with the operand on the stack either way).
            _il.Emit(OpCodes.Brfalse, nullable ? ok : fail);
        }
        if (exact && ExactCastCompare)
        {
            // A sealed class: the method-table compare is the whole test, and a branch on it is all RyuJIT emits
            // (isinst's result tested again became a cmov, a zeroed register and a second test).
            _il.Emit(OpCodes.Dup);
            EmitIsExactly(clrType);
            _il.Emit(OpCodes.Brtrue, ok);
            _il.MarkLabel(fail);
            _il.Emit(OpCodes.Pop);
            EmitTrap(TrapKind.CastFailure);
            _il.MarkLabel(ok);
            return;
        }
        if (!exact && clrType != typeof(GcStruct) && clrType != typeof(GcArray))
        {
            _il.Emit(OpCodes.Dup);
            EmitIsExactly(clrType);
            _il.Emit(OpCodes.Brtrue, ok);
        }
        _il.Emit(OpCodes.Isinst, clrType);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, ok);
        _il.MarkLabel(fail);
        _il.Emit(OpCodes.Pop);
        EmitTrap(TrapKind.CastFailure);
        _il.MarkLabel(ok);
    }

    /// <summary>br_on_cast / br_on_cast_fail: test a copy of the operand, then branch like br_if with the operand on the stack.</summary>
    private void EmitBrOnCast(in Instruction ins, bool fail)
    {
        bool nullable = (ins.Byte & 2) != 0;
        _il.Emit(OpCodes.Dup);
        EmitTest(ins.HeapType2, nullable);
        if (fail)
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ceq);
        }
        Push(StackKind.I32);
        EmitBrIf(ins.Index);
    }

    /// <summary>
    /// Replaces the reference on top of the IL stack by 1 if it matches <c>(ref null? heap)</c> (heap as the module
    /// wrote it), else 0. The mirrored stack is the caller's business.
    /// </summary>
    private void EmitTest(HeapType heap, bool nullable)
    {
        switch (heap.Kind)
        {
            case HeapKind.Any:
            case HeapKind.Func:
            case HeapKind.Extern:
            case HeapKind.Exn:
                // Every value of the hierarchy belongs to its top type (functions are always Function objects).
                if (nullable)
                {
                    _il.Emit(OpCodes.Pop);
                    _il.Emit(OpCodes.Ldc_I4_1);
                }
                else
                {
                    _il.Emit(OpCodes.Ldnull);
                    _il.Emit(OpCodes.Cgt_Un);
                }
                return;
            case HeapKind.None:
            case HeapKind.NoFunc:
            case HeapKind.NoExtern:
            case HeapKind.NoExn:
                // Bottom types hold no value but null.
                if (nullable)
                {
                    _il.Emit(OpCodes.Ldnull);
                    _il.Emit(OpCodes.Ceq);
                }
                else
                {
                    _il.Emit(OpCodes.Pop);
                    _il.Emit(OpCodes.Ldc_I4_0);
                }
                return;
            case HeapKind.Eq: EmitTestCall(nameof(GcCasts.IsEq), nullable); return;
            case HeapKind.I31: EmitTestCall(nameof(GcCasts.IsI31), nullable); return;
            case HeapKind.Struct: EmitTestCall(nameof(GcCasts.IsStruct), nullable); return;
            case HeapKind.Array: EmitTestCall(nameof(GcCasts.IsArray), nullable); return;
            case HeapKind.Concrete: EmitConcreteTest(heap.Index, nullable); return;
            default: throw new NotSupportedException($"cast to {heap} is not supported");
        }
    }

    private void EmitTestCall(string helper, bool nullable)
    {
        _il.Emit(nullable ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        Call(RuntimeMembers.Method(typeof(GcCasts), helper));
    }

    private static readonly MethodInfo s_getType = typeof(object).GetMethod(nameof(GetType))!;
    private static readonly MethodInfo s_typeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;
    private static readonly MethodInfo s_typeEquals = typeof(Type).GetMethod("op_Equality", [typeof(Type), typeof(Type)])!;

    /// <summary>
    /// WEFT_EXACT_CAST_COMPARE=0 casts to sealed classes through <c>isinst</c>'s result as before (for A/B
    /// measurements; docs/RATIONALE.md, "GC calls: call_ref candidates from the fields they are stored in").
    /// </summary>
    internal static readonly bool ExactCastCompare = Environment.GetEnvironmentVariable("WEFT_EXACT_CAST_COMPARE") != "0";

    /// <summary>Pops an object (not null) and pushes whether its class is exactly <paramref name="clrType"/>: RyuJIT
    /// compiles <c>o.GetType() == typeof(T)</c> to one method-table compare.</summary>
    private void EmitIsExactly(Type clrType)
    {
        _il.Emit(OpCodes.Call, s_getType);
        _il.Emit(OpCodes.Ldtoken, clrType);
        _il.Emit(OpCodes.Call, s_typeFromHandle);
        _il.Emit(OpCodes.Call, s_typeEquals);
    }

    private void EmitConcreteTest(uint typeIndex, bool nullable)
    {
        var type = TypeAt(typeIndex);
        if (type.IsStruct)
        {
            EmitStructTest(StructClasses.For(type).ClrType, type.Final, nullable);
            return;
        }
        EmitLoadCanonicalType(typeIndex);
        _il.Emit(nullable ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        if (type.IsFunc) Call(RuntimeMembers.Method(typeof(GcCasts), nameof(GcCasts.IsFunctionOf)));
        else Call(RuntimeMembers.Method(typeof(GcCasts), nameof(GcCasts.IsArrayOf)).MakeGenericMethod(ElementClrType(type)));
    }

    /// <summary>
    /// A struct type test. The CLR class hierarchy is the declared-supertype hierarchy, so <c>isinst</c> on the type's
    /// class is the test. For a final type the class is sealed and RyuJIT makes that one compare of the method table;
    /// otherwise <c>isinst</c> calls a runtime helper, so the exact class, the common case, is compared first
    /// (<c>GetType() == typeof(C)</c> also compiles to one method-table compare).
    /// </summary>
    private void EmitStructTest(Type clrType, bool final, bool nullable)
    {
        var value = Temp(typeof(object));
        var isNull = _il.DefineLabel();
        var matches = _il.DefineLabel();
        var done = _il.DefineLabel();
        _il.Emit(OpCodes.Stloc, value);
        _il.Emit(OpCodes.Ldloc, value);
        _il.Emit(OpCodes.Brfalse, isNull);
        if (!final)
        {
            _il.Emit(OpCodes.Ldloc, value);
            EmitIsExactly(clrType);
            _il.Emit(OpCodes.Brtrue, matches);
        }
        _il.Emit(OpCodes.Ldloc, value);
        _il.Emit(OpCodes.Isinst, clrType);
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Cgt_Un);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(matches);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(isNull);
        _il.Emit(nullable ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        _il.MarkLabel(done);
        Free(value);
    }
}
