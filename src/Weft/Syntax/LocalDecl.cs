namespace Weft.Syntax;

/// <summary>A run of locals of one type, as declared in a function body.</summary>
/// <param name="Count">How many locals.</param>
/// <param name="Type">Their type.</param>
internal readonly record struct LocalDecl(uint Count, ValType Type);
