namespace Weft.Runtime;

/// <summary>Bulk memory operations called from compiled code (spec 4.4.7): bounds are checked before any byte moves.</summary>
internal static unsafe class MemoryOps
{
    /// <summary>memory.grow: the old size in pages, or -1.</summary>
    public static long Grow(ulong delta, Memory memory) => memory.Grow(delta);

    /// <summary>memory.fill.</summary>
    public static void Fill(ulong destination, int value, ulong count, Memory memory)
    {
        ulong length = memory.Length;
        if (destination > length || count > length - destination) Traps.OutOfBoundsMemory();
        byte* p = memory.Base + destination;
        while (count > 0)
        {
            int chunk = (int)Math.Min(count, int.MaxValue);
            new Span<byte>(p, chunk).Fill((byte)value);
            p += chunk;
            count -= (ulong)chunk;
        }
    }

    /// <summary>memory.copy (overlapping ranges behave as if copied through a temporary buffer).</summary>
    public static void Copy(ulong destination, ulong source, ulong count, Memory target, Memory origin)
    {
        if (destination > target.Length || count > target.Length - destination) Traps.OutOfBoundsMemory();
        if (source > origin.Length || count > origin.Length - source) Traps.OutOfBoundsMemory();
        if (count == 0) return;
        Buffer.MemoryCopy(origin.Base + source, target.Base + destination, count, count);
    }

    /// <summary>memory.init.</summary>
    public static void Init(ulong destination, ulong source, ulong count, Memory memory, byte[] data)
    {
        if (source > (ulong)data.Length || count > (ulong)data.Length - source) Traps.OutOfBoundsMemory();
        if (destination > memory.Length || count > memory.Length - destination) Traps.OutOfBoundsMemory();
        if (count == 0) return;
        data.AsSpan((int)source, (int)count).CopyTo(new Span<byte>(memory.Base + destination, (int)count));
    }
}
