namespace Weft.Syntax;

/// <summary>A custom section, kept verbatim.</summary>
/// <param name="Name">The section name.</param>
/// <param name="Data">The section content after the name.</param>
/// <param name="After">The id of the last non-custom section before it (0 if before all), so a writer can put it back.</param>
internal sealed record CustomSection(string Name, ReadOnlyMemory<byte> Data, byte After);
