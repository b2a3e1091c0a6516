namespace Weft.Tests.Exceptions;

/// <summary>Instantiates text modules for the exception tests.</summary>
internal static class Wasm
{
    public static Instance Instantiate(Store store, string text, Linker? linker = null) =>
        (linker ?? new Linker()).Instantiate(store, WasmModule.FromText(text));

    public static WasmValue[] Call(this Instance instance, string name, params WasmValue[] arguments) =>
        (instance.GetFunction(name) ?? throw new ArgumentException($"no export {name}", nameof(name))).Invoke(arguments);

    public static int CallI32(this Instance instance, string name, params WasmValue[] arguments) =>
        instance.Call(name, arguments).Single().AsInt32();
}
