using System.Runtime.InteropServices;

namespace Weft.Tests.Api;

/// <summary>The host's view of memories, globals and tables: the same state the wasm code sees.</summary>
public sealed class MemoryGlobalTableTests : IDisposable
{
    private readonly Store _store = new();
    private readonly Instance _instance;

    public MemoryGlobalTableTests()
    {
        _instance = new Linker().Instantiate(_store, WasmModule.FromText("""
            (module
              (memory (export "memory") 1 4)
              (global (export "counter") (mut i32) (i32.const 7))
              (global (export "pi") f64 (f64.const 3.25))
              (table (export "table") 2 funcref)
              (func $inc (export "inc") (global.set 0 (i32.add (global.get 0) (i32.const 1))))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "call_slot") (param i32) (call_indirect (local.get 0))))
            """));
    }

    public void Dispose() => _store.Dispose();

    [StructLayout(LayoutKind.Sequential)]
    private struct Point
    {
        public int X;
        public int Y;
    }

    [Fact]
    public void MemoryHelpersAndSpansShareTheBytesWithWasm()
    {
        var memory = _instance.GetMemory("memory")!;
        var load = _instance.GetFunction<int, int>("load")!;
        memory.WriteInt32(16, 0x01020304);
        Assert.Equal(0x01020304, load(16));
        memory.Span[20] = 0xFF;
        Assert.Equal(0xFF, load(20));
        memory.Write(32, new Point { X = 3, Y = -4 });
        Assert.Equal(-4, load(36));
        Assert.Equal(3, memory.Read<Point>(32).X);
        int n = memory.WriteString(100, "héllo");
        Assert.Equal("héllo", memory.ReadString(100, n));
        Assert.Equal("héllo", memory.ReadNullTerminatedString(100));
        memory.Write(200, [1, 2, 3]);
        var back = new byte[3];
        memory.Read(200, back);
        Assert.Equal([1, 2, 3], back);
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, Assert.Throws<TrapException>(() => memory.ReadInt64(65536 - 4)).Kind);
        Assert.Equal(1, memory.Grow(1));
        Assert.Equal(2UL * 65536, memory.ByteLength);
        Assert.Equal(-1, memory.Grow(10));
    }

    [Fact]
    public void GlobalsReadAndWriteTheSameCell()
    {
        var counter = _instance.GetGlobal("counter")!;
        _instance.GetAction("inc")!();
        Assert.Equal(8, counter.Value.AsInt32());
        counter.Value = 41;
        _instance.GetAction("inc")!();
        Assert.Equal(42, counter.Value.AsInt32());
        var pi = _instance.GetGlobal("pi")!;
        Assert.Equal(3.25, pi.Value.AsDouble());
        Assert.Throws<InvalidOperationException>(() => pi.Value = 1.0);
        Assert.Throws<ArgumentException>(() => counter.Value = 1.5);
    }

    [Fact]
    public void TablesHoldFunctionsTheHostCanPlace()
    {
        var table = _instance.GetTable("table")!;
        var inc = _instance.GetFunction("inc")!;
        table.Set(1, inc);
        Assert.Same(inc, table.Get(1));
        _instance.GetAction<int>("call_slot")!(1);
        Assert.Equal(8, _instance.GetGlobal("counter")!.Value.AsInt32());
        Assert.Equal(TrapKind.UninitializedElement, Assert.Throws<TrapException>(() => _instance.GetAction<int>("call_slot")!(0)).Kind);
        Assert.Equal(2, table.Grow(3, inc));
        Assert.Equal(5UL, table.Size);
        Assert.Throws<TrapException>(() => table.Get(5));
    }

    [Fact]
    public void AModuleDescribesItsImportsExportsAndTypes()
    {
        var module = _instance.Module;
        Assert.Empty(module.Imports);
        var exports = module.Exports.ToDictionary(e => e.Name, e => (e.Kind, Text: e.Type.ToString()));
        Assert.Equal((Syntax.ExternKind.Memory, "(memory 1 4)"), exports["memory"]);
        Assert.Equal((Syntax.ExternKind.Global, "(global (mut i32))"), exports["counter"]);
        Assert.Equal((Syntax.ExternKind.Func, "(func (param i32) (result i32))"), exports["load"]);
        Assert.Contains("(func)", module.Types);
        Assert.StartsWith("(module", module.ToText());
        Assert.Equal(3, module.DefinedFunctionCount);
    }
}
