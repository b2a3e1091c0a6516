using Weft.Syntax;

namespace Weft.Tests.Execution;

public class LinkingTests
{
    private const string Importer = """
        (module
          (import "env" "f" (func $f (param i32) (result i32)))
          (import "env" "g" (global $g (mut i32)))
          (func (export "call") (param i32) (result i32) (call $f (local.get 0)))
          (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1)))))
        """;

    [Fact]
    public void MissingAndMistypedImportsFailToLink()
    {
        var module = WasmModule.FromText(Importer);
        var ex = Assert.Throws<LinkException>(() => new Linker().Instantiate(new Store(), module));
        Assert.Equal("unknown import", ex.Reason);

        var store = new Store();
        var linker = new Linker()
            .DefineFunction("env", "f", (long x) => x)
            .Define("env", "g", new Global(store, new GlobalType(ValType.I32, true), 0));
        Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => linker.Instantiate(store, module)).Reason);

        var immutable = new Linker()
            .DefineFunction("env", "f", (int x) => x)
            .Define("env", "g", new Global(store, new GlobalType(ValType.I32, false), 0));
        Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => immutable.Instantiate(store, module)).Reason);
    }

    [Fact]
    public void HostFunctionsAndSharedGlobalsLink()
    {
        var store = new Store();
        var global = new Global(store, new GlobalType(ValType.I32, true), 41);
        var linker = new Linker().DefineFunction("env", "f", (int x) => x * 3).Define("env", "g", global);
        var instance = linker.Instantiate(store, WasmModule.FromText(Importer));
        Assert.Equal(21, instance.CallI32("call", 7));
        instance.Call("bump");
        Assert.Equal(42, global.Value.AsInt32());
    }

    [Fact]
    public void ExportsOfOneInstanceSatisfyImportsOfAnother()
    {
        var store = new Store();
        var provider = new Linker().Instantiate(store, WasmModule.FromText("""
            (module (func (export "f") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
                    (global (export "g") (mut i32) (i32.const 5)))
            """));
        var consumer = new Linker().DefineInstance("env", provider).Instantiate(store, WasmModule.FromText(Importer));
        Assert.Equal(-9, consumer.CallI32("call", 9));
        consumer.Call("bump");
        Assert.Equal(6, provider.GetGlobal("g")!.Value.AsInt32());
    }

    [Fact]
    public void AHostExceptionBecomesATrapAndTheStoreStaysUsable()
    {
        var store = new Store();
        int calls = 0;
        var linker = new Linker()
            .DefineFunction("env", "f", (int x) => ++calls == 1 ? throw new InvalidOperationException("boom") : x)
            .Define("env", "g", new Global(store, new GlobalType(ValType.I32, true), 0));
        var instance = linker.Instantiate(store, WasmModule.FromText(Importer));
        var trap = instance.Traps("call", 1);
        Assert.Equal(TrapKind.HostError, trap.Kind);
        Assert.IsType<InvalidOperationException>(trap.InnerException);
        Assert.Equal(5, instance.CallI32("call", 5));
    }

    [Fact]
    public void ATrapDuringInstantiationKeepsEarlierSegmentWrites()
    {
        var store = new Store();
        var memory = new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, null)));
        var linker = new Linker().Define("env", "mem", memory);
        var module = WasmModule.FromText("""
            (module (import "env" "mem" (memory 1))
              (data (i32.const 0) "ok")
              (data (i32.const 65535) "too long"))
            """);
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, Assert.Throws<TrapException>(() => linker.Instantiate(store, module)).Kind);
        Assert.Equal("ok", memory.ReadString(0, 2));
    }

    [Fact]
    public void TheStartFunctionRunsAtInstantiation()
    {
        var instance = Wat.Instantiate("""
            (module (global $g (export "g") (mut i32) (i32.const 0))
              (func $start (global.set $g (i32.const 99))) (start $start))
            """);
        Assert.Equal(99, instance.GetGlobal("g")!.Value.AsInt32());
        Assert.Throws<TrapException>(() => Wat.Instantiate("(module (func $s unreachable) (start $s))"));
    }
}
