namespace Weft.Syntax;

/// <summary>
/// A WebAssembly module as plain data, exactly as decoded from the binary or parsed from the text format:
/// indices are not yet checked and types are not yet canonicalized (see the validator for both).
/// </summary>
internal sealed class Module
{
    private IReadOnlyList<SubType>? _types;
    private int[]? _typeGroup;

    /// <summary>The type section: recursion groups in order. Type indices count the members of all groups.</summary>
    public IReadOnlyList<RecGroup> RecGroups { get; init; } = [];

    /// <summary>The imports, in order.</summary>
    public IReadOnlyList<Import> Imports { get; init; } = [];

    /// <summary>The type index of each function defined by the module (not the imported ones).</summary>
    public IReadOnlyList<uint> Functions { get; init; } = [];

    /// <summary>Tables defined by the module.</summary>
    public IReadOnlyList<TableDefinition> Tables { get; init; } = [];

    /// <summary>Memories defined by the module.</summary>
    public IReadOnlyList<MemoryType> Memories { get; init; } = [];

    /// <summary>Globals defined by the module.</summary>
    public IReadOnlyList<GlobalDefinition> Globals { get; init; } = [];

    /// <summary>Tags defined by the module.</summary>
    public IReadOnlyList<TagType> Tags { get; init; } = [];

    /// <summary>The exports.</summary>
    public IReadOnlyList<Export> Exports { get; init; } = [];

    /// <summary>The start function index, if any.</summary>
    public uint? Start { get; init; }

    /// <summary>The element segments.</summary>
    public IReadOnlyList<ElementSegment> Elements { get; init; } = [];

    /// <summary>The data count section's value, if the section is present.</summary>
    public uint? DataCount { get; init; }

    /// <summary>The bodies of the defined functions, parallel to <see cref="Functions"/>.</summary>
    public IReadOnlyList<FunctionBody> Codes { get; init; } = [];

    /// <summary>The data segments.</summary>
    public IReadOnlyList<DataSegment> Data { get; init; } = [];

    /// <summary>Custom sections, verbatim (the name section among them).</summary>
    public IReadOnlyList<CustomSection> CustomSections { get; init; } = [];

    /// <summary>The decoded name section, if present and well-formed.</summary>
    public NameSection? Names { get; init; }

    /// <summary>
    /// The text format's function ids (<c>$name</c>, without the <c>$</c>) by function index: what frames and method
    /// names show when no name section names a function, as wasmtime does for text modules. Not a name section, so
    /// a text module written as binary stays as it was (and round trips compare equal).
    /// </summary>
    public IReadOnlyDictionary<uint, string>? FunctionIds { get; init; }

    /// <summary>The debug name of a function: the name section's, else its text-format id, else null.</summary>
    public string? FunctionNameOf(uint index) =>
        Names is { } names && names.FunctionNames.TryGetValue(index, out var name) ? name
        : FunctionIds is { } ids && ids.TryGetValue(index, out var id) ? id
        : null;

    /// <summary>All defined types, flattened across recursion groups; a type index indexes this list.</summary>
    public IReadOnlyList<SubType> Types => _types ??= RecGroups.SelectMany(g => g.Types).ToArray();

    /// <summary>For each type index, the index of the recursion group that holds it.</summary>
    public int RecGroupOf(uint typeIndex)
    {
        if (_typeGroup is null)
        {
            var map = new int[Types.Count];
            int t = 0;
            for (int g = 0; g < RecGroups.Count; g++)
            {
                for (int i = 0; i < RecGroups[g].Types.Count; i++) map[t++] = g;
            }
            _typeGroup = map;
        }
        return _typeGroup[typeIndex];
    }

    /// <summary>The index of the first type of a recursion group.</summary>
    public uint FirstTypeOf(int recGroup)
    {
        uint t = 0;
        for (int g = 0; g < recGroup; g++) t += (uint)RecGroups[g].Types.Count;
        return t;
    }

    /// <summary>The number of imports of a kind.</summary>
    public int ImportCount(ExternKind kind)
    {
        int n = 0;
        foreach (var import in Imports)
        {
            if (import.Type.Kind == kind) n++;
        }
        return n;
    }

    /// <summary>The type indices of all functions, imported first: the function index space.</summary>
    public IEnumerable<uint> FunctionSpace =>
        Imports.Select(i => i.Type).OfType<FuncImportType>().Select(f => f.TypeIndex).Concat(Functions);

    /// <summary>All table types, imported first: the table index space.</summary>
    public IEnumerable<TableType> TableSpace =>
        Imports.Select(i => i.Type).OfType<TableType>().Concat(Tables.Select(t => t.Type));

    /// <summary>All memory types, imported first: the memory index space.</summary>
    public IEnumerable<MemoryType> MemorySpace => Imports.Select(i => i.Type).OfType<MemoryType>().Concat(Memories);

    /// <summary>All global types, imported first: the global index space.</summary>
    public IEnumerable<GlobalType> GlobalSpace =>
        Imports.Select(i => i.Type).OfType<GlobalType>().Concat(Globals.Select(g => g.Type));

    /// <summary>All tag types, imported first: the tag index space.</summary>
    public IEnumerable<TagType> TagSpace => Imports.Select(i => i.Type).OfType<TagType>().Concat(Tags);
}
