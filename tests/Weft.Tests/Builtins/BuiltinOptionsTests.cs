namespace Weft.Tests.Builtins;

/// <summary>The options API: builtins resolved when the module is created, hidden from its imports, supplied by the engine.</summary>
public sealed class BuiltinOptionsTests
{
    internal static readonly WasmModuleOptions JsString = new() { Builtins = new HashSet<string> { WasmModuleOptions.JsString } };

    private const string LengthModule = """
        (module
          (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
          (import "env" "x" (global $x i32))
          (func (export "len") (param externref) (result i32) (i32.add (call $length (local.get 0)) (global.get $x))))
        """;

    [Fact]
    public void ABuiltinImportIsNotAmongTheImportsAndTheEngineSuppliesIt()
    {
        var module = WasmModule.FromText(Engine.Default, LengthModule, JsString);
        var import = Assert.Single(module.Imports);
        Assert.Equal(("env", "x", 0), (import.Module, import.Name, import.Index));
        var store = new Store();
        var instance = module.Instantiate(store, [new Global(store, new Syntax.GlobalType(Syntax.ValType.I32, false), WasmValue.FromInt32(100))]);
        Assert.Equal(105, instance.GetFunction<object?, int>("len")!("hello"));
    }

    [Fact]
    public void WithoutTheOptionTheSameImportIsOrdinary()
    {
        var module = WasmModule.FromText(LengthModule);
        Assert.Equal(["wasm:js-string", "env"], module.Imports.Select(i => i.Module));
        var linker = new Linker();
        linker.DefineFunction("wasm:js-string", "length", (object? s) => 1000);
        var store = new Store();
        linker.Define("env", "x", new Global(store, new Syntax.GlobalType(Syntax.ValType.I32, false), WasmValue.FromInt32(1)));
        Assert.Equal(1001, linker.Instantiate(store, module).GetFunction<object?, int>("len")!("hello"));
    }

    [Fact]
    public void TheLinkerSkipsBuiltinImports()
    {
        var module = WasmModule.FromText(Engine.Default, LengthModule, JsString);
        var linker = new Linker();
        var store = new Store();
        linker.Define("env", "x", new Global(store, new Syntax.GlobalType(Syntax.ValType.I32, false), WasmValue.FromInt32(0)));
        Assert.Equal(3, linker.Instantiate(store, module).GetFunction<object?, int>("len")!("abc"));
    }
}
