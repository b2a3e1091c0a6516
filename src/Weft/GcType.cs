using System.Runtime.InteropServices;
using Weft.Gc;
using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// A wasm struct or array type in its canonical form (spec 4.3.1 "closed types"): structurally equal types defined by
/// different modules are the same <see cref="GcType"/> object. Get one from a module with
/// <see cref="WasmModule.GetGcType(int)"/> or from any object's <see cref="GcObject.Type"/>, and create objects of it
/// from the host.
/// </summary>
/// <remarks>
/// Reference types in <see cref="Fields"/> and <see cref="ElementType"/> are in canonical form: a concrete heap type's
/// index is an engine-wide type id, not a module's type index.
/// </remarks>
/// <example>
/// <code>
/// var bytes = module.GetGcType(2);                       // (type $bytes (array (mut i8)))
/// GcArray a = bytes.NewArray(4096);                      // zeroed, like array.new_default
/// GcArray b = bytes.NewArrayFrom&lt;byte&gt;("hello"u8);     // a copy of host bytes
/// </code>
/// </example>
public sealed class GcType
{
    private GcType(DefinedType defined) => Defined = defined;

    internal DefinedType Defined { get; }

    /// <summary>The host view of a canonical struct or array type.</summary>
    // Kept on the canonical type itself (one per type, so reference identity holds): no process-wide table keeps an
    // engine's types alive.
    internal static GcType Of(DefinedType type) =>
        type.HostView as GcType ?? (GcType)(Interlocked.CompareExchange(ref type.HostView, new GcType(type), null) ?? type.HostView!);

    /// <summary>Whether this is a struct type.</summary>
    public bool IsStruct => Defined.IsStruct;

    /// <summary>Whether this is an array type.</summary>
    public bool IsArray => Defined.IsArray;

    /// <summary>Whether the type is final (has no subtypes).</summary>
    public bool IsFinal => Defined.Final;

    /// <summary>The declared supertype, or null.</summary>
    public GcType? Supertype => Defined.Supertype is { } super ? Of(super) : null;

    /// <summary>The fields of a struct type (empty for an array type).</summary>
    public IReadOnlyList<FieldType> Fields => Defined.Fields.ToArray();

    /// <summary>The element type of an array type.</summary>
    /// <exception cref="InvalidOperationException">The type is a struct type.</exception>
    public FieldType ElementType => IsArray ? Defined.Element : throw new InvalidOperationException("a struct type has no element type");

    /// <summary>A reference type to objects of this type, e.g. <c>(ref null $point)</c> (canonical), for host function types (<see cref="WasmFunctionType.Create(IEnumerable{ValType}, IEnumerable{ValType})"/>).</summary>
    public ValType Ref(bool nullable) => Defined.Ref(nullable);

    /// <summary>Whether this type is <paramref name="other"/> or one of its subtypes (constant time).</summary>
    public bool IsSubtypeOf(GcType other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Defined.IsSubtypeOf(other.Defined);
    }

    /// <summary>Whether a value (null, a GC object, ...) matches <c>(ref null this)</c>, or <c>(ref this)</c> if <paramref name="nullable"/> is false.</summary>
    public bool IsInstance(object? value, bool nullable = false) => GcCasts.IsInstanceOf(value, Defined, nullable);

    /// <summary>Creates a struct from its field values, in order (packed fields from an i32; like <c>struct.new</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not a struct type.</exception>
    /// <exception cref="ArgumentException">The values do not match the fields.</exception>
    public GcStruct NewStruct(params ReadOnlySpan<WasmValue> fields)
    {
        var layout = StructLayoutOrThrow();
        var types = Defined.Fields;
        if (fields.Length != types.Length) throw new ArgumentException($"the struct type has {types.Length} fields, {fields.Length} values were given", nameof(fields));
        for (int i = 0; i < fields.Length; i++) GcValueChecks.CheckStorable(fields[i], types[i].Storage, nameof(fields));
        var instance = layout.CreateDefault();
        for (int i = 0; i < fields.Length; i++) layout.Set(instance, i, fields[i]);
        return instance;
    }

    /// <summary>Creates a struct with every field at its default (zero, or null; like <c>struct.new_default</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not a struct type, or a field has no default (a non-nullable reference).</exception>
    public GcStruct NewDefaultStruct()
    {
        var layout = StructLayoutOrThrow();
        foreach (var field in Defined.Fields)
        {
            if (!field.Storage.Type.IsDefaultable) throw new InvalidOperationException($"field type {field} has no default value");
        }
        return layout.CreateDefault();
    }

    /// <summary>Creates an array of <paramref name="length"/> default elements (zero, or null; like <c>array.new_default</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an array type, or the element type has no default.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or too large.</exception>
    public GcArray NewArray(int length)
    {
        CheckArray();
        if (!Defined.Element.Storage.Type.IsDefaultable) throw new InvalidOperationException($"element type {Defined.Element} has no default value");
        CheckLength(length);
        return GcArrays.CreateDefault(Defined, length);
    }

    /// <summary>Creates an array of <paramref name="length"/> copies of <paramref name="initial"/> (like <c>array.new</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an array type.</exception>
    /// <exception cref="ArgumentException">The value does not match the element type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or too large.</exception>
    public GcArray NewArray(int length, WasmValue initial)
    {
        CheckArray();
        GcValueChecks.CheckStorable(initial, Defined.Element.Storage, nameof(initial));
        CheckLength(length);
        var array = GcArrays.CreateDefault(Defined, length);
        for (int i = 0; i < length; i++) array.SetCore(i, initial);
        return array;
    }

    /// <summary>Creates an array holding the given values (like <c>array.new_fixed</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an array type.</exception>
    /// <exception cref="ArgumentException">A value does not match the element type.</exception>
    public GcArray NewArrayFrom(params ReadOnlySpan<WasmValue> elements)
    {
        CheckArray();
        foreach (var e in elements) GcValueChecks.CheckStorable(e, Defined.Element.Storage, nameof(elements));
        var array = GcArrays.CreateDefault(Defined, elements.Length);
        for (int i = 0; i < elements.Length; i++) array.SetCore(i, elements[i]);
        return array;
    }

    /// <summary>
    /// Creates a numeric array holding a copy of the bytes of <paramref name="elements"/> (little-endian), normally
    /// given in the element's .NET type (<c>int</c> for <c>(array i32)</c>) or as bytes for any numeric array; the bytes
    /// must fill whole elements.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is not an array type, or its elements are references.</exception>
    /// <exception cref="ArgumentException">The data does not fill whole elements.</exception>
    public GcArray NewArrayFrom<T>(ReadOnlySpan<T> elements) where T : unmanaged
    {
        CheckArray();
        if (Defined.Element.Storage.Type.IsRef) throw new InvalidOperationException("an array of references cannot be created from unmanaged data");
        var bytes = MemoryMarshal.AsBytes(elements);
        int size = GcStorage.ByteSize(Defined.Element.Storage);
        if (bytes.Length % size != 0) throw new ArgumentException($"{bytes.Length} bytes do not fill whole {size}-byte elements", nameof(elements));
        var array = GcArrays.CreateDefault(Defined, bytes.Length / size);
        bytes.CopyTo(array.SpanCore<byte>());
        return array;
    }

    /// <inheritdoc/>
    public override string ToString() => Defined.ToString();

    private StructLayout StructLayoutOrThrow() => IsStruct ? StructClasses.For(Defined) : throw new InvalidOperationException($"{Defined} is not a struct type");

    private void CheckArray()
    {
        if (!IsArray) throw new InvalidOperationException($"{Defined} is not an array type");
    }

    private static void CheckLength(int length)
    {
        if ((uint)length > (uint)Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(length), length, "the length must be between 0 and Array.MaxLength");
    }
}
