namespace Weft.Runtime;

/// <summary>
/// Bulk memory operations called from compiled code (spec 4.4.7): bounds are checked before any byte moves. With a
/// <c>meter</c> (a store with fuel, interrupts or a GC budget) each spends fuel by its length before it starts and
/// checks the interrupt flag between pieces (see <see cref="BulkWork"/>); code for other stores passes null.
/// </summary>
internal static unsafe class MemoryOps
{
    /// <summary>memory.grow: the old size in pages, or -1.</summary>
    public static long Grow(ulong delta, Memory memory) => memory.Grow(delta);

    /// <summary>memory.fill.</summary>
    public static void Fill(ulong destination, int value, ulong count, Memory memory, Store? meter)
    {
        ulong length = memory.Length;
        if (destination > length || count > length - destination) Traps.OutOfBoundsMemory();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count);
        BulkWork.Fill(memory.Base + destination, (byte)value, count, meter);
    }

    /// <summary>memory.copy (overlapping ranges behave as if copied through a temporary buffer).</summary>
    public static void Copy(ulong destination, ulong source, ulong count, Memory target, Memory origin, Store? meter)
    {
        if (destination > target.Length || count > target.Length - destination) Traps.OutOfBoundsMemory();
        if (source > origin.Length || count > origin.Length - source) Traps.OutOfBoundsMemory();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count);
        if (count == 0) return;
        BulkWork.Copy(origin.Base + source, target.Base + destination, count, meter);
    }

    /// <summary>memory.init.</summary>
    public static void Init(ulong destination, ulong source, ulong count, Memory memory, byte[] data, Store? meter)
    {
        if (source > (ulong)data.Length || count > (ulong)data.Length - source) Traps.OutOfBoundsMemory();
        if (destination > memory.Length || count > memory.Length - destination) Traps.OutOfBoundsMemory();
        if (meter is not null) ExecutionChecks.ChargeBulk(meter, count);
        if (count == 0) return;
        BulkWork.Copy(data.AsSpan((int)source, (int)count), new Span<byte>(memory.Base + destination, (int)count), meter);
    }
}
