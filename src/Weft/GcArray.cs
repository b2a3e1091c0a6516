using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Weft.Gc;
using Weft.Validation;

namespace Weft;

/// <summary>
/// A wasm array (spec 2.3.3 "aggregate types"). Its elements live in a typed .NET array: <c>(array i8)</c> in a
/// <c>byte[]</c>, <c>i16</c> in <c>short[]</c>, <c>i32</c> <c>int[]</c>, <c>i64</c> <c>long[]</c>, <c>f32</c>
/// <c>float[]</c>, <c>f64</c> <c>double[]</c>, <c>v128</c> <c>Vector128&lt;byte&gt;[]</c>, references <c>object[]</c>.
/// The host sees the elements of a numeric array through <see cref="AsSpan{T}"/> with no copy: wasm code and the host
/// read and write the same memory.
/// </summary>
/// <remarks>
/// <para>Spans: a span is valid as long as you hold it (the .NET GC keeps the array alive and, because spans are
/// tracked references, moves it safely). Do not keep raw pointers to the elements without pinning (<c>fixed</c>).</para>
/// <para>Packed elements (<c>i8</c>, <c>i16</c>) read as i32, zero-extended (like <c>array.get_u</c>). Writes follow
/// wasm's rules: an immutable array is read-only, and a reference must match the element type.</para>
/// </remarks>
/// <example>
/// <code>
/// GcArray frame = (GcArray)produce.Invoke(1024)[0].AsReference()!;  // an (array (mut i8)) made by wasm
/// Span&lt;byte&gt; bytes = frame.AsSpan&lt;byte&gt;();                  // the very bytes wasm sees
/// bytes[0] = 0xFF;                                                  // visible to wasm's array.get at once
/// </code>
/// </example>
public abstract class GcArray : GcObject
{
    // Compiled code reads the length here (array.len) without knowing the element type.
    internal readonly int ElementCount;

    private readonly DefinedType _rtt;

    internal GcArray(DefinedType type, int length)
    {
        _rtt = type;
        ElementCount = length;
    }

    internal sealed override DefinedType Rtt => _rtt;

    /// <summary>The number of elements.</summary>
    public int Length => ElementCount;

    /// <summary>Whether wasm (and the host) may write the elements.</summary>
    public bool IsMutable => Rtt.Element.Mutable;

    /// <summary>The .NET type of the elements (e.g. <c>byte</c> for <c>i8</c>, <c>object</c> for references).</summary>
    public abstract Type ElementType { get; }

    /// <summary>An element as a wasm value (packed elements as a zero-extended i32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    /// <exception cref="InvalidOperationException">Setting an element of an immutable array.</exception>
    /// <exception cref="ArgumentException">Setting a value of the wrong type.</exception>
    public WasmValue this[int index]
    {
        get => GetElement(index);
        set => SetElement(index, value);
    }

    /// <summary>Reads an element as a wasm value (packed elements as a zero-extended i32).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public WasmValue GetElement(int index)
    {
        CheckIndex(index);
        return GetCore(index);
    }

    /// <summary>Writes an element of a mutable array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    /// <exception cref="InvalidOperationException">The array is immutable.</exception>
    /// <exception cref="ArgumentException">The value does not match the element type.</exception>
    public void SetElement(int index, WasmValue value)
    {
        CheckIndex(index);
        CheckMutable();
        GcValueChecks.CheckStorable(value, Rtt.Element.Storage, nameof(value));
        SetCore(index, value);
    }

    /// <summary>Reads an i32 element, or a packed element zero-extended.</summary>
    public int GetInt32(int index) => GetElement(index).AsInt32();

    /// <summary>Reads an i64 element.</summary>
    public long GetInt64(int index) => GetElement(index).AsInt64();

    /// <summary>Reads an f32 element.</summary>
    public float GetSingle(int index) => GetElement(index).AsSingle();

    /// <summary>Reads an f64 element.</summary>
    public double GetDouble(int index) => GetElement(index).AsDouble();

    /// <summary>Reads a v128 element.</summary>
    public Vector128<byte> GetVector(int index) => GetElement(index).AsVector();

    /// <summary>Reads a reference element.</summary>
    public object? GetReference(int index) => GetElement(index).AsReference();

    /// <summary>Writes an i32 element, or the low bits of a packed element.</summary>
    public void SetInt32(int index, int value) => SetElement(index, WasmValue.FromInt32(value));

    /// <summary>Writes an i64 element.</summary>
    public void SetInt64(int index, long value) => SetElement(index, WasmValue.FromInt64(value));

    /// <summary>Writes an f32 element.</summary>
    public void SetSingle(int index, float value) => SetElement(index, WasmValue.FromSingle(value));

    /// <summary>Writes an f64 element.</summary>
    public void SetDouble(int index, double value) => SetElement(index, WasmValue.FromDouble(value));

    /// <summary>Writes a v128 element.</summary>
    public void SetVector(int index, Vector128<byte> value) => SetElement(index, WasmValue.FromVector(value));

    /// <summary>Writes a reference element; the reference must match the element type.</summary>
    public void SetReference(int index, object? value) => SetElement(index, WasmValue.FromReference(value));

    /// <summary>
    /// The elements of a mutable numeric array, with no copy: writes through the span are what wasm reads. <typeparamref name="T"/>
    /// is the element's .NET type (<see cref="ElementType"/>) or a smaller unmanaged type viewing the same bytes,
    /// e.g. <c>byte</c> over any numeric array (little-endian).
    /// </summary>
    /// <exception cref="InvalidOperationException">The array is immutable (use <see cref="AsReadOnlySpan{T}"/>) or holds references.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> cannot view the elements.</exception>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckMutable();
        return SpanCore<T>();
    }

    /// <summary>The elements of a numeric array, read-only, with no copy (see <see cref="AsSpan{T}"/>).</summary>
    /// <exception cref="InvalidOperationException">The array holds references.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> cannot view the elements.</exception>
    public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged => SpanCore<T>();

    /// <summary>Copies the elements of a numeric array into a new .NET array.</summary>
    public T[] ToArray<T>() where T : unmanaged => SpanCore<T>().ToArray();

    internal abstract WasmValue GetCore(int index);

    internal abstract void SetCore(int index, WasmValue value);

    internal abstract Span<T> SpanCore<T>() where T : unmanaged;

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)ElementCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the array has {ElementCount} elements");
        }
    }

    private void CheckMutable()
    {
        if (!Rtt.Element.Mutable) throw new InvalidOperationException($"the array type {Rtt} is immutable");
    }
}

/// <summary>An array whose elements are stored in a <typeparamref name="T"/>[] (see <see cref="GcStorage.ClrType"/>).</summary>
internal sealed class GcArray<T> : GcArray
{
    // Compiled code indexes this directly after its own bounds check.
    internal readonly T[] Elements;

    internal GcArray(DefinedType type, T[] elements)
        : base(type, elements.Length)
    {
        Elements = elements;
    }

    public override Type ElementType => typeof(T);

    internal override WasmValue GetCore(int index)
    {
        if (typeof(T) == typeof(byte)) return WasmValue.FromInt32((byte)(object)Elements[index]!);
        if (typeof(T) == typeof(short)) return WasmValue.FromInt32((ushort)(short)(object)Elements[index]!);
        if (typeof(T) == typeof(int)) return WasmValue.FromInt32((int)(object)Elements[index]!);
        if (typeof(T) == typeof(long)) return WasmValue.FromInt64((long)(object)Elements[index]!);
        if (typeof(T) == typeof(float)) return WasmValue.FromSingleBits(BitConverter.SingleToUInt32Bits((float)(object)Elements[index]!));
        if (typeof(T) == typeof(double)) return WasmValue.FromDoubleBits(BitConverter.DoubleToUInt64Bits((double)(object)Elements[index]!));
        if (typeof(T) == typeof(Vector128<byte>)) return WasmValue.FromVector((Vector128<byte>)(object)Elements[index]!);
        return WasmValue.FromReference(Elements[index]);
    }

    internal override void SetCore(int index, WasmValue value)
    {
        if (typeof(T) == typeof(byte)) Elements[index] = (T)(object)(byte)value.AsInt32();
        else if (typeof(T) == typeof(short)) Elements[index] = (T)(object)(short)value.AsInt32();
        else if (typeof(T) == typeof(int)) Elements[index] = (T)(object)value.AsInt32();
        else if (typeof(T) == typeof(long)) Elements[index] = (T)(object)value.AsInt64();
        else if (typeof(T) == typeof(float)) Elements[index] = (T)(object)BitConverter.UInt32BitsToSingle((uint)value.Bits);
        else if (typeof(T) == typeof(double)) Elements[index] = (T)(object)BitConverter.UInt64BitsToDouble(value.Bits);
        else if (typeof(T) == typeof(Vector128<byte>)) Elements[index] = (T)(object)value.AsVector();
        else Elements[index] = (T)value.AsReference()!;
    }

    internal override Span<TView> SpanCore<TView>()
    {
        if (typeof(T) == typeof(object)) throw new InvalidOperationException("an array of references has no span view; use GetReference/SetReference");
        int size = Unsafe.SizeOf<T>();
        int viewSize = Unsafe.SizeOf<TView>();
        if (typeof(TView) != typeof(T) && (viewSize > size || size % viewSize != 0))
        {
            throw new ArgumentException($"{typeof(TView).Name} cannot view the elements of an array of {typeof(T).Name}");
        }
        ref var first = ref MemoryMarshal.GetArrayDataReference(Elements);
        return MemoryMarshal.CreateSpan(ref Unsafe.As<T, TView>(ref first), Elements.Length * (size / viewSize));
    }
}
