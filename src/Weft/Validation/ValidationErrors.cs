using System.Globalization;
using System.Text;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Builds the validation errors with the wording of the spec's reference interpreter, which the test suite's
/// <c>assert_invalid</c> expectations match by prefix. Kept out of the hot paths: callers throw what these return.
/// </summary>
internal static class ValidationErrors
{
    /// <summary>"unknown {space} {index}", e.g. "unknown function 7".</summary>
    public static InvalidModuleException Unknown(string space, uint index, long offset = -1) =>
        new(string.Create(CultureInfo.InvariantCulture, $"unknown {space} {index}"), offset);

    /// <summary>A plain error with a fixed reason.</summary>
    public static InvalidModuleException Invalid(string reason, long offset = -1) => new(reason, offset);

    /// <summary>"type mismatch: {what} requires [expected] but {where} has [actual]".</summary>
    public static InvalidModuleException Mismatch(
        string what, ReadOnlySpan<ValType> expected, string where, ReadOnlySpan<ValType> actual, ValidModule? module, long offset) =>
        new($"type mismatch: {what} requires {Format(expected, module)} but {where} has {Format(actual, module)}", offset);

    /// <summary>The text of a value type as the reference interpreter prints it, e.g. <c>(ref null func)</c>.</summary>
    public static string Format(ValType type, ValidModule? module)
    {
        switch (type.Kind)
        {
            case ValKind.I32: return "i32";
            case ValKind.I64: return "i64";
            case ValKind.F32: return "f32";
            case ValKind.F64: return "f64";
            case ValKind.V128: return "v128";
            case ValKind.Bottom: return "bot";
        }
        return "(ref " + (type.Nullable ? "null " : "") + Format(type.Heap, module) + ")";
    }

    /// <summary>The text of a heap type; a canonical concrete type prints as the module's type index when known.</summary>
    public static string Format(HeapType heap, ValidModule? module)
    {
        if (!heap.IsConcrete) return heap.ToString();
        int index = module?.TypeIndexOf(TypeRegistry.Get(heap.Index)) ?? -1;
        return index >= 0 ? index.ToString(CultureInfo.InvariantCulture) : "#" + heap.Index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The text of a result type, e.g. <c>[i32 i64]</c>.</summary>
    public static string Format(ReadOnlySpan<ValType> types, ValidModule? module)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < types.Length; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(Format(types[i], module));
        }
        return text.Append(']').ToString();
    }

    /// <summary>The text of a field type, e.g. <c>(mut i8)</c>.</summary>
    public static string Format(FieldType field, ValidModule? module)
    {
        string storage = field.Storage.Packed switch
        {
            PackedType.I8 => "i8",
            PackedType.I16 => "i16",
            _ => Format(field.Storage.Type, module),
        };
        return field.Mutable ? "(mut " + storage + ")" : storage;
    }
}
