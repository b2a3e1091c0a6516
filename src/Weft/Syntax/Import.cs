namespace Weft.Syntax;

/// <summary>An import: module name, item name and the imported entity's type.</summary>
/// <param name="ModuleName">The module name.</param>
/// <param name="Name">The item name.</param>
/// <param name="Type">The entity's type.</param>
internal sealed record Import(string ModuleName, string Name, ExternType Type);
