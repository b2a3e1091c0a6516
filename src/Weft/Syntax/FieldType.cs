namespace Weft.Syntax;

/// <summary>A struct field or array element type: a storage type and its mutability.</summary>
/// <param name="Storage">The storage type.</param>
/// <param name="Mutable">Whether the field may be written.</param>
public readonly record struct FieldType(StorageType Storage, bool Mutable)
{
    /// <summary>Text format.</summary>
    public override string ToString() => Mutable ? $"(mut {Storage})" : Storage.ToString();
}
