using System.Reflection;
using System.Runtime.InteropServices;
using Weft.Cli;
using Weft.Compilation;
using Weft.Syntax;

namespace Weft.Tests.Execution;

/// <summary>
/// The start-up changes of RATIONALE.md "Start-up: an empty module's `weft run`, fourth look": the instantiator's
/// global index space as arrays (imported cells first, then defined ones, fields leaving a null), the CLI's
/// two-byte PE check without a FileStream, and the GetArrayDataReference look-up by generic signature.
/// </summary>
public sealed class StartUpFourthLookTests : IDisposable
{
    private const string Module = """
        (module
          (import "host" "a" (global $a (mut i32)))
          (import "host" "b" (global $b i64))
          (global $kept (mut i32) (i32.const 40))
          (global $shared (export "shared") (mut i64) (global.get $b))
          (global $c (export "c") i32 (i32.const 7))
          (global (export "a_again") (mut i32) (i32.const 0))
          (func (export "kept") (result i32) (global.get $kept))
          (func (export "bump") (global.set $kept (i32.add (global.get $kept) (global.get $c))))
          (func (export "a") (result i32) (global.get $a))
          (func (export "set_a") (param i32) (global.set $a (local.get 0))))
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("weft-startup4-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ImportedAndDefinedGlobalsKeepTheirIndicesAndValues()
    {
        using var store = new Store();
        var a = new Global(store, new GlobalType(ValType.I32, true), WasmValue.FromInt32(40));
        var b = new Global(store, new GlobalType(ValType.I64, false), WasmValue.FromInt64(-3));
        var instance = new Linker(store.Engine).Define("host", "a", a).Define("host", "b", b)
            .Instantiate(store, WasmModule.FromText(Module));

        Assert.Equal(40, instance.GetFunction("kept")!.Invoke()[0].AsInt32());
        instance.GetFunction("bump")!.Invoke();
        Assert.Equal(47, instance.GetFunction("kept")!.Invoke()[0].AsInt32());
        Assert.Equal(-3L, instance.GetGlobal("shared")!.Value.AsInt64());
        Assert.Equal(7, instance.GetGlobal("c")!.Value.AsInt32());
        Assert.Equal(0, instance.GetGlobal("a_again")!.Value.AsInt32());
        // The imported cell is the host's own object: writes go both ways.
        instance.GetFunction("set_a")!.Invoke(WasmValue.FromInt32(5));
        Assert.Equal(5, a.Value.AsInt32());
        a.Value = WasmValue.FromInt32(9);
        Assert.Equal(9, instance.GetFunction("a")!.Invoke()[0].AsInt32());
    }

    [Fact]
    public void ModuleWithoutGlobalsInstantiates()
    {
        using var store = new Store();
        var instance = new Linker(store.Engine).Instantiate(store, WasmModule.FromText("(module (func (export \"f\") (result i32) (i32.const 3)))"));
        Assert.Equal(3, instance.GetFunction("f")!.Invoke()[0].AsInt32());
    }

    [Theory]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, true)]
    [InlineData(new byte[] { (byte)'M', (byte)'Z' }, true)]
    [InlineData(new byte[] { (byte)'M' }, false)]
    [InlineData(new byte[0], false)]
    [InlineData(new byte[] { 0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0 }, false)]
    [InlineData(new byte[] { (byte)'Z', (byte)'M' }, false)]
    public void IsAssemblyReadsTheFirstTwoBytes(byte[] content, bool expected)
    {
        string path = Path.Combine(_folder, "file");
        File.WriteAllBytes(path, content);
        Assert.Equal(expected, RunCommand.IsAssembly(path));
    }

    [Fact]
    public void RunOfAnEmptyCommandStillExitsZero()
    {
        string path = Path.Combine(_folder, "empty.wasm");
        File.WriteAllBytes(path, WasmModule.FromText("""(module (memory (export "memory") 1) (func (export "_start")))""").ToBinary());
        var (exit, output, error) = Cli.InProcessCli.Run("run", path);
        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void ArrayDataReferenceIsTheGenericOverloadOverObject()
    {
        MethodInfo method = RuntimeMembers.ArrayDataReference;
        Assert.True(method.IsGenericMethod);
        Assert.Equal([typeof(object)], method.GetGenericArguments());
        Assert.Equal(typeof(object[]), Assert.Single(method.GetParameters()).ParameterType);
        Assert.Equal(typeof(object).MakeByRefType(), method.ReturnType);
        Assert.Equal(typeof(MemoryMarshal), method.DeclaringType);
    }
}
