using System.Runtime.Intrinsics;
using Weft.Gc;
using Weft.Validation;

namespace Weft;

/// <summary>
/// A wasm struct (spec 2.3.3 "aggregate types"). Each canonical struct type is a .NET class with one typed field per
/// wasm field, so compiled wasm reads and writes fields directly; this class gives the host typed access by field
/// index.
/// </summary>
/// <remarks>
/// <para>Packed fields (<c>i8</c>, <c>i16</c>) read as i32, zero-extended (like <c>struct.get_u</c>; cast to
/// <c>sbyte</c>/<c>short</c> for the signed reading) and take an i32 whose low bits are stored.</para>
/// <para>Writes follow wasm's rules: an immutable field cannot be written, and a reference must match the field's
/// type (a <see cref="GcObject"/> of a matching type, an <see cref="I31Ref"/>, a <see cref="Function"/>, any object
/// for <c>externref</c>, null if the field is nullable); anything else throws instead of breaking wasm's type
/// guarantees.</para>
/// <para>Lifetime: the object is owned by the .NET garbage collector and lives while referenced from wasm or the host.
/// See <see cref="Store.RegisterFinalizer(object, Action)"/> to act when it dies.</para>
/// </remarks>
/// <example>
/// <code>
/// var point = module.GetGcType(0);                        // (type $point (struct (field (mut i32)) (field f64)))
/// var p = point.NewStruct(3, 0.5);                        // struct.new from the host
/// p.SetInt32(0, p.GetInt32(0) + 1);
/// fn.Invoke(WasmValue.FromReference(p));
/// </code>
/// </example>
public abstract class GcStruct : GcObject
{
    internal GcStruct()
    {
    }

    private StructLayout Layout => StructClasses.For(Rtt);

    /// <summary>The number of fields.</summary>
    public int FieldCount => Rtt.Fields.Length;

    /// <summary>A field as a wasm value (packed fields as a zero-extended i32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such field.</exception>
    /// <exception cref="InvalidOperationException">Setting an immutable field.</exception>
    /// <exception cref="ArgumentException">Setting a value of the wrong type.</exception>
    public WasmValue this[int field]
    {
        get => GetField(field);
        set => SetField(field, value);
    }

    /// <summary>Reads a field as a wasm value (packed fields as a zero-extended i32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such field.</exception>
    public WasmValue GetField(int field)
    {
        CheckIndex(field);
        return Layout.Get(this, field);
    }

    /// <summary>Writes a mutable field.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no such field.</exception>
    /// <exception cref="InvalidOperationException">The field is immutable.</exception>
    /// <exception cref="ArgumentException">The value does not match the field's type.</exception>
    public void SetField(int field, WasmValue value)
    {
        CheckIndex(field);
        var type = Rtt.Fields[field];
        if (!type.Mutable) throw new InvalidOperationException($"field {field} of {Rtt} is immutable");
        GcValueChecks.CheckStorable(value, type.Storage, nameof(value));
        Layout.Set(this, field, value);
    }

    /// <summary>Reads an i32 field, or a packed field zero-extended.</summary>
    public int GetInt32(int field) => GetField(field).AsInt32();

    /// <summary>Reads an i64 field.</summary>
    public long GetInt64(int field) => GetField(field).AsInt64();

    /// <summary>Reads an f32 field.</summary>
    public float GetSingle(int field) => GetField(field).AsSingle();

    /// <summary>Reads an f64 field.</summary>
    public double GetDouble(int field) => GetField(field).AsDouble();

    /// <summary>Reads a v128 field.</summary>
    public Vector128<byte> GetVector(int field) => GetField(field).AsVector();

    /// <summary>Reads a reference field (null, a <see cref="GcObject"/>, an <see cref="I31Ref"/>, a <see cref="Function"/> or a host object).</summary>
    public object? GetReference(int field) => GetField(field).AsReference();

    /// <summary>Writes an i32 field, or the low bits of a packed field.</summary>
    public void SetInt32(int field, int value) => SetField(field, WasmValue.FromInt32(value));

    /// <summary>Writes an i64 field.</summary>
    public void SetInt64(int field, long value) => SetField(field, WasmValue.FromInt64(value));

    /// <summary>Writes an f32 field.</summary>
    public void SetSingle(int field, float value) => SetField(field, WasmValue.FromSingle(value));

    /// <summary>Writes an f64 field.</summary>
    public void SetDouble(int field, double value) => SetField(field, WasmValue.FromDouble(value));

    /// <summary>Writes a v128 field.</summary>
    public void SetVector(int field, Vector128<byte> value) => SetField(field, WasmValue.FromVector(value));

    /// <summary>Writes a reference field; the reference must match the field's type.</summary>
    public void SetReference(int field, object? value) => SetField(field, WasmValue.FromReference(value));

    private void CheckIndex(int field)
    {
        if ((uint)field >= (uint)Rtt.Fields.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(field), field, $"the struct has {Rtt.Fields.Length} fields");
        }
    }
}
