using System.Buffers.Binary;

namespace Weft.Wasi;

/// <summary>A WASI <c>filestat</c>: what the OS says about a file (times in nanoseconds since the Unix epoch).</summary>
internal readonly record struct FileStat(ulong Device, ulong Inode, FileType Type, ulong Links, ulong Size, ulong Atime, ulong Mtime, ulong Ctime)
{
    /// <summary>The size of a <c>filestat</c> record.</summary>
    public const int Size_ = 64;

    /// <summary>Writes the record (spec layout: dev, ino, filetype, nlink, size, atim, mtim, ctim).</summary>
    public void Write(Span<byte> target)
    {
        target[..Size_].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(target, Device);
        BinaryPrimitives.WriteUInt64LittleEndian(target[8..], Inode);
        target[16] = (byte)Type;
        BinaryPrimitives.WriteUInt64LittleEndian(target[24..], Links);
        BinaryPrimitives.WriteUInt64LittleEndian(target[32..], Size);
        BinaryPrimitives.WriteUInt64LittleEndian(target[40..], Atime);
        BinaryPrimitives.WriteUInt64LittleEndian(target[48..], Mtime);
        BinaryPrimitives.WriteUInt64LittleEndian(target[56..], Ctime);
    }
}
