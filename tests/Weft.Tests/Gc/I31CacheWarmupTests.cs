using Weft.Gc;

namespace Weft.Tests.Gc;

/// <summary>
/// With WEFT_I31_PREINIT=1 the i31 cache is initialized when code using <c>ref.i31</c> is compiled (docs/RATIONALE.md
/// "Allocation-heavy GC code: ... (issue 16, measured)"), so RyuJIT needs no class-initialization test in the inlined
/// cache read: results of i31-heavy lists built in loops, compiled eagerly and lazily, and the probe that the warm-up
/// ran exactly when switched on (run with and without the variable).
/// </summary>
public sealed class I31CacheWarmupTests
{
    // Cons cells of eq references whose heads are i31 values: built, mapped (3x+1) and summed, as bench/gc/i31_lists.
    private const string ListModule = """
        (module
          (type $cons (struct (field $hd (ref eq)) (field $tl (ref null $cons))))
          (func $range (param $n i32) (result (ref null $cons))
            (local $l (ref null $cons))
            (block $done (loop $loop
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $l (struct.new $cons (ref.i31 (local.get $n)) (local.get $l)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $loop)))
            (local.get $l))
          (func $map (param $l (ref null $cons)) (result (ref null $cons))
            (local $out (ref null $cons)) (local $c (ref $cons))
            (block $done (loop $loop
              (br_if $done (ref.is_null (local.get $l)))
              (local.set $c (ref.as_non_null (local.get $l)))
              (local.set $out (struct.new $cons
                (ref.i31 (i32.add (i32.mul (i31.get_s (ref.cast (ref i31) (struct.get $cons $hd (local.get $c)))) (i32.const 3)) (i32.const 1)))
                (local.get $out)))
              (local.set $l (struct.get $cons $tl (local.get $c)))
              (br $loop)))
            (local.get $out))
          (func $sum (param $l (ref null $cons)) (result i32)
            (local $s i32)
            (block $done (loop $loop
              (br_if $done (ref.is_null (local.get $l)))
              (local.set $s (i32.add (local.get $s) (i31.get_s (ref.cast (ref i31) (struct.get $cons $hd (ref.as_non_null (local.get $l)))))))
              (local.set $l (struct.get $cons $tl (ref.as_non_null (local.get $l))))
              (br $loop)))
            (local.get $s))
          (func (export "sum_range") (param i32) (result i32) (call $sum (call $range (local.get 0))))
          (func (export "sum_mapped") (param i32) (result i32) (call $sum (call $map (call $range (local.get 0)))))
          (func (export "head_of_mapped") (param i32) (result i32)
            (i31.get_s (ref.cast (ref i31) (struct.get $cons $hd (ref.as_non_null (call $map (call $range (local.get 0)))))))))
        """;

    private static Instance Instantiate(Store store) =>
        new Linker(store.Engine).Instantiate(store, WasmModule.FromText(store.Engine, ListModule));

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 1)]
    [InlineData(false, 1000)]
    [InlineData(true, 1000)]
    [InlineData(false, 70000)] // beyond the cache (65535): heads allocate
    public void ListsOfI31ValuesGiveExactSums(bool lazy, int n)
    {
        using var engine = new Engine(new EngineOptions { LazyCompilation = lazy });
        using var store = new Store(engine);
        var instance = Instantiate(store);
        long expected = (long)n * (n + 1) / 2;
        Assert.Equal(unchecked((int)expected), instance.GetFunction("sum_range")!.Invoke(WasmValue.FromInt32(n))[0].AsInt32());
        // map: 3x+1 on each element (below 2^30 here, so no wrapping).
        long mapped = 0;
        for (long x = 1; x <= n; x++) mapped += 3 * x + 1;
        Assert.Equal(unchecked((int)mapped), instance.GetFunction("sum_mapped")!.Invoke(WasmValue.FromInt32(n))[0].AsInt32());
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(5, 16)]
    [InlineData(30000, 90001)] // beyond the cache after mapping: the head allocates
    public void MapReversesAndTransformsEachHead(int n, int head)
    {
        using var store = new Store();
        var instance = Instantiate(store);
        Assert.Equal(head, instance.GetFunction("head_of_mapped")!.Invoke(WasmValue.FromInt32(n))[0].AsInt32());
    }

    [Fact]
    public void CompilingRefI31InitializesTheCacheOnlyWhenSwitchedOn()
    {
        using var engine = new Engine(new EngineOptions { LazyCompilation = false });
        using var store = new Store(engine);
        var instance = Instantiate(store);
        Assert.Equal(I31CacheWarmup.Enabled, I31CacheWarmup.Done);
        Assert.Equal(6, instance.GetFunction("sum_range")!.Invoke(WasmValue.FromInt32(3))[0].AsInt32());
    }
}
