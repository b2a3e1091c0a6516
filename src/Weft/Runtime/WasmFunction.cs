using Weft.Validation;

namespace Weft.Runtime;

/// <summary>A function defined by a wasm module instance: compiled code plus the instance it runs in.</summary>
internal sealed class WasmFunction : Function
{
    public WasmFunction(DefinedType type, InstanceContext instance, nint code, int index)
        : base(type, instance)
    {
        Code = code;
        Instance = instance;
        Index = index;
    }

    /// <summary>The instance whose function this is.</summary>
    public InstanceContext Instance { get; }

    /// <summary>The function index within its module.</summary>
    public int Index { get; }

    /// <inheritdoc/>
    public override Store? Store => Instance.Store;

    /// <inheritdoc/>
    public override string ToString() => $"wasm function {Index}";
}
