using Weft.Tests.Conformance;

namespace Weft.Tests.Api;

/// <summary>
/// bench/programs/src/externref.c, built with clang's reference types: a .NET object goes into C code as an
/// externref, is kept in a wasm table, and comes back to the host as the very same object.
/// </summary>
public sealed class ExternrefProgramTests
{
    [Fact]
    public void AHostObjectMakesTheRoundTripThroughC()
    {
        var module = WasmModule.FromFile(Path.Combine(SpecSuite.RepositoryRoot, "bench", "programs", "wasm", "externref.wasm"));
        var received = new List<(object? Object, int Tag)>();
        var linker = new Linker();
        linker.Define("host", "length", (object o) => o is string s ? s.Length : -1);
        linker.Define("host", "take", (object o, int tag) => received.Add((o, tag)));
        using var store = new Store();
        var instance = linker.Instantiate(store, module);

        instance.GetAction<int>("init")!(4);
        Assert.Equal(4, instance.GetFunction<int>("size")!());
        var text = "a .NET string";
        var list = new List<int> { 1, 2, 3 };
        var keep = instance.GetFunction<object, int, int>("keep")!;
        Assert.Equal(text.Length, keep(text, 1));
        Assert.Equal(-1, keep(list, 2));

        instance.GetAction<int>("give_back")!(1);
        instance.GetAction<int>("give_back")!(2);
        Assert.Same(text, received[0].Object);
        Assert.Equal(101, received[0].Tag);
        Assert.Same(list, received[1].Object);
        Assert.Same(text, instance.GetFunction<int, object>("get")!(1));
        Assert.Null(instance.GetFunction<int, object>("get")!(0));
    }
}
