namespace Weft.Tests.Execution;

/// <summary>Instantiates small text modules for execution tests.</summary>
internal static class Wat
{
    public static Instance Instantiate(string text, Linker? linker = null, Store? store = null) =>
        (linker ?? new Linker()).Instantiate(store ?? new Store(), WasmModule.FromText(text));

    public static WasmValue[] Call(this Instance instance, string name, params WasmValue[] args) =>
        instance.GetFunction(name)!.Invoke(args);

    public static int CallI32(this Instance instance, string name, params WasmValue[] args) =>
        instance.Call(name, args)[0].AsInt32();

    public static TrapException Traps(this Instance instance, string name, params WasmValue[] args) =>
        Assert.Throws<TrapException>(() => instance.Call(name, args));
}
