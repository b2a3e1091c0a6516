using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Weft.Syntax;

namespace Weft.Binary;

/// <summary>
/// A cursor over wasm binary bytes: LEB128 integers, floats, names and types, failing with the spec's
/// "malformed" messages. A <c>ref struct</c> over a span, so reading allocates nothing.
/// </summary>
internal ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    /// <summary>Creates a reader over <paramref name="data"/>, whose first byte lies at <paramref name="baseOffset"/> in the module.</summary>
    public WasmReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _pos = 0;
        BaseOffset = baseOffset;
    }

    /// <summary>The module offset of the first byte of the span (for error positions).</summary>
    public int BaseOffset { get; }

    /// <summary>The current position within the span.</summary>
    public int Position
    {
        readonly get => _pos;
        set => _pos = value;
    }

    /// <summary>The current position as a module offset.</summary>
    public readonly int Offset => BaseOffset + _pos;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _data.Length - _pos;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>The whole span.</summary>
    public readonly ReadOnlySpan<byte> Data => _data;

    /// <summary>Throws a malformed-module error at a module offset.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fail(string reason, long offset) => throw new MalformedModuleException(reason, offset);

    /// <summary>Throws a malformed-module error at the current position.</summary>
    [DoesNotReturn]
    public readonly void Fail(string reason) => Fail(reason, Offset);

    [DoesNotReturn]
    private readonly void FailEnd() => Fail("unexpected end of section or function", BaseOffset + _data.Length);

    /// <summary>The next byte without consuming it, or -1 at the end.</summary>
    public readonly int Peek() => _pos < _data.Length ? _data[_pos] : -1;

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if ((uint)_pos >= (uint)_data.Length) FailEnd();
        return _data[_pos++];
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _pos) FailEnd();
        var span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count) => ReadBytes(count);

    /// <summary>Reads an unsigned LEB128 integer of at most 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadU32()
    {
        if (_pos < _data.Length && _data[_pos] < 0x80) return _data[_pos++];
        return (uint)ReadUnsigned(32);
    }

    /// <summary>Reads an unsigned LEB128 integer of at most 64 bits.</summary>
    public ulong ReadU64() => ReadUnsigned(64);

    /// <summary>Reads an unsigned LEB128 integer of at most <paramref name="bits"/> bits (spec: uN).</summary>
    public ulong ReadUnsigned(int bits)
    {
        ulong result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) Fail("integer representation too long");
            byte b = ReadByte();
            if (remaining < 7 && (b & 0x7F) >= (1 << remaining)) Fail("integer too large", Offset - 1);
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
            remaining -= 7;
        }
    }

    /// <summary>Reads a signed LEB128 integer of at most 32 bits.</summary>
    public int ReadS32() => (int)ReadSigned(32);

    /// <summary>Reads a signed LEB128 integer of at most 33 bits (block types, heap types).</summary>
    public long ReadS33() => ReadSigned(33);

    /// <summary>Reads a signed LEB128 integer of at most 64 bits.</summary>
    public long ReadS64() => ReadSigned(64);

    /// <summary>Reads a signed LEB128 integer of at most <paramref name="bits"/> bits (spec: sN).</summary>
    public long ReadSigned(int bits)
    {
        long result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) Fail("integer representation too long");
            byte b = ReadByte();
            if (remaining < 7)
            {
                int mask = (-1 << (remaining - 1)) & 0x7F;
                if ((b & mask) != 0 && (b & mask) != mask) Fail("integer too large", Offset - 1);
            }
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
            remaining -= 7;
        }
    }

    /// <summary>Reads four little-endian bytes (an f32's bits).</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>Reads eight little-endian bytes (an f64's bits).</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    /// <summary>
    /// Reads a u32 length or vector count that must fit in the rest of the input ("length out of bounds"). Like the
    /// reference decoder, the bound is measured from where the length's own encoding starts, so a length that overruns
    /// by no more than its LEB128 bytes is caught later as "unexpected end" when the content is read.
    /// </summary>
    public int ReadLength()
    {
        int startPos = _pos;
        uint n = ReadU32();
        if (n > (uint)(_data.Length - startPos)) Fail("length out of bounds", BaseOffset + startPos);
        return (int)n;
    }

    /// <summary>Reads the element count of a vector: a length (each element takes at least one byte).</summary>
    public uint ReadCount() => (uint)ReadLength();

    /// <summary>Reads a name: a length-prefixed UTF-8 string ("malformed UTF-8 encoding").</summary>
    public string ReadName()
    {
        int start = Offset;
        int length = ReadLength();
        var bytes = ReadBytes(length);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) Fail("malformed UTF-8 encoding", start);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Reads a one-byte type code, which the spec encodes as a signed 7-bit LEB128 (s7): a byte with the continuation
    /// bit set cannot be one ("integer representation too long").
    /// </summary>
    private byte ReadTypeCode()
    {
        byte b = ReadByte();
        if (b >= 0x80) Fail("integer representation too long");
        return b;
    }

    /// <summary>Reads a signed 33-bit LEB128 without failing; false (position unspecified) when it is malformed.</summary>
    private bool TryReadS33(out long value)
    {
        value = 0;
        int shift = 0;
        for (int remaining = 33; remaining > 0; remaining -= 7)
        {
            if (_pos >= _data.Length) return false;
            byte b = _data[_pos++];
            if (remaining < 7)
            {
                int mask = (-1 << (remaining - 1)) & 0x7F;
                if ((b & mask) != 0 && (b & mask) != mask) return false;
            }
            value |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0) value |= -1L << shift;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads a heap type: a non-negative s33 type index, or an abstract heap type byte. As in the reference decoder, an
    /// encoding that is neither is reported as the abstract form's error.
    /// </summary>
    public HeapType ReadHeapType()
    {
        int start = _pos;
        if (TryReadS33(out long index) && index >= 0 && index <= int.MaxValue) return HeapType.Concrete((uint)index);
        _pos = start;
        byte b = ReadTypeCode();
        if (HeapType.FromAbstractCode(b) is { } abs) return abs;
        Fail("malformed heap type", BaseOffset + start);
        return default;
    }

    /// <summary>Reads a reference type (a shorthand byte, or 0x63/0x64 followed by a heap type).</summary>
    public ValType ReadRefType()
    {
        int start = Offset;
        byte b = ReadTypeCode();
        if (HeapType.FromAbstractCode(b) is { } abs) return ValType.Ref(abs, nullable: true);
        return b switch
        {
            0x63 => ValType.Ref(ReadHeapType(), nullable: true),
            0x64 => ValType.Ref(ReadHeapType(), nullable: false),
            _ => FailRefType(start),
        };
    }

    [DoesNotReturn]
    private static ValType FailRefType(int offset)
    {
        Fail("malformed reference type", offset);
        return default;
    }

    /// <summary>
    /// Reads a value type. An unknown code is reported as a malformed reference type, the last alternative the
    /// reference decoder tries.
    /// </summary>
    public ValType ReadValType()
    {
        switch (Peek())
        {
            case 0x7F: _pos++; return ValType.I32;
            case 0x7E: _pos++; return ValType.I64;
            case 0x7D: _pos++; return ValType.F32;
            case 0x7C: _pos++; return ValType.F64;
            case 0x7B: _pos++; return ValType.V128;
            default: return ReadRefType();
        }
    }

    /// <summary>Reads a storage type: a value type or a packed type (0x78 i8, 0x77 i16).</summary>
    public StorageType ReadStorageType()
    {
        int start = Offset;
        int b = Peek();
        switch (b)
        {
            case 0x78: _pos++; return StorageType.I8;
            case 0x77: _pos++; return StorageType.I16;
            case 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x63 or 0x64: return StorageType.Of(ReadValType());
            default:
                if (b >= 0 && HeapType.FromAbstractCode(b) is not null) return StorageType.Of(ReadValType());
                ReadTypeCode();
                Fail("malformed storage type", start);
                return default;
        }
    }

    /// <summary>Reads a mutability flag (0 const, 1 var).</summary>
    public bool ReadMutability()
    {
        byte b = ReadByte();
        if (b > 1) Fail("malformed mutability", Offset - 1);
        return b == 1;
    }

    /// <summary>
    /// Reads a block type: empty (0x40), a value type, or a non-negative s33 type index. A negative one-byte s33 is a
    /// value type code; a longer encoding that is no valid type index is reported as the reference decoder does.
    /// </summary>
    public BlockType ReadBlockType()
    {
        int b = Peek();
        if (b == 0x40)
        {
            _pos++;
            return BlockType.Empty;
        }
        if (b is >= 0x40 and < 0x80) return BlockType.Of(ReadValType());
        int start = _pos;
        if (TryReadS33(out long index) && index >= 0 && index <= int.MaxValue) return BlockType.OfTypeIndex((uint)index);
        _pos = start;
        ReadTypeCode();
        Fail("malformed block type", BaseOffset + start);
        return default;
    }
}
