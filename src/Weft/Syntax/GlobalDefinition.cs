namespace Weft.Syntax;

/// <summary>A global definition.</summary>
/// <param name="Type">The global type.</param>
/// <param name="Init">The initializer constant expression.</param>
internal sealed record GlobalDefinition(GlobalType Type, ConstExpr Init);
