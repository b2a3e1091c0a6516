using System.Buffers.Binary;
using System.Text;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>A growable byte buffer with the wasm binary encodings: LEB128 integers, names, types.</summary>
internal sealed class WasmWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty writer.</summary>
    public WasmWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>The number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets everything written.</summary>
    public void Clear() => _length = 0;

    /// <summary>Drops everything written after the first <paramref name="length"/> bytes.</summary>
    public void SetLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Writes a byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Writes raw bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Writes an unsigned LEB128 integer.</summary>
    public void WriteU32(uint value) => WriteU64(value);

    /// <summary>Writes an unsigned LEB128 integer.</summary>
    public void WriteU64(ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            WriteByte(b);
        }
        while (value != 0);
    }

    /// <summary>Writes a signed LEB128 integer.</summary>
    public void WriteS32(int value) => WriteS64(value);

    /// <summary>Writes a signed LEB128 integer.</summary>
    public void WriteS64(long value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            if (!done) b |= 0x80;
            WriteByte(b);
            if (done) return;
        }
    }

    /// <summary>Writes four little-endian bytes.</summary>
    public void WriteFixed32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    /// <summary>Writes eight little-endian bytes.</summary>
    public void WriteFixed64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Writes a length-prefixed UTF-8 name.</summary>
    public void WriteName(string name)
    {
        int count = Encoding.UTF8.GetByteCount(name);
        WriteU32((uint)count);
        Encoding.UTF8.GetBytes(name, Reserve(count));
    }

    /// <summary>Writes a length-prefixed byte string.</summary>
    public void WriteByteString(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>Writes a heap type.</summary>
    public void WriteHeapType(HeapType heap)
    {
        if (heap.IsConcrete) WriteS64(heap.Index);
        else WriteByte((byte)heap.AbstractCode);
    }

    /// <summary>Writes a value type, using the shorthand byte for nullable abstract references.</summary>
    public void WriteValType(ValType type)
    {
        if (!type.IsRef)
        {
            WriteByte((byte)type.NumberCode);
            return;
        }
        if (type.Nullable && !type.Heap.IsConcrete)
        {
            WriteByte((byte)type.Heap.AbstractCode);
            return;
        }
        WriteByte(type.Nullable ? (byte)0x63 : (byte)0x64);
        WriteHeapType(type.Heap);
    }

    /// <summary>Writes a storage type.</summary>
    public void WriteStorageType(StorageType type)
    {
        switch (type.Packed)
        {
            case PackedType.I8: WriteByte(0x78); break;
            case PackedType.I16: WriteByte(0x77); break;
            default: WriteValType(type.Type); break;
        }
    }

    /// <summary>Writes a block type.</summary>
    public void WriteBlockType(BlockType type)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Empty: WriteByte(0x40); break;
            case BlockTypeKind.Value: WriteValType(type.Type); break;
            default: WriteS64(type.TypeIndex); break;
        }
    }
}
