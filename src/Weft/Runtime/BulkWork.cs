using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// The work of bulk instructions (fills and copies of memories, tables, arrays) for stores that meter it. Without a
/// meter (null: the code was compiled for a store with no fuel, interrupts or GC budget) a range is done in one
/// call; with one it is done in pieces of <see cref="ExecutionChecks.ChunkBytes"/> with an interrupt check between
/// them, so a deadline stops a multi-gigabyte instruction part-way. Bounds and fuel are checked by the caller first.
/// </summary>
internal static unsafe class BulkWork
{
    /// <summary>Bytes one element of <typeparamref name="T"/> counts for fuel and pieces (a reference: 8).</summary>
    public static int ElementBytes<T>() => typeof(T) == typeof(object) ? 8 : Unsafe.SizeOf<T>();

    /// <summary>Fills <paramref name="count"/> bytes at <paramref name="p"/> (a memory range, which may exceed 2 GiB).</summary>
    public static void Fill(byte* p, byte value, ulong count, Store? meter)
    {
        ulong piece = meter is null ? int.MaxValue : (ulong)ExecutionChecks.ChunkBytes;
        while (count > 0)
        {
            int n = (int)Math.Min(count, piece);
            new Span<byte>(p, n).Fill(value);
            p += n;
            count -= (ulong)n;
            if (count > 0 && meter is not null) ExecutionChecks.CheckInterrupt(meter);
        }
    }

    /// <summary>Copies <paramref name="count"/> bytes; overlapping ranges behave as if copied through a temporary.</summary>
    public static void Copy(byte* from, byte* to, ulong count, Store? meter)
    {
        if (meter is null || count <= (ulong)ExecutionChecks.ChunkBytes)
        {
            Buffer.MemoryCopy(from, to, count, count);
            return;
        }
        // Each piece is a memmove; across pieces, a destination above an overlapping source is copied from the end
        // so that no piece reads bytes an earlier piece has overwritten.
        bool backward = to > from && to < from + count;
        while (count > 0)
        {
            ulong n = Math.Min(count, (ulong)ExecutionChecks.ChunkBytes);
            if (backward)
            {
                Buffer.MemoryCopy(from + count - n, to + count - n, n, n);
            }
            else
            {
                Buffer.MemoryCopy(from, to, n, n);
                from += n;
                to += n;
            }
            count -= n;
            if (count > 0) ExecutionChecks.CheckInterrupt(meter);
        }
    }

    /// <summary>Fills a span of elements.</summary>
    public static void Fill<T>(Span<T> elements, T value, Store? meter)
    {
        if (meter is null)
        {
            elements.Fill(value);
            return;
        }
        int piece = ExecutionChecks.ChunkBytes / ElementBytes<T>();
        while (elements.Length > piece)
        {
            elements[..piece].Fill(value);
            elements = elements[piece..];
            ExecutionChecks.CheckInterrupt(meter);
        }
        elements.Fill(value);
    }

    /// <summary>Copies elements between .NET arrays (the same array included: overlap behaves as through a temporary).</summary>
    public static void Copy<T>(T[] source, long sourceIndex, T[] destination, long destinationIndex, long count, Store? meter)
    {
        long piece = ExecutionChecks.ChunkBytes / ElementBytes<T>();
        if (meter is null || count <= piece)
        {
            Array.Copy(source, sourceIndex, destination, destinationIndex, count);
            return;
        }
        bool backward = ReferenceEquals(source, destination) && destinationIndex > sourceIndex;
        while (count > 0)
        {
            long n = Math.Min(count, piece);
            if (backward)
            {
                Array.Copy(source, sourceIndex + count - n, destination, destinationIndex + count - n, n);
            }
            else
            {
                Array.Copy(source, sourceIndex, destination, destinationIndex, n);
                sourceIndex += n;
                destinationIndex += n;
            }
            count -= n;
            if (count > 0) ExecutionChecks.CheckInterrupt(meter);
        }
    }

    /// <summary>Copies bytes between ranges that do not overlap (a segment into a memory or an array).</summary>
    public static void Copy(ReadOnlySpan<byte> from, Span<byte> to, Store? meter)
    {
        if (meter is not null)
        {
            while (from.Length > ExecutionChecks.ChunkBytes)
            {
                from[..ExecutionChecks.ChunkBytes].CopyTo(to);
                from = from[ExecutionChecks.ChunkBytes..];
                to = to[ExecutionChecks.ChunkBytes..];
                ExecutionChecks.CheckInterrupt(meter);
            }
        }
        from.CopyTo(to);
    }
}
