using Weft.Runtime;

namespace Weft;

// Instantiation without a linker, as the JS API does it: the imports given in order, or found by a resolver.
public sealed partial class WasmModule
{
    /// <summary>
    /// Instantiates the module with its imports given in declaration order (one per entry of <see cref="Imports"/>).
    /// Host functions come from <see cref="Function.FromDelegate(Delegate)"/> and its siblings.
    /// </summary>
    /// <exception cref="LinkException">
    /// The number of imports differs ("unknown import"), one does not match its import's type ("incompatible import
    /// type"), or one belongs to another store.
    /// </exception>
    /// <exception cref="StoreInUseException">Another thread is running a call in the store.</exception>
    /// <exception cref="TrapException">Initialization or the start function trapped.</exception>
    public Instance Instantiate(Store store, IReadOnlyList<Extern> imports)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(imports);
        for (int i = 0; i < imports.Count; i++)
        {
            if (imports[i] is null) throw new ArgumentException($"import {i} is null", nameof(imports));
        }
        return Instantiator.Instantiate(store, this, imports);
    }

    /// <summary>
    /// Instantiates the module, asking <paramref name="resolver"/> for each import in declaration order (with its
    /// structured type, so one resolver can serve one name imported with several types).
    /// </summary>
    /// <exception cref="LinkException">
    /// The resolver returned null ("unknown import"), an entity that does not match the import's type ("incompatible
    /// import type"), or one of another store.
    /// </exception>
    /// <exception cref="StoreInUseException">Another thread is running a call in the store.</exception>
    /// <exception cref="TrapException">Initialization or the start function trapped.</exception>
    public Instance Instantiate(Store store, Func<ModuleImport, Extern?> resolver)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(resolver);
        var imports = new Extern[Imports.Count];
        foreach (var import in Imports)
        {
            imports[import.Index] = resolver(import) ?? throw new LinkException("unknown import", $"\"{import.Module}\" \"{import.Name}\"");
        }
        return Instantiator.Instantiate(store, this, imports);
    }
}
