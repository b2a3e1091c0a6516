using Weft.Syntax;

namespace Weft;

/// <summary>An import a module declares: where it comes from, its kind and its type in the text format.</summary>
/// <param name="Module">The module name, e.g. <c>wasi_snapshot_preview1</c>.</param>
/// <param name="Name">The item name, e.g. <c>fd_write</c>.</param>
/// <param name="Kind">What is imported.</param>
/// <param name="Type">The type in the text format, e.g. <c>(func (param i32) (result i32))</c> or <c>(memory 1)</c>.</param>
public sealed record ModuleImport(string Module, string Name, ExternKind Kind, string Type);
