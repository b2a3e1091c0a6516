using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// Resolves a module's imports by module and item name and instantiates it. Definitions are entities (functions,
/// tables, memories, globals, tags), whole instances, or host delegates.
/// </summary>
/// <remarks>
/// One (module, name) may have several definitions (with <see cref="AllowShadowing"/> off) when they are of different
/// kinds or are functions of different types, as toolchains import one name several times with different types (J2CL, moonc). An import then takes the
/// function whose type equals its own, else the first one defined whose type matches it (spec 4.5.2 import matching,
/// subtyping included); if none matches, instantiation fails with "incompatible import type".
/// </remarks>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), List<Extern>> _definitions = [];

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

    /// <summary>
    /// Whether a later definition replaces the earlier ones of the same names (default false). When shadowing is
    /// off, a name takes several definitions only of different kinds or function types; when on, the last one wins.
    /// </summary>
    public bool AllowShadowing { get; set; }

    /// <summary>
    /// Defines an entity under a module and item name. A linker serves one store: every function, table, memory and
    /// global defined in it must belong to the same store (host functions and tags belong to none). A name may be
    /// defined again for another kind of entity or a function of another type (see the remarks on <see cref="Linker"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Shadowing is off and the name is taken by an entity of the same kind (and, for a function, the same type).</exception>
    /// <exception cref="LinkException">The entity belongs to another store than those defined before.</exception>
    public Linker Define(string module, string name, Extern item)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        _definitions.TryGetValue((module, name), out var list);
        int same = list is null ? -1 : list.FindIndex(d => SameSlot(d, item));
        if (same >= 0 && !AllowShadowing)
        {
            throw new ArgumentException($"\"{module}\" \"{name}\" is already defined", nameof(name));
        }
        UseStore(StoreOwnership.StoreOf(item), $"\"{module}\" \"{name}\"");
        // Shadowing replaces the name's every definition, as a script's `register` replaces a module: a stale
        // function of another type must not stay behind to satisfy an import the new definition would refuse.
        if (list is null || AllowShadowing) _definitions[(module, name)] = list = [];
        list.Add(item);
        return this;
    }

    // Two definitions compete for one slot when no import could tell them apart by type: same kind, and for
    // functions the same canonical type. (Tables, memories, globals and tags of one kind keep one slot per name.)
    private static bool SameSlot(Extern a, Extern b) => a.Kind == b.Kind
        && (a is not Function fa || b is not Function fb || ReferenceEquals(fa.CanonicalType, fb.CanonicalType));

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
    /// Defines a host function with an untyped callback and an explicit signature. Reference types may be abstract
    /// or canonical concrete types (see <see cref="WasmFunctionType.Create(IEnumerable{ValType}, IEnumerable{ValType})"/>).
    /// </summary>
    public Linker DefineFunction(string module, string name, IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results, HostCallback callback) =>
        DefineFunction(module, name, new WasmFunctionType(HostFunctionTypes.Canonical(Engine, parameters, results)), callback);

    /// <summary>Defines a host function with an untyped callback that receives the calling instance, and an explicit signature.</summary>
    public Linker DefineFunction(string module, string name, IReadOnlyList<ValType> parameters, IReadOnlyList<ValType> results, HostFunctionCallback callback) =>
        DefineFunction(module, name, new WasmFunctionType(HostFunctionTypes.Canonical(Engine, parameters, results)), callback);

    /// <summary>
    /// Defines a host function of a given wasm type (e.g. the type of the import it is for, taken from
    /// <see cref="WasmModule.Imports"/>) with an untyped callback. Results are checked against the type: a value of
    /// another kind, a null for a non-null reference type or an object of another type traps (<see cref="TrapKind.HostError"/>).
    /// </summary>
    public Linker DefineFunction(string module, string name, WasmFunctionType type, HostCallback callback) =>
        Define(module, name, Function.FromCallback(type, callback));

    /// <summary>Defines a host function of a given wasm type with an untyped callback that receives the calling instance (<see cref="Caller"/>).</summary>
    public Linker DefineFunction(string module, string name, WasmFunctionType type, HostFunctionCallback callback) =>
        Define(module, name, Function.FromCallback(type, callback));

    /// <summary>
    /// Defines a host function of a given wasm type implemented by a typed delegate, for types its CLR types alone
    /// cannot say: concrete and non-null references, anyref, eqref, ... (see <see cref="Function.FromDelegate(WasmFunctionType, Delegate)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The delegate's CLR types do not fit the wasm type, or the name is taken.</exception>
    public Linker DefineFunction(string module, string name, WasmFunctionType type, Delegate callback) =>
        Define(module, name, Function.FromDelegate(type, callback));

    /// <summary>
    /// Defines a host function from a typed delegate: int (i32), long (i64), float (f32), double (f64),
    /// <c>Vector128&lt;byte&gt;</c> (v128), object (externref), <see cref="Function"/> (funcref), <see cref="GcStruct"/>
    /// (structref), <see cref="GcArray"/> (arrayref), <see cref="I31Ref"/> (i31ref) and <see cref="WasmException"/>
    /// (exnref) parameters, and a return of one of those, a ValueTuple of them (several results), or void. A first
    /// parameter of type <see cref="Caller"/> is not a wasm parameter: it receives the calling instance, e.g. to reach
    /// its memory. For other wasm types give the type explicitly (<see cref="DefineFunction(string, string, WasmFunctionType, Delegate)"/>).
    /// Called with the same arguments as <see cref="Define(string, string, Delegate)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent, or the name is taken.</exception>
    public Linker DefineFunction(string module, string name, Delegate callback) => Define(module, name, Function.FromDelegate(Engine, callback));

    /// <summary>
    /// Defines a host function from a typed lambda or delegate (see <see cref="DefineFunction(string, string, Delegate)"/>
    /// for the types), e.g. <c>linker.Define("env", "log", (int x) =&gt; Console.WriteLine(x))</c> or, with the
    /// calling instance, <c>linker.Define("env", "print", (Caller c, int ptr, int len) =&gt; ...)</c>. A .NET exception
    /// thrown by the delegate traps the wasm code that called it (<see cref="TrapKind.HostError"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent, or the name is taken.</exception>
    public Linker Define(string module, string name, Delegate callback) => DefineFunction(module, name, callback);

    /// <summary>The first definition for a module and item name, or null.</summary>
    public Extern? Get(string module, string name) => _definitions.TryGetValue((module, name), out var list) ? list[0] : null;

    /// <summary>Every definition for a module and item name, in the order they were defined (empty if none).</summary>
    public IReadOnlyList<Extern> GetDefinitions(string module, string name) =>
        _definitions.TryGetValue((module, name), out var list) ? list.ToArray() : [];

    /// <summary>Instantiates a module, resolving its imports from the definitions.</summary>
    /// <exception cref="LinkException">An import is missing ("unknown import"), of the wrong type ("incompatible import type") or of another store.</exception>
    /// <exception cref="StoreInUseException">Another thread is running a call in the store.</exception>
    /// <exception cref="TrapException">Initialization or the start function trapped.</exception>
    public Instance Instantiate(Store store, WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        var syntaxImports = module.Syntax.Imports;
        var imports = new List<Extern>(syntaxImports.Count);
        for (int i = 0; i < syntaxImports.Count; i++)
        {
            var import = syntaxImports[i];
            if (module.Valid.Builtins?.IsResolved(i) == true) continue; // the engine supplies it (WasmModuleOptions)
            if (!_definitions.TryGetValue((import.ModuleName, import.Name), out var list))
            {
                throw new LinkException("unknown import", $"\"{import.ModuleName}\" \"{import.Name}\"");
            }
            imports.Add(Choose(module.Valid, i, list) ?? throw Instantiator.Incompatible(store, import, list[0]));
        }
        return Instantiator.Instantiate(store, module, imports);
    }

    // The definition an import takes: a function of exactly its type first, else the first that matches. Imports are
    // checked in order, so the first failing one is reported, whether missing or incompatible.
    private static Extern? Choose(ValidModule valid, int import, List<Extern> definitions)
    {
        if (valid.Module.Imports[import].Type is FuncImportType)
        {
            var expected = valid.Functions[valid.IndexOfImport(import)];
            foreach (var d in definitions)
            {
                if (d is Function f && ReferenceEquals(f.CanonicalType, expected)) return d;
            }
        }
        foreach (var d in definitions)
        {
            if (Instantiator.Matches(valid, import, d)) return d;
        }
        return null;
    }
}
