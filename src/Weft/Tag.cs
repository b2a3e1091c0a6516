using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>An exception tag: its identity distinguishes exceptions; its type gives the payload's value types.</summary>
public sealed class Tag : Extern
{
    internal Tag(DefinedType type) => CanonicalType = type;

    /// <summary>Creates a host tag: a new identity, distinct from every other tag, for modules to import.</summary>
    /// <param name="parameters">The payload's value types (numbers, v128, abstract reference types and canonical concrete ones, e.g. <see cref="GcType.Ref"/>).</param>
    /// <exception cref="ArgumentException">A parameter is not a value type, or names no canonical type.</exception>
    public Tag(params ValType[] parameters)
        : this(Engine.Default, parameters)
    {
    }

    /// <summary>Creates a host tag of an engine, for the engine's modules to import.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="parameters">The payload's value types (numbers, v128 and abstract reference types).</param>
    /// <exception cref="ArgumentException">A parameter names a concrete (module-defined) reference type.</exception>
    public Tag(Engine engine, params ValType[] parameters)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(parameters);
        CanonicalType = Runtime.HostFunctionTypes.Canonical(engine, parameters, []);
    }

    internal DefinedType CanonicalType { get; }

    /// <summary>The payload's value types.</summary>
    public IReadOnlyList<ValType> Parameters => CanonicalType.Params.ToArray();

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Tag;
}
