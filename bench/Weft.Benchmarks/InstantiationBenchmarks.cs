using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>
/// Instantiating a module that is already compiled, in a fresh store each time (the server case: one
/// <see cref="WasmModule"/> shared by many requests), next to loading and compiling it from bytes in an engine of its
/// own, which is what a host without a shared module pays. The module has a memory with a data segment, a table with an
/// element segment, globals and an imported host function.
/// </summary>
public class InstantiationBenchmarks : IDisposable
{
    internal const string Text = """
        (module
          (import "env" "log" (func $log (param i32)))
          (memory 1) (data (i32.const 16) "hello, world")
          (table 4 funcref) (elem (i32.const 0) $a $b)
          (global $g (mut i32) (i32.const 7))
          (func $a (export "a") (param i32) (result i32) (i32.add (local.get 0) (global.get $g)))
          (func $b (export "b") (call $log (i32.const 1))))
        """;

    private Engine _engine = null!;
    private WasmModule _module = null!;
    private Linker _linker = null!;
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine();
        _module = WasmModule.FromText(_engine, Text);
        _bytes = _module.ToBinary();
        _linker = new Linker(_engine).DefineFunction("env", "log", (int x) => { });
        using var warm = new Store(_engine);
        _linker.Instantiate(warm, _module);
    }

    /// <summary>A new store and instance of the compiled module.</summary>
    [Benchmark(Baseline = true)]
    public int InstantiateCompiled()
    {
        using var store = new Store(_engine);
        return _linker.Instantiate(store, _module).GetFunction("a")!.Invoke(WasmValue.FromInt32(1))[0].AsInt32();
    }

    /// <summary>Decode, validate, compile and instantiate, in a new engine (what no sharing costs).</summary>
    [Benchmark]
    public int LoadCompileAndInstantiate()
    {
        using var engine = new Engine();
        var module = WasmModule.FromBytes(engine, _bytes);
        using var store = new Store(engine);
        return new Linker(engine).DefineFunction("env", "log", (int x) => { }).Instantiate(store, module)
            .GetFunction("a")!.Invoke(WasmValue.FromInt32(1))[0].AsInt32();
    }

    /// <summary>A stopwatch figure of both (<c>--instantiate</c>), for docs/RATIONALE.md without a BenchmarkDotNet run.</summary>
    public static void Run()
    {
        using var bench = new InstantiationBenchmarks();
        bench.Setup();
        Console.WriteLine($"instantiate compiled:          {Time(() => bench.InstantiateCompiled(), 20_000):F1} us");
        Console.WriteLine($"load + compile + instantiate:  {Time(() => bench.LoadCompileAndInstantiate(), 300):F1} us");
    }

    private static double Time(Func<int> action, int count)
    {
        for (int i = 0; i < count / 10; i++) action();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++) action();
        return watch.Elapsed.TotalMicroseconds / count;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }
}
