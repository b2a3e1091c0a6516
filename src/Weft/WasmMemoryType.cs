using Weft.Syntax;

namespace Weft;

/// <summary>A memory's type: limits in pages, the page size, and whether it is shared.</summary>
public sealed class WasmMemoryType : WasmExternType, IEquatable<WasmMemoryType>
{
    internal WasmMemoryType(MemoryType type, string? text = null)
        : base(text) => Syntax = type;

    internal MemoryType Syntax { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Memory;

    /// <summary>The limits in pages, with the address type (i32 or i64) and sharing.</summary>
    public Limits Limits => Syntax.Limits;

    /// <summary>The page size in bytes (65,536 unless the custom-page-sizes proposal sets 1).</summary>
    public ulong PageSize => Syntax.PageSize;

    /// <summary>Whether the memory is shared (threads proposal).</summary>
    public bool IsShared => Syntax.Limits.Shared;

    /// <summary>Whether the memory has 64-bit addresses (memory64).</summary>
    public bool Is64Bit => Syntax.Limits.AddressType == AddressType.I64;

    /// <inheritdoc/>
    public bool Equals(WasmMemoryType? other) => other is not null && Syntax == other.Syntax;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WasmMemoryType);

    /// <inheritdoc/>
    public override int GetHashCode() => Syntax.GetHashCode();

    private protected override string Describe() => $"(memory {Syntax.ToText()})";
}
