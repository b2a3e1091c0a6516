using Weft.Syntax;

namespace Weft;

/// <summary>An export a module declares: its name, kind and type in the text format.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Kind">What is exported.</param>
/// <param name="Type">The type in the text format, e.g. <c>(func (param i32 i32) (result i32))</c>.</param>
public sealed record ModuleExport(string Name, ExternKind Kind, string Type);
