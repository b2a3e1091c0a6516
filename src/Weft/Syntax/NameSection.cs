namespace Weft.Syntax;

/// <summary>The decoded "name" custom section (debug names). Missing entries mean no name was given.</summary>
internal sealed class NameSection
{
    /// <summary>The module name.</summary>
    public string? ModuleName { get; init; }

    /// <summary>Function names by function index.</summary>
    public IReadOnlyDictionary<uint, string> FunctionNames { get; init; } = new Dictionary<uint, string>();

    /// <summary>Local names by function index, then local index.</summary>
    public IReadOnlyDictionary<uint, IReadOnlyDictionary<uint, string>> LocalNames { get; init; } =
        new Dictionary<uint, IReadOnlyDictionary<uint, string>>();
}
