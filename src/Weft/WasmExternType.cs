using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// The type of an import or export, as a host sees it: a <see cref="WasmFunctionType"/>, <see cref="WasmTableType"/>,
/// <see cref="WasmMemoryType"/>, <see cref="WasmGlobalType"/> or <see cref="WasmTagType"/>.
/// </summary>
/// <remarks>
/// Value types are in canonical form: a concrete heap type's <see cref="HeapType.Index"/> is an engine-wide type id,
/// not a module's type index (as in <see cref="Function.Parameters"/> and <see cref="GcType.Fields"/>). Resolve one
/// with <see cref="GetGcType(ValType)"/> or <see cref="GetFunctionType(ValType)"/>. <see cref="object.ToString"/> gives
/// the text format; for a module's import or export it names types by the module's own type indices.
/// </remarks>
public abstract class WasmExternType
{
    private readonly string? _text;

    private protected WasmExternType(string? text) => _text = text;

    /// <summary>What kind of entity has this type.</summary>
    public abstract ExternKind Kind { get; }

    /// <summary>The struct or array type a concrete reference type names, or null (abstract heap type, function type, or not a reference).</summary>
    public GcType? GetGcType(ValType type) => CanonicalTypes.GcTypeOf(type);

    /// <summary>The function type a concrete reference type names, or null (abstract heap type, struct or array type, or not a reference).</summary>
    public WasmFunctionType? GetFunctionType(ValType type) => CanonicalTypes.FunctionTypeOf(type);

    /// <summary>The text format of the type, e.g. <c>(func (param i32) (result i32))</c> or <c>(memory 1)</c>.</summary>
    public sealed override string ToString() => _text ?? Describe();

    private protected abstract string Describe();
}

/// <summary>Resolution of canonical concrete heap types to their host descriptions.</summary>
internal static class CanonicalTypes
{
    public static DefinedType? Of(ValType type) =>
        type.IsRef && type.Heap.IsConcrete ? TypeRegistry.Get(type.Heap.Index) : null;

    public static GcType? GcTypeOf(ValType type) => Of(type) is { IsFunc: false } d ? GcType.Of(d) : null;

    public static WasmFunctionType? FunctionTypeOf(ValType type) => Of(type) is { IsFunc: true } d ? new WasmFunctionType(d) : null;
}
