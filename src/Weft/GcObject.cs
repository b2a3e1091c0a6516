using Weft.Validation;

namespace Weft;

/// <summary>
/// A wasm GC object: a <see cref="GcStruct"/> or a <see cref="GcArray"/>. Wasm GC objects are ordinary .NET objects
/// owned by the .NET garbage collector; they live as long as anything (wasm code, a table, a global, the host)
/// references them, and may be passed between instances, modules and stores of the same process.
/// </summary>
/// <remarks>
/// Every object points to its canonical runtime type, so <c>ref.test</c> and <c>ref.cast</c> are a constant-time
/// check of the type's supertype display. Types are shared across modules: two modules that define structurally
/// equal recursion groups see the same <see cref="GcType"/>, and casts between them succeed.
/// To run code when an object has been collected, see <see cref="Store.RegisterFinalizer(object, Action)"/>.
/// </remarks>
public abstract class GcObject
{
    // The object's canonical type (casts to non-exact types, the host API). An array keeps it in a field (GcArray<T>
    // serves every array type of its element); a struct's generated class is its type, so the class returns its
    // static instead: struct.new then stores no type, which saved a field, a write barrier and (collectible
    // classes) a static-base helper call per allocation (docs/RATIONALE.md, "GC steady state: allocation and i31").
    internal abstract DefinedType Rtt { get; }

    internal GcObject()
    {
    }

    /// <summary>The object's type (its exact runtime type, not a supertype).</summary>
    public GcType Type => GcType.Of(Rtt);

    /// <inheritdoc/>
    public override string ToString() => $"{(Rtt.IsStruct ? "struct" : "array")} {Rtt}";
}
