using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>Spec 3.4.3 struct.new: one operand per field, packed fields given as i32.</summary>
    private void StructNew(uint typeIndex)
    {
        var type = StructTypeAt(typeIndex);
        Pop(type.UnpackedFields);
        Push(type.Ref(nullable: false));
    }

    /// <summary>Spec 3.4.3 struct.new_default: every field needs a default value.</summary>
    private void StructNewDefault(uint typeIndex)
    {
        var type = StructTypeAt(typeIndex);
        foreach (var field in type.UnpackedFields)
        {
            if (!field.IsDefaultable) throw Error("field type is not defaultable");
        }
        Push(type.Ref(nullable: false));
    }

    private FieldType FieldAt(DefinedType type, uint field)
    {
        var fields = type.Fields;
        if (field >= (uint)fields.Length) throw Error($"unknown field {field}");
        return fields[(int)field];
    }

    /// <summary>Spec 3.4.3 struct.get (unpacked fields) and struct.get_s/_u (packed fields only).</summary>
    private void StructGet(uint typeIndex, uint fieldIndex, bool packed)
    {
        var type = StructTypeAt(typeIndex);
        var field = FieldAt(type, fieldIndex);
        if (field.Storage.IsPacked != packed) throw Error(packed ? "field is unpacked" : "field is packed");
        Pop(type.Ref(nullable: true));
        Push(field.Storage.Type);
    }

    /// <summary>Spec 3.4.3 struct.set.</summary>
    private void StructSet(uint typeIndex, uint fieldIndex)
    {
        var type = StructTypeAt(typeIndex);
        var field = FieldAt(type, fieldIndex);
        if (!field.Mutable) throw Error("immutable field");
        Pop([type.Ref(nullable: true), field.Storage.Type]);
    }

    /// <summary>Spec 3.4.3 array.new.</summary>
    private void ArrayNew(uint typeIndex)
    {
        var type = ArrayTypeAt(typeIndex);
        Pop([type.Element.Storage.Type, ValType.I32]);
        Push(type.Ref(nullable: false));
    }

    /// <summary>Spec 3.4.3 array.new_default.</summary>
    private void ArrayNewDefault(uint typeIndex)
    {
        var type = ArrayTypeAt(typeIndex);
        if (!type.Element.Storage.Type.IsDefaultable) throw Error("array type is not defaultable");
        Pop(ValType.I32);
        Push(type.Ref(nullable: false));
    }

    /// <summary>Spec 3.4.3 array.new_fixed x n.</summary>
    private void ArrayNewFixed(uint typeIndex, uint count)
    {
        var type = ArrayTypeAt(typeIndex);
        PopRepeated(type.Element.Storage.Type, count);
        Push(type.Ref(nullable: false));
    }

    /// <summary>Data segments hold bytes, so only number and vector (and packed) elements can come from them.</summary>
    private void CheckNumericElement(DefinedType type)
    {
        var t = type.Element.Storage.Type;
        if (t.IsRef) throw Error("array type is not numeric or vector");
    }

    /// <summary>Spec 3.4.3 array.new_data.</summary>
    private void ArrayNewData(uint typeIndex, uint segment)
    {
        var type = ArrayTypeAt(typeIndex);
        CheckData(segment);
        CheckNumericElement(type);
        Pop([ValType.I32, ValType.I32]);
        Push(type.Ref(nullable: false));
    }

    private void CheckElementSegmentFits(DefinedType type, uint segment)
    {
        var element = ElementAt(segment);
        if (!Subtyping.Matches(element, type.Element.Storage.Type))
        {
            throw Error($"type mismatch: element segment's type {Format(element)} does not match array's field type {ValidationErrors.Format(type.Element, _module)}");
        }
    }

    /// <summary>Spec 3.4.3 array.new_elem.</summary>
    private void ArrayNewElem(uint typeIndex, uint segment)
    {
        var type = ArrayTypeAt(typeIndex);
        CheckElementSegmentFits(type, segment);
        Pop([ValType.I32, ValType.I32]);
        Push(type.Ref(nullable: false));
    }

    /// <summary>Spec 3.4.3 array.get (unpacked elements) and array.get_s/_u (packed elements only).</summary>
    private void ArrayGet(uint typeIndex, bool packed)
    {
        var type = ArrayTypeAt(typeIndex);
        var storage = type.Element.Storage;
        if (storage.IsPacked != packed) throw Error(packed ? "array is unpacked" : "array is packed");
        Pop([type.Ref(nullable: true), ValType.I32]);
        Push(storage.Type);
    }

    private DefinedType MutableArrayTypeAt(uint typeIndex)
    {
        var type = ArrayTypeAt(typeIndex);
        if (!type.Element.Mutable) throw Error("immutable array");
        return type;
    }

    /// <summary>Spec 3.4.3 array.set.</summary>
    private void ArraySet(uint typeIndex)
    {
        var type = MutableArrayTypeAt(typeIndex);
        Pop([type.Ref(nullable: true), ValType.I32, type.Element.Storage.Type]);
    }

    /// <summary>Spec 3.4.3 array.len.</summary>
    private void ArrayLen()
    {
        Pop(ValType.ArrayRef);
        Push(ValType.I32);
    }

    /// <summary>Spec 3.4.3 array.fill.</summary>
    private void ArrayFill(uint typeIndex)
    {
        var type = MutableArrayTypeAt(typeIndex);
        Pop([type.Ref(nullable: true), ValType.I32, type.Element.Storage.Type, ValType.I32]);
    }

    /// <summary>Spec 3.4.3 array.copy: the source elements must match the destination's.</summary>
    private void ArrayCopy(uint destinationIndex, uint sourceIndex)
    {
        var destination = MutableArrayTypeAt(destinationIndex);
        var source = ArrayTypeAt(sourceIndex);
        if (!Subtyping.Matches(source.Element.Storage, destination.Element.Storage)) throw Error("array types do not match");
        Pop([destination.Ref(nullable: true), ValType.I32, source.Ref(nullable: true), ValType.I32, ValType.I32]);
    }

    /// <summary>Spec 3.4.3 array.init_data.</summary>
    private void ArrayInitData(uint typeIndex, uint segment)
    {
        var type = MutableArrayTypeAt(typeIndex);
        CheckData(segment);
        CheckNumericElement(type);
        Pop([type.Ref(nullable: true), ValType.I32, ValType.I32, ValType.I32]);
    }

    /// <summary>Spec 3.4.3 array.init_elem.</summary>
    private void ArrayInitElem(uint typeIndex, uint segment)
    {
        var type = MutableArrayTypeAt(typeIndex);
        CheckElementSegmentFits(type, segment);
        Pop([type.Ref(nullable: true), ValType.I32, ValType.I32, ValType.I32]);
    }
}
