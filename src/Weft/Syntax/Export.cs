namespace Weft.Syntax;

/// <summary>An export: a name and the entity it refers to.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">The kind of entity.</param>
/// <param name="Index">The index in that kind's index space.</param>
internal sealed record Export(string Name, ExternKind Kind, uint Index);
