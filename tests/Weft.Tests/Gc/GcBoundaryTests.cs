using Weft.Syntax;

namespace Weft.Tests.Gc;

/// <summary>
/// Compiled code trusts static reference types (a field of a <c>(ref $t)</c> is read without a cast), so every way a
/// host puts a reference into wasm checks it against the declared type.
/// </summary>
public sealed class GcBoundaryTests : IDisposable
{
    private const string Module = """
        (module
          (type $point (struct (field i32)))
          (type $other (struct (field i64)))
          (import "host" "make" (func $make (result structref)))
          (import "host" "i31" (func $i31 (result i31ref)))
          (global (export "g") (mut (ref null $point)) (ref.null $point))
          (table (export "t") 1 (ref null $point))
          (func (export "x") (param (ref null $point)) (result i32) (struct.get $point 0 (local.get 0)))
          (func (export "call_make") (result i32) (ref.test (ref $point) (call $make)))
          (func (export "call_i31") (result i32) (i31.get_s (call $i31))))
        """;

    private readonly Store _store = new();
    private readonly Instance _instance;
    private object? _made;

    public GcBoundaryTests()
    {
        var linker = new Linker();
        linker.DefineFunction("host", "make", [], [ValType.StructRef], (_, results) => results[0] = WasmValue.FromReference(_made));
        linker.DefineFunction("host", "i31", [], [ValType.I31Ref], (_, results) => results[0] = WasmValue.FromReference(_made));
        _instance = GcTestModules.Instantiate(_store, Module, linker);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void ArgumentsMustMatchParameterTypes()
    {
        var x = _instance.Func("x");
        Assert.Throws<ArgumentException>(() => x.Invoke(WasmValue.FromReference("a string")));
        Assert.Throws<ArgumentException>(() => x.Invoke(WasmValue.FromReference(I31Ref.Create(1))));
        var other = _instance.Module.GetGcType(1).NewStruct(WasmValue.FromInt64(1));
        Assert.Throws<ArgumentException>(() => x.Invoke(WasmValue.FromReference(other)));
        var point = _instance.Module.GetGcType(0).NewStruct(5);
        Assert.Equal(5, x.Invoke(WasmValue.FromReference(point))[0].AsInt32());
        var trap = Assert.Throws<TrapException>(() => x.Invoke(WasmValue.FromReference(null)));
        Assert.Equal("null structure reference", trap.Reason);
    }

    [Fact]
    public void GlobalsAndTablesCheckWhatTheHostStores()
    {
        var global = _instance.GetGlobal("g")!;
        Assert.Throws<ArgumentException>(() => global.Value = WasmValue.FromReference(new object()));
        var point = _instance.Module.GetGcType(0).NewStruct(1);
        global.Value = WasmValue.FromReference(point);
        Assert.Same(point, global.Value.AsReference());

        var table = _instance.GetTable("t")!;
        Assert.Throws<ArgumentException>(() => table.Set(0, "no"));
        Assert.Throws<ArgumentException>(() => table.Grow(1, I31Ref.Create(3)));
        table.Set(0, point);
        Assert.Same(point, table.Get(0));
    }

    [Fact]
    public void HostFunctionResultsMustMatchTheirTypes()
    {
        _made = "not a struct";
        var trap = Assert.Throws<TrapException>(() => _instance.Func("call_make").Invoke());
        Assert.Equal(TrapKind.HostError, trap.Kind);
        Assert.Throws<TrapException>(() => _instance.Func("call_i31").Invoke());

        _made = _instance.Module.GetGcType(0).NewStruct(1);
        Assert.Equal(1, _instance.CallI32("call_make"));
        _made = I31Ref.Create(-3);
        Assert.Equal(-3, _instance.CallI32("call_i31"));
    }
}
