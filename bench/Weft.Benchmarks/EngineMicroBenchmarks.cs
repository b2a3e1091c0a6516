using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>
/// The micro benchmarks on Weft and on Wasmtime (the NuGet package) side by side, on the module of
/// <see cref="Harness.MicroBenchmarks"/> (which the harness times by stopwatch for RESULTS.md): typed host-to-wasm
/// calls with no and with four arguments, a wasm-to-host call, a memory load/store loop and call_indirect. Loop
/// benchmarks report the time per iteration (OperationsPerInvoke). GC allocation and exceptions are in
/// <see cref="GcBenchmarks"/> and <see cref="ExceptionBenchmarks"/>.
/// </summary>
public class EngineMicroBenchmarks : IDisposable
{
    private const int Loop = 100_000;

    private Store? _store;
    private Wasmtime.Engine? _engine;
    private Wasmtime.Store? _wasmtimeStore;
    private Action _weftNop = null!, _wasmtimeNop = null!;
    private Func<int, int, int, int, int> _weftAdd4 = null!, _wasmtimeAdd4 = null!;
    private Func<int, int> _weftHost = null!, _wasmtimeHost = null!, _weftMemory = null!, _wasmtimeMemory = null!;
    private Func<int, long> _weftDispatch = null!, _wasmtimeDispatch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var module = WasmModule.FromText(Harness.MicroBenchmarks.CoreModule);
        _store = new Store();
        var weft = new Linker().DefineFunction("env", "host", (Func<int, int>)Harness.MicroBenchmarks.HostIncrement).Instantiate(_store, module);
        _weftNop = weft.GetAction("nop")!;
        _weftAdd4 = weft.GetFunction<int, int, int, int, int>("add4")!;
        _weftHost = weft.GetFunction<int, int>("call_host")!;
        _weftMemory = weft.GetFunction<int, int>("memory_loop")!;
        _weftDispatch = weft.GetFunction<int, long>("dispatch")!;

        _engine = new Wasmtime.Engine();
        using var wasmtimeModule = Wasmtime.Module.FromBytes(_engine, "micro", module.ToBinary());
        using var linker = new Wasmtime.Linker(_engine);
        linker.DefineFunction("env", "host", (Func<int, int>)Harness.MicroBenchmarks.HostIncrement);
        _wasmtimeStore = new Wasmtime.Store(_engine);
        var wasmtime = linker.Instantiate(_wasmtimeStore, wasmtimeModule);
        _wasmtimeNop = wasmtime.GetAction("nop")!;
        _wasmtimeAdd4 = wasmtime.GetFunction<int, int, int, int, int>("add4")!;
        _wasmtimeHost = wasmtime.GetFunction<int, int>("call_host")!;
        _wasmtimeMemory = wasmtime.GetFunction<int, int>("memory_loop")!;
        _wasmtimeDispatch = wasmtime.GetFunction<int, long>("dispatch")!;

        if (_weftHost(Loop) != _wasmtimeHost(Loop) || _weftMemory(Loop) != _wasmtimeMemory(Loop) || _weftDispatch(Loop) != _wasmtimeDispatch(Loop))
        {
            throw new InvalidOperationException("Weft and Wasmtime disagree on the micro benchmark module");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _store?.Dispose();
        _wasmtimeStore?.Dispose();
        _engine?.Dispose();
        _store = null;
        _wasmtimeStore = null;
        _engine = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "Weft: host->wasm, no arguments")]
    public void WeftNop() => _weftNop();

    [Benchmark(Description = "Wasmtime: host->wasm, no arguments")]
    public void WasmtimeNop() => _wasmtimeNop();

    [Benchmark(Description = "Weft: host->wasm, four arguments")]
    public int WeftAdd4() => _weftAdd4(1, 2, 3, 4);

    [Benchmark(Description = "Wasmtime: host->wasm, four arguments")]
    public int WasmtimeAdd4() => _wasmtimeAdd4(1, 2, 3, 4);

    [Benchmark(Description = "Weft: wasm->host, per call", OperationsPerInvoke = Loop)]
    public int WeftHostCall() => _weftHost(Loop);

    [Benchmark(Description = "Wasmtime: wasm->host, per call", OperationsPerInvoke = Loop)]
    public int WasmtimeHostCall() => _wasmtimeHost(Loop);

    [Benchmark(Description = "Weft: memory load/store, per iteration", OperationsPerInvoke = Loop)]
    public int WeftMemory() => _weftMemory(Loop);

    [Benchmark(Description = "Wasmtime: memory load/store, per iteration", OperationsPerInvoke = Loop)]
    public int WasmtimeMemory() => _wasmtimeMemory(Loop);

    [Benchmark(Description = "Weft: call_indirect, per call", OperationsPerInvoke = Loop)]
    public long WeftCallIndirect() => _weftDispatch(Loop);

    [Benchmark(Description = "Wasmtime: call_indirect, per call", OperationsPerInvoke = Loop)]
    public long WasmtimeCallIndirect() => _wasmtimeDispatch(Loop);
}
