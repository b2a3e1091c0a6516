using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft;

/// <summary>
/// A function: compiled wasm code or a host delegate. Every function, whatever its origin, is called the same way
/// by compiled code: through <see cref="Code"/>, a pointer to a static method taking the wasm parameters and then
/// <see cref="Context"/>. Function references (funcref) in wasm are these objects.
/// </summary>
public abstract partial class Function : Extern
{
    private protected Function(DefinedType type, object context)
    {
        CanonicalType = type;
        TypeId = type.Id;
        Context = context;
    }

    // Read by compiled code for call_indirect / call_ref: the canonical type (one compare checks a signature), the
    // entry point and the object passed as its last argument.
    internal readonly DefinedType CanonicalType;
    internal readonly uint TypeId;
    internal nint Code;
    internal object Context;

    /// <inheritdoc/>
    public override ExternKind Kind => ExternKind.Func;

    /// <summary>The parameter types.</summary>
    public IReadOnlyList<ValType> Parameters => CanonicalType.Params.ToArray();

    /// <summary>The result types.</summary>
    public IReadOnlyList<ValType> Results => CanonicalType.Results.ToArray();

    /// <summary>The store the function belongs to (null for host functions not yet bound to a store).</summary>
    public abstract Store? Store { get; }

    /// <summary>Calls the function with boxed arguments and returns its results. Traps surface as <see cref="TrapException"/>.</summary>
    public WasmValue[] Invoke(params WasmValue[] arguments) => DynamicInvoker.Invoke(this, arguments);
}
