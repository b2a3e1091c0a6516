using Weft.Syntax;

namespace Weft;

/// <summary>An export a module declares: its name and type.</summary>
/// <param name="Name">The export name.</param>
/// <param name="Type">The type; <c>Type.ToString()</c> is the text format, e.g. <c>(func (param i32 i32) (result i32))</c>.</param>
public sealed record ModuleExport(string Name, WasmExternType Type)
{
    /// <summary>What is exported.</summary>
    public ExternKind Kind => Type.Kind;
}
