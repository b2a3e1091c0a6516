using Weft.Runtime;
using Weft.Syntax;

namespace Weft;

/// <summary>A table of references (functions, externrefs, GC objects), shared between instances and the host.</summary>
public sealed class Table : Extern
{
    // Compiled code indexes Elements directly after checking against Length; Elements may be longer (capacity).
    internal object?[] Elements;
    internal ulong Length;
    private readonly ulong _max;

    /// <summary>Creates a table filled with an initial value.</summary>
    /// <param name="store">The store the table belongs to.</param>
    /// <param name="type">Its type (the element type in canonical form when it names a defined type).</param>
    /// <param name="initial">The value of every element.</param>
    public Table(Store store, TableType type, object? initial = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(type);
        Store = store;
        Type = type;
        ulong specMax = type.Limits.AddressType == AddressType.I64 ? ulong.MaxValue : uint.MaxValue;
        ulong max = Math.Min(type.Limits.Max ?? specMax, specMax);
        if (store.Limits.MaxTableElements is { } cap) max = Math.Min(max, cap);
        _max = Math.Min(max, (ulong)Array.MaxLength);
        if (type.Limits.Min > _max) throw new TrapException(TrapKind.OutOfBoundsTableAccess, "table too large to allocate");
        Elements = new object?[type.Limits.Min];
        Length = type.Limits.Min;
        CheckElement(initial, nameof(initial));
        if (initial is not null) Array.Fill(Elements, initial);
    }

    /// <summary>The store that owns the table.</summary>
    public Store Store { get; }

    /// <summary>The declared type.</summary>
    public TableType Type { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Table;

    /// <summary>The current number of elements.</summary>
    public ulong Size => Length;

    /// <summary>Reads an element.</summary>
    /// <exception cref="TrapException">The index is out of bounds.</exception>
    public object? Get(ulong index)
    {
        if (index >= Length) Traps.OutOfBoundsTable();
        return Elements[index];
    }

    /// <summary>Writes an element, which must be of the element type.</summary>
    /// <exception cref="TrapException">The index is out of bounds.</exception>
    /// <exception cref="ArgumentException">The value does not match the element type.</exception>
    /// <exception cref="LinkException">The value is a function of another store.</exception>
    public void Set(ulong index, object? value)
    {
        if (index >= Length) Traps.OutOfBoundsTable();
        CheckElement(value, nameof(value));
        Elements[index] = value;
    }

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="initial"/>; returns the old size or -1.</summary>
    /// <exception cref="ArgumentException">The value does not match the element type.</exception>
    /// <exception cref="LinkException">The value is a function of another store.</exception>
    public long Grow(ulong delta, object? initial)
    {
        CheckElement(initial, nameof(initial));
        ulong old = Length;
        if (delta > _max - old) return -1;
        ulong size = old + delta;
        if (size > (ulong)Elements.Length)
        {
            ulong capacity = Math.Min(Math.Max(size, (ulong)Elements.Length * 2), _max);
            var grown = new object?[capacity];
            Array.Copy(Elements, grown, (long)old);
            Elements = grown;
        }
        if (initial is not null) Array.Fill(Elements, initial, (int)old, (int)delta);
        Length = size;
        return (long)old;
    }

    // Compiled code trusts the table's element type (a funcref is called, a struct read without a cast), so a value
    // stored by the host must have it. Nulls are checked where they are used. A function must be of this store:
    // call_indirect runs it with no store transition.
    private void CheckElement(object? value, string parameter)
    {
        if (value is not null && !Gc.GcCasts.MatchesHeap(value, Type.ElementType.Heap))
        {
            throw new ArgumentException($"the reference does not match the table's element type {Type.ElementType}", parameter);
        }
        StoreOwnership.CheckReference(Store, value, "the function");
    }
}
