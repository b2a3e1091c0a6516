namespace Weft.Syntax;

/// <summary>A table definition: its type and optional initializer expression for every element.</summary>
/// <param name="Type">The table type.</param>
/// <param name="Init">The initializer (3.0 table definitions may give one); null means the null of the element type.</param>
internal sealed record TableDefinition(TableType Type, ConstExpr? Init);
