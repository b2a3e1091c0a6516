using Weft.Runtime;

namespace Weft;

// Host functions as first-class values: created without a linker, for Linker.Define, WasmModule.Instantiate's
// explicit imports or resolver, tables and globals.
public abstract partial class Function
{
    /// <summary>The function's type (canonical): what an import of it is matched against.</summary>
    public WasmFunctionType Type => new(CanonicalType);

    /// <summary>
    /// A host function from a typed delegate whose wasm type follows from its CLR types (see
    /// <see cref="Linker.DefineFunction(string, string, Delegate)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent.</exception>
    public static Function FromDelegate(Delegate callback) => FromDelegate(Engine.Default, callback);

    /// <summary>A host function from a typed delegate, typed in an engine (see <see cref="FromDelegate(Delegate)"/>).</summary>
    /// <exception cref="ArgumentException">A parameter or result type has no wasm equivalent.</exception>
    public static Function FromDelegate(Engine engine, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(callback);
        var (parameters, results, wantsCaller) = HostFunctionTypes.FromDelegate(callback.GetType());
        return new HostFunction(HostFunctionTypes.Canonical(engine, parameters, results), callback, typed: true, store: null, wantsCaller);
    }

    /// <summary>
    /// A host function of a given wasm type implemented by a typed delegate. Each CLR parameter and result type must
    /// carry its wasm type: int, long, float, double, <c>Vector128&lt;byte&gt;</c>, and for a reference type
    /// <c>object</c> or the class every value of its heap type is (<see cref="Function"/> for function types,
    /// <see cref="GcStruct"/> or <see cref="GcObject"/> for struct types, <see cref="GcArray"/> or <see cref="GcObject"/>
    /// for array types, <see cref="I31Ref"/> for i31, <see cref="WasmException"/> for exn). A first parameter of type
    /// <see cref="Caller"/> receives the calling instance. Reference results are checked against the wasm type
    /// (a null for <c>(ref extern)</c>, or a struct of another type, traps with <see cref="TrapKind.HostError"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// // (import "m" "f" (func (param (ref null $i16array)) (result (ref extern))))
    /// var type = (WasmFunctionType)module.Imports[0].Type;
    /// var f = Function.FromDelegate(type, (GcArray? chars) => (object)$"{chars?.Length} chars");
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The delegate's CLR types do not fit the wasm type.</exception>
    public static Function FromDelegate(WasmFunctionType type, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        bool wantsCaller = HostFunctionTypes.CheckDelegate(callback.GetType(), type.Defined);
        return new HostFunction(type.Defined, callback, typed: true, store: null, wantsCaller);
    }

    /// <summary>A host function of a given wasm type with an untyped callback; results are checked against their types.</summary>
    public static Function FromCallback(WasmFunctionType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        return new HostFunction(type.Defined, callback, typed: false, store: null);
    }

    /// <summary>A host function of a given wasm type with an untyped callback that receives the calling instance (<see cref="Caller"/>).</summary>
    public static Function FromCallback(WasmFunctionType type, HostFunctionCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        return new HostFunction(type.Defined, callback, typed: false, store: null, wantsCaller: true);
    }
}
