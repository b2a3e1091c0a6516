using Weft.Compilation.Aot;

namespace Weft.Tests.Aot;

/// <summary>
/// The compile cache (EngineOptions.CacheDirectory): a second engine loads what the first compiled; corrupt and
/// truncated entries are compiled again (never run) and replaced; concurrent writers of one entry leave one whole
/// entry and no temporary files.
/// </summary>
public sealed class CompileCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("weft-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Engine NewEngine() => new(new EngineOptions { CacheDirectory = _directory });

    // Loads the sample in a new engine, checks where its code came from, and runs it.
    private void RunSample(CodeOrigin expected)
    {
        using var engine = NewEngine();
        var module = WasmModule.FromText(engine, PrecompiledModuleTests.Sample);
        using var store = new Store(engine);
        var instance = new Linker(engine).DefineFunction("host", "twice", (int x) => x * 2).Instantiate(store, module);
        Assert.Equal(expected, Assert.IsType<PrecompiledCode>(module.Compiled).Origin);
        var results = instance.GetFunction("run")!.Invoke(WasmValue.FromInt32(5));
        Assert.Equal(50, results[0].AsInt32());
        Assert.Equal(6.5, results[2].AsDouble());
    }

    private string Entry() => Assert.Single(Directory.GetFiles(_directory, "*.weftaot"));

    [Fact]
    public void ASecondEngineLoadsWhatTheFirstCompiled()
    {
        RunSample(CodeOrigin.CacheMiss);
        string entry = Entry();
        var written = File.GetLastWriteTimeUtc(entry);
        RunSample(CodeOrigin.Cache);
        Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void ACorruptEntryIsCompiledAgainAndReplaced()
    {
        RunSample(CodeOrigin.CacheMiss);
        string entry = Entry();
        byte[] good = File.ReadAllBytes(entry);
        // One flipped bit in the middle of the assembly (its IL or metadata): it might even load, so it must not be tried.
        byte[] corrupt = (byte[])good.Clone();
        corrupt[corrupt.Length / 2] ^= 0x10;
        File.WriteAllBytes(entry, corrupt);
        RunSample(CodeOrigin.CacheMiss);
        Assert.NotEqual(corrupt, File.ReadAllBytes(entry));
        RunSample(CodeOrigin.Cache);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(-1)]
    public void ATruncatedEntryIsCompiledAgainAndReplaced(int length)
    {
        RunSample(CodeOrigin.CacheMiss);
        string entry = Entry();
        byte[] good = File.ReadAllBytes(entry);
        File.WriteAllBytes(entry, good.AsSpan(0, length < 0 ? good.Length - 1 : length).ToArray());
        RunSample(CodeOrigin.CacheMiss);
        Assert.True(File.ReadAllBytes(entry).Length > length);
        RunSample(CodeOrigin.Cache);
    }

    [Fact]
    public void ConcurrentWritersLeaveOneWholeEntry()
    {
        var barrier = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            barrier.SignalAndWait();
            using var engine = NewEngine();
            var module = WasmModule.FromText(engine, PrecompiledModuleTests.Sample);
            Assert.IsType<PrecompiledCode>(module.Compiled);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Entry();
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        RunSample(CodeOrigin.Cache);
    }

    [Fact]
    public void TheKeyDependsOnTheModuleAndTheCodeOptions()
    {
        byte[] a = WasmModule.FromText(PrecompiledModuleTests.Sample).ToBinary();
        byte[] b = WasmModule.FromText(PrecompiledModuleTests.Sample.Replace("(i32.const 40)", "(i32.const 41)", StringComparison.Ordinal)).ToBinary();
        var plain = AotFormat.Options(consumeFuel: false, interruptible: false);
        var fuel = AotFormat.Options(consumeFuel: true, interruptible: false);
        Assert.Equal(CompileCache.Key(a, plain), CompileCache.Key((byte[])a.Clone(), plain));
        Assert.NotEqual(CompileCache.Key(a, plain), CompileCache.Key(b, plain));
        Assert.NotEqual(CompileCache.Key(a, plain), CompileCache.Key(a, fuel));
    }

    [Fact]
    public void ModulesWithGcStructTypesAreCompiledAsUsual()
    {
        using var engine = NewEngine();
        var module = WasmModule.FromText(engine, "(module (type $p (struct (field i32))) (func (export \"f\") (result i32) (struct.get $p 0 (struct.new $p (i32.const 7)))))");
        using var store = new Store(engine);
        Assert.Equal(7, new Linker(engine).Instantiate(store, module).GetFunction("f")!.Invoke()[0].AsInt32());
        Assert.IsNotType<PrecompiledCode>(module.Compiled);
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
