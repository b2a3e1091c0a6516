using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>
/// Host-to-wasm calls: a typed delegate (<c>instance.GetFunction&lt;int, int, int&gt;</c>, a function-pointer call)
/// against the boxed <see cref="Function.Invoke"/>; and the cost of fuel and interrupt checks on a hot loop
/// (one check per iteration) against the same loop compiled without them.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private const string Module = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $acc)))
        """;

    private const int LoopCount = 1_000_000;

    private Store _plain = null!, _fuel = null!, _interrupt = null!;
    private Func<int, int, int> _add = null!;
    private Function _addFunction = null!;
    private Func<int, int> _sumPlain = null!, _sumFuel = null!, _sumInterrupt = null!;

    [GlobalSetup]
    public void Setup()
    {
        var module = WasmModule.FromText(Module);
        _plain = new Store();
        _fuel = new Store { ConsumeFuel = true };
        _interrupt = new Store { Interruptible = true };
        var plain = new Linker().Instantiate(_plain, module);
        _add = plain.GetFunction<int, int, int>("add")!;
        _addFunction = plain.GetFunction("add")!;
        _sumPlain = plain.GetFunction<int, int>("sum")!;
        _sumFuel = new Linker().Instantiate(_fuel, module).GetFunction<int, int>("sum")!;
        _sumInterrupt = new Linker().Instantiate(_interrupt, module).GetFunction<int, int>("sum")!;
        _fuel.Fuel = long.MaxValue;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _fuel.Dispose();
        _interrupt.Dispose();
    }

    [Benchmark(Description = "typed call add(i32,i32)")]
    public int TypedCall() => _add(1, 2);

    [Benchmark(Description = "Function.Invoke add(i32,i32)")]
    public int DynamicCall() => _addFunction.Invoke(1, 2)[0].AsInt32();

    [Benchmark(Description = "loop 1M, no checks")]
    public int LoopPlain() => _sumPlain(LoopCount);

    [Benchmark(Description = "loop 1M, fuel")]
    public int LoopFuel() => _sumFuel(LoopCount);

    [Benchmark(Description = "loop 1M, interruptible")]
    public int LoopInterrupt() => _sumInterrupt(LoopCount);
}
