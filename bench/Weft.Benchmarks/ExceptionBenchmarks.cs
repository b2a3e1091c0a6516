using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>
/// What exception handling costs. The *Plain/*Try pairs run the same hot loop without and with a try_table inside
/// its body (around memory accesses, or around a call): the non-throwing path should cost (nearly) nothing. The
/// Throw* benchmarks measure one throw and catch: in the same function (no .NET exception is thrown) and from a
/// callee (one .NET throw per function left). Times are per loop iteration or per throw (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class ExceptionBenchmarks : IDisposable
{
    private const int Iterations = 1_000_000;
    private const int Throws = 1_000;

    private const string Text = """
        (module
          (memory 1)
          (tag $e (param i32))
          (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func $thrower (param i32) (throw $e (local.get 0)))

          (func (export "memory-plain") (param $n i32) (result i32)
            (local $i i32) (local $acc i32) (local $a i32)
            (loop $l
              (local.set $a (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0xfffc)))
              (local.set $acc (i32.add (local.get $acc)
                (i32.xor (i32.load (local.get $a)) (i32.mul (local.get $i) (local.get $i)))))
              (i32.store (local.get $a) (local.get $acc))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          (func (export "memory-try") (param $n i32) (result i32)
            (local $i i32) (local $acc i32) (local $a i32)
            (loop $l
              (block $h
                (try_table (catch_all $h)
                  (local.set $a (i32.and (i32.shl (local.get $i) (i32.const 2)) (i32.const 0xfffc)))
                  (local.set $acc (i32.add (local.get $acc)
                    (i32.xor (i32.load (local.get $a)) (i32.mul (local.get $i) (local.get $i)))))
                  (i32.store (local.get $a) (local.get $acc))))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          (func (export "call-plain") (param $n i32) (result i32)
            (local $i i32) (local $acc i32)
            (loop $l
              (local.set $acc (i32.add (local.get $acc) (call $leaf (local.get $i))))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          (func (export "call-try") (param $n i32) (result i32)
            (local $i i32) (local $acc i32)
            (loop $l
              (block $h (result i32)
                (try_table (result i32) (catch $e $h)
                  (call $leaf (local.get $i))))
              (local.set $acc (i32.add (local.get $acc)))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          (func (export "throw-local") (param $n i32) (result i32)
            (local $i i32) (local $acc i32)
            (loop $l
              (block $h (result i32)
                (try_table (result i32) (catch $e $h)
                  (throw $e (local.get $i))))
              (local.set $acc (i32.add (local.get $acc)))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc))

          (func (export "throw-call") (param $n i32) (result i32)
            (local $i i32) (local $acc i32)
            (loop $l
              (block $h (result i32)
                (try_table (result i32) (catch $e $h)
                  (call $thrower (local.get $i))
                  (i32.const 0)))
              (local.set $acc (i32.add (local.get $acc)))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $acc)))
        """;

    private readonly Store _store = new();
    private readonly Instance _instance;

    public ExceptionBenchmarks() => _instance = new Linker().Instantiate(_store, WasmModule.FromText(Text));

    private int Run(string name, int count) => _instance.GetFunction(name)!.Invoke(count)[0].AsInt32();

    [Benchmark(Baseline = true, OperationsPerInvoke = Iterations)]
    public int MemoryLoopPlain() => Run("memory-plain", Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public int MemoryLoopTryTable() => Run("memory-try", Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public int CallLoopPlain() => Run("call-plain", Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public int CallLoopTryTable() => Run("call-try", Iterations);

    [Benchmark(OperationsPerInvoke = Throws)]
    public int ThrowCatchSameFunction() => Run("throw-local", Throws);

    [Benchmark(OperationsPerInvoke = Throws)]
    public int ThrowCatchFromCallee() => Run("throw-call", Throws);

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }
}
