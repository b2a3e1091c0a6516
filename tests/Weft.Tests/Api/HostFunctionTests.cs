namespace Weft.Tests.Api;

/// <summary>Host functions defined from lambdas, with and without the calling instance.</summary>
public sealed class HostFunctionTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    private const string Greeter = """
        (module
          (import "env" "print" (func $print (param i32 i32)))
          (memory 1)
          (data (i32.const 16) "hello, host")
          (func (export "run") (call $print (i32.const 16) (i32.const 11))))
        """;

    [Fact]
    public void CallerGivesTheCallingInstancesMemoryEvenWhenNotExported()
    {
        string? seen = null;
        Caller? caller = null;
        var linker = new Linker();
        linker.Define("env", "print", (Caller c, int ptr, int len) =>
        {
            caller = c;
            seen = c.Memory!.ReadString((uint)ptr, len);
        });
        var instance = linker.Instantiate(_store, WasmModule.FromText(Greeter));
        instance.GetAction("run")!();
        Assert.Equal("hello, host", seen);
        Assert.Same(instance, caller!.Instance);
        Assert.Same(_store, caller.Store);
    }

    [Fact]
    public void EachImportingInstanceIsItsOwnCaller()
    {
        var memories = new List<Memory>();
        var linker = new Linker();
        linker.Define("env", "print", (Caller c, int ptr, int len) => memories.Add(c.Memory!));
        var module = WasmModule.FromText(Greeter);
        var a = linker.Instantiate(_store, module);
        var b = linker.Instantiate(_store, module);
        a.GetAction("run")!();
        b.GetAction("run")!();
        Assert.Equal(2, memories.Count);
        Assert.NotSame(memories[0], memories[1]);
    }

    [Fact]
    public void HostExceptionsTrapTheWasmCaller()
    {
        var linker = new Linker();
        linker.Define("env", "print", new Action<int, int>((ptr, len) => throw new InvalidOperationException("boom")));
        var instance = linker.Instantiate(_store, WasmModule.FromText(Greeter));
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("run")!());
        Assert.Equal(TrapKind.HostError, trap.Kind);
        Assert.Contains("boom", trap.Message);
        Assert.IsType<InvalidOperationException>(trap.InnerException);
    }

    [Fact]
    public void SeveralResultsComeBackAsATuple()
    {
        var linker = new Linker();
        linker.Define("env", "divmod", (int a, int b) => (a / b, a % b));
        var instance = linker.Instantiate(_store, WasmModule.FromText("""
            (module (import "env" "divmod" (func $d (param i32 i32) (result i32 i32)))
              (func (export "sum") (param i32 i32) (result i32) (call $d (local.get 0) (local.get 1)) (i32.add)))
            """));
        Assert.Equal(3 + 2, instance.GetFunction<int, int, int>("sum")!(17, 5));
    }

    [Fact]
    public void UnsupportedDelegateTypesAreRejected()
    {
        var linker = new Linker();
        Assert.Throws<ArgumentException>(() => linker.Define("env", "f", (string s) => s.Length));
    }
}
