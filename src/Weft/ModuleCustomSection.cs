namespace Weft;

/// <summary>A custom section of a module: its name and contents (e.g. J2CL keeps its string constants in one).</summary>
/// <param name="Name">The section name, e.g. <c>name</c> or <c>producers</c>.</param>
/// <param name="Data">The contents after the name, without a copy; read-only.</param>
public sealed record ModuleCustomSection(string Name, ReadOnlyMemory<byte> Data);
