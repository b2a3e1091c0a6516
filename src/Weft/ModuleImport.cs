using Weft.Syntax;

namespace Weft;

/// <summary>An import a module declares: where it comes from and its type.</summary>
/// <param name="Module">The module name, e.g. <c>wasi_snapshot_preview1</c>.</param>
/// <param name="Name">The item name, e.g. <c>fd_write</c>.</param>
/// <param name="Type">
/// The type, e.g. a <see cref="WasmFunctionType"/>; <c>Type.ToString()</c> is the text format, e.g.
/// <c>(func (param i32) (result i32))</c> or <c>(memory 1)</c>.
/// </param>
/// <param name="Index">The import's position among the module's imports (declaration order).</param>
public sealed record ModuleImport(string Module, string Name, WasmExternType Type, int Index)
{
    /// <summary>What is imported.</summary>
    public ExternKind Kind => Type.Kind;
}
