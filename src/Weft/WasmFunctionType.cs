using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// A function type in canonical form (spec 4.3.1): its parameters and results, and its place in the subtyping
/// hierarchy. Get one from a module's import or export (<see cref="ModuleImport.Type"/>), from a module's type section
/// (<see cref="WasmModule.GetFunctionType(int)"/>), from a function (<see cref="Function.Type"/>), or create one over
/// abstract or canonical reference types with <see cref="Create(IEnumerable{ValType}, IEnumerable{ValType})"/>. A host function defined with a module's own type
/// satisfies that module's import of it exactly, whatever recursion group the module declares it in.
/// </summary>
public sealed class WasmFunctionType : WasmExternType, IEquatable<WasmFunctionType>
{
    internal WasmFunctionType(DefinedType defined, string? text = null)
        : base(text)
    {
        if (!defined.IsFunc) throw new ArgumentException("not a function type", nameof(defined));
        Defined = defined;
    }

    internal DefinedType Defined { get; }

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Func;

    /// <summary>The parameter types (canonical).</summary>
    public IReadOnlyList<ValType> Parameters => Defined.Params.ToArray();

    /// <summary>The result types (canonical).</summary>
    public IReadOnlyList<ValType> Results => Defined.Results.ToArray();

    /// <summary>Whether the type is final (has no subtypes).</summary>
    public bool IsFinal => Defined.Final;

    /// <summary>The declared supertype, or null.</summary>
    public WasmFunctionType? Supertype => Defined.Supertype is { } super ? new WasmFunctionType(super) : null;

    /// <summary>Whether a function of this type may be used where <paramref name="other"/> is expected (declared subtyping, as imports are matched).</summary>
    public bool IsSubtypeOf(WasmFunctionType other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Defined.IsSubtypeOf(other.Defined);
    }

    /// <summary>A reference type to functions of this type, e.g. <c>(ref null $f)</c>.</summary>
    public ValType Ref(bool nullable) => Defined.Ref(nullable);

    /// <summary>
    /// The canonical final function type, in a recursion group of its own, with these parameters and results. Reference
    /// types may be abstract (<c>(ref extern)</c>, <c>anyref</c>, ...) or name canonical types (<see cref="GcType.Ref"/>,
    /// <see cref="Ref"/>, or a type taken from a module's description).
    /// </summary>
    /// <exception cref="ArgumentException">A type is not a value type or names no canonical type.</exception>
    public static WasmFunctionType Create(IEnumerable<ValType> parameters, IEnumerable<ValType> results)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(results);
        return new WasmFunctionType(HostFunctionTypes.Canonical([.. parameters], [.. results]));
    }

    /// <summary>The canonical final function type with these parameters and results in an engine (see <see cref="Create(IEnumerable{ValType}, IEnumerable{ValType})"/>).</summary>
    /// <exception cref="ArgumentException">A type is not a value type, names no canonical type, or names one of another engine.</exception>
    public static WasmFunctionType Create(Engine engine, IEnumerable<ValType> parameters, IEnumerable<ValType> results)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(results);
        return new WasmFunctionType(HostFunctionTypes.Canonical(engine, [.. parameters], [.. results]));
    }

    /// <inheritdoc/>
    public bool Equals(WasmFunctionType? other) => other is not null && ReferenceEquals(Defined, other.Defined);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WasmFunctionType);

    /// <inheritdoc/>
    public override int GetHashCode() => Defined.GetHashCode();

    private protected override string Describe() => Defined.Composite.ToString()!;
}
