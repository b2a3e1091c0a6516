namespace Weft.Syntax;

/// <summary>The shape of the immediates that follow an opcode in the binary format.</summary>
internal enum ImmediateKind : byte
{
    /// <summary>No immediates.</summary>
    None,
    /// <summary>A block type (block, loop, if, legacy try).</summary>
    BlockType,
    /// <summary>A block type followed by a vector of catch clauses.</summary>
    TryTable,
    /// <summary>A label index.</summary>
    Label,
    /// <summary>A vector of label indices followed by the default label.</summary>
    BrTable,
    /// <summary>A function index.</summary>
    Function,
    /// <summary>A type index followed by a table index.</summary>
    CallIndirect,
    /// <summary>A type index.</summary>
    Type,
    /// <summary>A local index.</summary>
    Local,
    /// <summary>A global index.</summary>
    Global,
    /// <summary>A table index.</summary>
    Table,
    /// <summary>A tag index.</summary>
    Tag,
    /// <summary>A memory index.</summary>
    Memory,
    /// <summary>Destination and source memory indices.</summary>
    MemoryCopy,
    /// <summary>A data index followed by a memory index.</summary>
    MemoryInit,
    /// <summary>A data index.</summary>
    Data,
    /// <summary>An element index followed by a table index.</summary>
    TableInit,
    /// <summary>An element index.</summary>
    Element,
    /// <summary>Destination and source table indices.</summary>
    TableCopy,
    /// <summary>A signed 32-bit LEB128 constant.</summary>
    I32,
    /// <summary>A signed 64-bit LEB128 constant.</summary>
    I64,
    /// <summary>Four little-endian bytes of an f32.</summary>
    F32,
    /// <summary>Eight little-endian bytes of an f64.</summary>
    F64,
    /// <summary>Sixteen bytes of a v128.</summary>
    V128,
    /// <summary>A vector of value types (typed select).</summary>
    SelectTypes,
    /// <summary>A heap type (ref.null, ref.test, ref.cast).</summary>
    HeapType,
    /// <summary>Cast flags, a label and two heap types.</summary>
    BrOnCast,
    /// <summary>A type index and a field index.</summary>
    StructField,
    /// <summary>A type index and an element count.</summary>
    ArrayNewFixed,
    /// <summary>A type index and a data index.</summary>
    TypeData,
    /// <summary>A type index and an element index.</summary>
    TypeElement,
    /// <summary>Two type indices.</summary>
    TypeType,
    /// <summary>A memory argument: alignment, optional memory index, offset.</summary>
    MemArg,
    /// <summary>A memory argument followed by a lane index.</summary>
    MemArgLane,
    /// <summary>A lane index.</summary>
    Lane,
    /// <summary>Sixteen lane indices.</summary>
    Shuffle,
    /// <summary>A single reserved zero byte (atomic.fence).</summary>
    Fence,
}
