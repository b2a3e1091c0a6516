using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>The wasm module the GC benchmarks run: every loop runs inside wasm, called once per benchmark invocation.</summary>
internal static class GcBenchmarkModule
{
    /// <summary>Iterations per invocation (each benchmark reports the time of one iteration).</summary>
    public const int N = 1 << 16;

    public const string Text = """
        (module
          (type $bytes (array (mut i8)))
          (type $ints (array (mut i32)))
          (type $base (sub (struct (field i32))))
          (type $mid (sub $base (struct (field i32) (field i32))))
          (type $leaf (sub final $mid (struct (field i32) (field i32) (field i32))))
          (type $final (struct (field i32)))
          (type $node (struct (field i32) (field (ref null $node))))
          (type $anys (array (mut anyref)))
          (type $bases (array (mut (ref null $base))))
          (memory 1)
          (global $list (mut (ref null $node)) (ref.null $node))
          (global $last (mut (ref null $node)) (ref.null $node))

          ;; a[i] = a[i] + 1 over an (array i8)
          (func (export "array_i8") (param $a (ref $bytes))
            (local $i i32) (local $n i32)
            (local.set $n (array.len (local.get $a)))
            (loop $next
              (array.set $bytes (local.get $a) (local.get $i)
                (i32.add (array.get_u $bytes (local.get $a) (local.get $i)) (i32.const 1)))
              (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

          ;; the same over bytes [0, n) of linear memory
          (func (export "memory_i8") (param $n i32)
            (local $i i32)
            (loop $next
              (i32.store8 (local.get $i) (i32.add (i32.load8_u (local.get $i)) (i32.const 1)))
              (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

          ;; n struct allocations, each stored in a global and garbage at the next iteration (dies young)
          (func (export "alloc_short") (param $n i32)
            (loop $next
              (global.set $last (struct.new $node (local.get $n) (ref.null $node)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

          ;; n struct allocations linked into a list, all alive until the call returns (survive young collections)
          (func (export "alloc_list") (param $n i32)
            (local $head (ref null $node))
            (loop $next
              (local.set $head (struct.new $node (local.get $n) (local.get $head)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (global.set $list (local.get $head)))

          ;; n field reads of objects taken in turn from an array of 1024 typed references: the casts' baseline
          (func (export "no_cast") (param $a (ref $bases)) (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $next
              (local.set $sum (i32.add (local.get $sum)
                (struct.get $base 0 (array.get $bases (local.get $a) (local.get $i)))))
              (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 1023)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))

          ;; the same from an array of 1024 anyrefs, each cast before the read
          (func (export "cast_base") (param $a (ref $anys)) (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $next
              (local.set $sum (i32.add (local.get $sum)
                (struct.get $base 0 (ref.cast (ref $base) (array.get $anys (local.get $a) (local.get $i))))))
              (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 1023)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))
          (func (export "cast_final") (param $a (ref $anys)) (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $next
              (local.set $sum (i32.add (local.get $sum)
                (struct.get $final 0 (ref.cast (ref $final) (array.get $anys (local.get $a) (local.get $i))))))
              (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 1023)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))
          (func (export "cast_array") (param $a (ref $anys)) (param $n i32) (result i32)
            (local $i i32) (local $sum i32)
            (loop $next
              (local.set $sum (i32.add (local.get $sum)
                (array.len (ref.cast (ref $ints) (array.get $anys (local.get $a) (local.get $i))))))
              (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 1023)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))

          (func (export "new_base") (result (ref $base)) (struct.new $base (i32.const 1)))
          (func (export "new_leaf") (result (ref $leaf)) (struct.new $leaf (i32.const 1) (i32.const 2) (i32.const 3)))
          (func (export "new_final") (result (ref $final)) (struct.new $final (i32.const 1)))
          (func (export "new_ints") (result (ref $ints)) (array.new_default $ints (i32.const 1))))
        """;
}

/// <summary>
/// array.get_u/array.set over an (array i8) against i32.load8_u/i32.store8 over linear memory: the same loop, one
/// element or byte per iteration.
/// </summary>
[MemoryDiagnoser]
public class GcArrayAccessBenchmarks
{
    private Store _store = null!;
    private Function _array = null!;
    private Function _memory = null!;
    private WasmValue _bytes;

    [GlobalSetup]
    public void Setup()
    {
        _store = new Store();
        var module = WasmModule.FromText(GcBenchmarkModule.Text);
        var instance = new Linker().Instantiate(_store, module);
        _array = instance.GetFunction("array_i8")!;
        _memory = instance.GetFunction("memory_i8")!;
        // (array i8) is type 0.
        _bytes = WasmValue.FromReference(module.GetGcType(0).NewArray(GcBenchmarkModule.N));
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = GcBenchmarkModule.N)]
    public void MemoryLoad8Store8() => _memory.Invoke(GcBenchmarkModule.N);

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public void ArrayGetSetI8() => _array.Invoke(_bytes);
}

/// <summary>
/// struct.new in a loop, including the .NET GC's work: objects that die young (each replaced in a global by the
/// next), and objects linked into a list of 65,536 that all survive until the call returns.
/// </summary>
[MemoryDiagnoser]
public class GcStructAllocationBenchmarks
{
    private Store _store = null!;
    private Function _short = null!;
    private Function _list = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new Store();
        var instance = new Linker().Instantiate(_store, WasmModule.FromText(GcBenchmarkModule.Text));
        _short = instance.GetFunction("alloc_short")!;
        _list = instance.GetFunction("alloc_list")!;
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public void StructNewDyingYoung() => _short.Invoke(GcBenchmarkModule.N);

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public void StructNewSurviving() => _list.Invoke(GcBenchmarkModule.N);
}

/// <summary>
/// ref.cast of an anyref followed by a field read, for 1024 objects in turn, against the same reads through typed
/// references: to a non-final struct type from objects of that type and from a subtype two levels down, to a final
/// struct type, and to an array type.
/// </summary>
public class GcCastBenchmarks
{
    private const int Objects = 1024;
    private Store _store = null!;
    private Function _noCast = null!;
    private Function _castBase = null!;
    private Function _castFinal = null!;
    private Function _castArray = null!;
    private WasmValue _typedBases;
    private WasmValue _bases;
    private WasmValue _leaves;
    private WasmValue _finals;
    private WasmValue _arrays;

    [GlobalSetup]
    public void Setup()
    {
        _store = new Store();
        var module = WasmModule.FromText(GcBenchmarkModule.Text);
        var instance = new Linker().Instantiate(_store, module);
        _noCast = instance.GetFunction("no_cast")!;
        _castBase = instance.GetFunction("cast_base")!;
        _castFinal = instance.GetFunction("cast_final")!;
        _castArray = instance.GetFunction("cast_array")!;
        // Type 7 is (array (mut anyref)), type 8 (array (mut (ref null $base))).
        WasmValue Fill(int arrayType, string factory)
        {
            var array = module.GetGcType(arrayType).NewArray(Objects);
            var make = instance.GetFunction(factory)!;
            for (int i = 0; i < Objects; i++) array.SetReference(i, make.Invoke()[0].AsReference());
            return WasmValue.FromReference(array);
        }
        _typedBases = Fill(8, "new_base");
        _bases = Fill(7, "new_base");
        _leaves = Fill(7, "new_leaf");
        _finals = Fill(7, "new_final");
        _arrays = Fill(7, "new_ints");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = GcBenchmarkModule.N)]
    public int NoCast() => _noCast.Invoke(_typedBases, GcBenchmarkModule.N)[0].AsInt32();

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public int CastToNonFinalSameType() => _castBase.Invoke(_bases, GcBenchmarkModule.N)[0].AsInt32();

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public int CastToNonFinalFromSubtype() => _castBase.Invoke(_leaves, GcBenchmarkModule.N)[0].AsInt32();

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public int CastToFinal() => _castFinal.Invoke(_finals, GcBenchmarkModule.N)[0].AsInt32();

    [Benchmark(OperationsPerInvoke = GcBenchmarkModule.N)]
    public int CastToArray() => _castArray.Invoke(_arrays, GcBenchmarkModule.N)[0].AsInt32();
}
