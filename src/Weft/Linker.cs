using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// Resolves a module's imports by module and item name and instantiates it. Definitions are entities (functions,
/// tables, memories, globals, tags), whole instances, or host delegates.
/// </summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), Extern> _definitions = [];

    // The store of the entities defined so far (host functions belong to none): a linker serves one store, since
    // an instance may import only entities of its own store.
    private Store? _store;

    /// <summary>Creates a linker for the default engine (<see cref="Engine.Default"/>).</summary>
    public Linker()
        : this(Engine.Default)
    {
    }

    /// <summary>Creates a linker whose host functions are typed in <paramref name="engine"/>, for its modules and stores.</summary>
    public Linker(Engine engine) => Engine = engine ?? throw new ArgumentNullException(nameof(engine));

    /// <summary>The engine of the host functions the linker defines.</summary>
    public Engine Engine { get; }

    /// <summary>Whether a later definition may replace an earlier one with the same names (default false).</summary>
    public bool AllowShadowing { get; set; }

    /// <summary>
    /// Defines an entity under a module and item name. A linker serves one store: every function, table, memory and
    /// global defined in it must belong to the same store (host functions and tags belong to none).
    /// </summary>
    /// <exception cref="ArgumentException">The name is taken and shadowing is off.</exception>
    /// <exception cref="LinkException">The entity belongs to another store than those defined before.</exception>
    public Linker Define(string module, string name, Extern item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        if (!AllowShadowing && _definitions.ContainsKey((module, name)))
        {
            throw new ArgumentException($"\"{module}\" \"{name}\" is already defined", nameof(name));
        }
        UseStore(StoreOwnership.StoreOf(item), $"\"{module}\" \"{name}\"");
        _definitions[(module, name)] = item;
        return this;
    }

    /// <summary>Defines every export of an instance under a module name (see <see cref="Define(string, string, Extern)"/>).</summary>
    /// <exception cref="LinkException">An export belongs to another store than the entities defined before.</exception>
    // Each export is checked on its own, not the instance's store: exports that belong to no one store (shared
    // memories, tags) may come from an instance of another store, as the threads proposal's scripts register them.
    public Linker DefineInstance(string module, Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        // All or nothing: refuse before defining any export.
        var exports = instance.Exports;
        foreach (var (name, item) in exports)
        {
            if (StoreOwnership.StoreOf(item) is { } owner && _store is not null && owner != _store)
            {
                throw StoreOwnership.Foreign($"\"{module}\" \"{name}\"");
            }
        }
        foreach (var (name, item) in exports) Define(module, name, item);
        return this;
    }

    private void UseStore(Store? store, string what)
    {
        if (store is null) return;
        if (_store is not null && _store != store) throw StoreOwnership.Foreign(what);
        _store = store;
    }

    /// <summary>
    /// Defines a host function with an untyped callback and an explicit signature.
    /// </summary>
    public Linker DefineFunction(string module, string name, IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var type = HostFunctionTypes.Canonical(Engine, parameters, results);
        return Define(module, name, new HostFunction(type, callback, typed: false, store: null));
    }

    /// <summary>
    /// Defines a host function from a typed delegate: int (i32), long (i64), float (f32), double (f64),
    /// <c>Vector128&lt;byte&gt;</c> (v128), object (externref) and <see cref="Function"/> (funcref) parameters, and a
    /// return of one of those, a ValueTuple of them (several results), or void. A first parameter of type
    /// <see cref="Caller"/> is not a wasm parameter: it receives the calling instance, e.g. to reach its memory.
    /// Called with the same arguments as <see cref="Define(string, string, Delegate)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent, or the name is taken.</exception>
    public Linker DefineFunction(string module, string name, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var (parameters, results, wantsCaller) = HostFunctionTypes.FromDelegate(callback.GetType());
        var type = HostFunctionTypes.Canonical(Engine, parameters, results);
        return Define(module, name, new HostFunction(type, callback, typed: true, store: null, wantsCaller));
    }

    /// <summary>
    /// Defines a host function from a typed lambda or delegate (see <see cref="DefineFunction(string, string, Delegate)"/>
    /// for the types), e.g. <c>linker.Define("env", "log", (int x) =&gt; Console.WriteLine(x))</c> or, with the
    /// calling instance, <c>linker.Define("env", "print", (Caller c, int ptr, int len) =&gt; ...)</c>. A .NET exception
    /// thrown by the delegate traps the wasm code that called it (<see cref="TrapKind.HostError"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent, or the name is taken.</exception>
    public Linker Define(string module, string name, Delegate callback) => DefineFunction(module, name, callback);

    /// <summary>The definition for a module and item name, or null.</summary>
    public Extern? Get(string module, string name) => _definitions.GetValueOrDefault((module, name));

    /// <summary>Instantiates a module, resolving its imports from the definitions.</summary>
    /// <exception cref="LinkException">An import is missing ("unknown import"), of the wrong type ("incompatible import type") or of another store.</exception>
    /// <exception cref="StoreInUseException">Another thread is running a call in the store.</exception>
    /// <exception cref="TrapException">Initialization or the start function trapped.</exception>
    public Instance Instantiate(Store store, WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        var imports = new List<Extern>(module.Syntax.Imports.Count);
        foreach (var import in module.Syntax.Imports)
        {
            if (!_definitions.TryGetValue((import.ModuleName, import.Name), out var item))
            {
                throw new LinkException("unknown import", $"\"{import.ModuleName}\" \"{import.Name}\"");
            }
            imports.Add(item);
        }
        return Instantiator.Instantiate(store, module, imports);
    }
}
