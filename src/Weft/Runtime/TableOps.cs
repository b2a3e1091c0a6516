namespace Weft.Runtime;

/// <summary>
/// Table instructions called from compiled code (spec 4.4.6): bounds are checked before any element moves. The bulk
/// ones take a <c>meter</c> as <see cref="MemoryOps"/> do (fuel counts an element as 8 bytes).
/// </summary>
internal static class TableOps
{
    /// <summary>table.get.</summary>
    public static object? Get(ulong index, Table table)
    {
        if (index >= table.Length) Traps.OutOfBoundsTable();
        return table.Elements[index];
    }

    /// <summary>table.set.</summary>
    public static void Set(ulong index, object? value, Table table)
    {
        if (index >= table.Length) Traps.OutOfBoundsTable();
        table.Elements[index] = value;
    }

    /// <summary>table.size.</summary>
    public static long Size(Table table) => (long)table.Length;

    /// <summary>table.grow: the old size, or -1.</summary>
    public static long Grow(object? initial, ulong delta, Table table) => table.Grow(delta, initial);

    /// <summary>table.fill.</summary>
    public static void Fill(ulong index, object? value, ulong count, Table table, Store? meter)
    {
        if (index > table.Length || count > table.Length - index) Traps.OutOfBoundsTable();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count * 8);
        BulkWork.Fill(table.Elements.AsSpan((int)index, (int)count), value, meter);
    }

    /// <summary>table.copy (overlap-safe).</summary>
    public static void Copy(ulong destination, ulong source, ulong count, Table target, Table origin, Store? meter)
    {
        if (destination > target.Length || count > target.Length - destination) Traps.OutOfBoundsTable();
        if (source > origin.Length || count > origin.Length - source) Traps.OutOfBoundsTable();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count * 8);
        BulkWork.Copy(origin.Elements, (long)source, target.Elements, (long)destination, (long)count, meter);
    }

    /// <summary>table.init.</summary>
    public static void Init(ulong destination, ulong source, ulong count, Table table, object?[] segment, Store? meter)
    {
        if (source > (ulong)segment.Length || count > (ulong)segment.Length - source) Traps.OutOfBoundsTable();
        if (destination > table.Length || count > table.Length - destination) Traps.OutOfBoundsTable();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count * 8);
        BulkWork.Copy(segment, (long)source, table.Elements, (long)destination, (long)count, meter);
    }

    /// <summary>ref.eq: identity, except that i31 references compare by value.</summary>
    public static int RefEq(object? a, object? b) => ReferenceEquals(a, b) || (a is I31Ref x && b is I31Ref y && x.SignedValue == y.SignedValue) ? 1 : 0;
}
