using Weft.Runtime;

namespace Weft;

/// <summary>An instantiated module: its exports, by name.</summary>
public sealed partial class Instance
{
    private readonly Dictionary<string, Extern> _exports;

    internal Instance(Store store, WasmModule module, InstanceContext context, Dictionary<string, Extern> exports)
    {
        Store = store;
        Module = module;
        Context = context;
        _exports = exports;
    }

    /// <summary>The store the instance lives in.</summary>
    public Store Store { get; }

    /// <summary>The module it instantiates.</summary>
    public WasmModule Module { get; }

    internal InstanceContext Context { get; }

    /// <summary>The exports, by name.</summary>
    public IReadOnlyDictionary<string, Extern> Exports => _exports;

    /// <summary>An export by name, or null.</summary>
    public Extern? GetExport(string name) => _exports.GetValueOrDefault(name);

    /// <summary>An exported function by name, or null.</summary>
    public Function? GetFunction(string name) => GetExport(name) as Function;

    /// <summary>An exported memory by name, or null.</summary>
    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    /// <summary>An exported table by name, or null.</summary>
    public Table? GetTable(string name) => GetExport(name) as Table;

    /// <summary>An exported global by name, or null.</summary>
    public Global? GetGlobal(string name) => GetExport(name) as Global;

    /// <summary>An exported tag by name, or null.</summary>
    public Tag? GetTag(string name) => GetExport(name) as Tag;
}
