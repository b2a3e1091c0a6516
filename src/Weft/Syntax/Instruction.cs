namespace Weft.Syntax;

/// <summary>
/// One decoded instruction: its opcode and immediates. Which fields are meaningful depends on the opcode's
/// <see cref="ImmediateKind"/>:
/// <list type="bullet">
/// <item>BlockType, TryTable: <see cref="BlockType"/> (TryTable: catch clauses at <see cref="VectorOffset"/>, <see cref="VectorCount"/>).</item>
/// <item>Label, Function, Type, Local, Global, Table, Tag, Memory, Data, Element: <see cref="Index"/>.</item>
/// <item>BrTable: targets at <see cref="VectorOffset"/> (<see cref="VectorCount"/> of them), default label in <see cref="Index"/>.</item>
/// <item>CallIndirect: type <see cref="Index"/>, table <see cref="Index2"/>.</item>
/// <item>MemoryCopy / TableCopy: destination <see cref="Index"/>, source <see cref="Index2"/>.</item>
/// <item>MemoryInit / TableInit: segment <see cref="Index"/>, memory or table <see cref="Index2"/>.</item>
/// <item>I32, I64: <see cref="Value"/> (sign-extended); F32, F64: raw bits in <see cref="Value"/>; V128, Shuffle: low 8 bytes in <see cref="Value"/>, high in <see cref="Value2"/>.</item>
/// <item>SelectTypes: the types at <see cref="VectorOffset"/> (<see cref="VectorCount"/> of them).</item>
/// <item>HeapType: <see cref="HeapType"/>. BrOnCast: flags in <see cref="Byte"/>, label <see cref="Index"/>, <see cref="HeapType"/> and <see cref="HeapType2"/>.</item>
/// <item>StructField: type <see cref="Index"/>, field <see cref="Index2"/>. ArrayNewFixed: type, count. TypeData, TypeElement, TypeType: type, second index.</item>
/// <item>MemArg: memory <see cref="Index"/>, alignment exponent <see cref="Byte"/>, offset <see cref="Value"/>. MemArgLane: also lane in <see cref="Index2"/>.</item>
/// <item>Lane: lane in <see cref="Byte"/>.</item>
/// </list>
/// </summary>
internal readonly struct Instruction
{
    /// <summary>The opcode.</summary>
    public Opcode Opcode { get; init; }

    /// <summary>The position of the opcode within its expression's encoded bytes.</summary>
    public int Position { get; init; }

    /// <summary>The first index immediate.</summary>
    public uint Index { get; init; }

    /// <summary>The second index immediate.</summary>
    public uint Index2 { get; init; }

    /// <summary>A constant's bits, or a memory offset.</summary>
    public ulong Value { get; init; }

    /// <summary>The high 64 bits of a v128 constant or shuffle.</summary>
    public ulong Value2 { get; init; }

    /// <summary>An alignment exponent, lane index or cast flags.</summary>
    public byte Byte { get; init; }

    /// <summary>The block type of a structured instruction.</summary>
    public BlockType BlockType { get; init; }

    /// <summary>The (first) heap type immediate.</summary>
    public HeapType HeapType { get; init; }

    /// <summary>The second heap type immediate (br_on_cast).</summary>
    public HeapType HeapType2 { get; init; }

    /// <summary>Where a vector immediate starts within the encoded bytes.</summary>
    public int VectorOffset { get; init; }

    /// <summary>How many elements a vector immediate has.</summary>
    public uint VectorCount { get; init; }

    /// <summary>The value of an i32.const.</summary>
    public int I32 => (int)Value;

    /// <summary>The value of an i64.const.</summary>
    public long I64 => (long)Value;

    /// <summary>The bits of an f32.const.</summary>
    public uint F32Bits => (uint)Value;

    /// <summary>The bits of an f64.const.</summary>
    public ulong F64Bits => Value;

    /// <summary>The information of the opcode.</summary>
    public OpcodeInfo Info => OpcodeTable.Get(Opcode);

    /// <summary>The mnemonic and position, for diagnostics.</summary>
    public override string ToString() => $"{OpcodeTable.NameOf(Opcode)} @{Position}";
}
