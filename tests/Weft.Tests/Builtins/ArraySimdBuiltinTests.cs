using System.Runtime.Intrinsics;

namespace Weft.Tests.Builtins;

/// <summary>
/// <c>weft:array-simd</c> (docs/BUILTINS-ARRAY-SIMD.md): 128-bit loads and stores at an element index of GC arrays,
/// checked like array.get/array.set; the same kernels run with the builtins and with the shipped polyfill module
/// (array.get/array.set one element at a time) and must agree, traps included.
/// </summary>
public sealed class ArraySimdBuiltinTests
{
    internal static readonly WasmModuleOptions Options = new() { Builtins = new HashSet<string> { WasmModuleOptions.ArraySimd } };

    // The byte-count kernel of bench/RESULTS.md over (array (mut i8)) with the builtins: 16 bytes per step, then a
    // scalar tail; plus per-element-type loads and stores the tests call directly.
    internal const string Kernel = """
        (module
          (type $bytes (array (mut i8)))
          (type $cbytes (array i8))
          (type $i16s (array (mut i16)))
          (type $i32s (array (mut i32)))
          (type $i64s (array (mut i64)))
          (type $f32s (array (mut f32)))
          (type $f64s (array (mut f64)))
          (import "weft:array-simd" "load_i8" (func $load (param (ref null $bytes) i32) (result v128)))
          (import "weft:array-simd" "store_i8" (func $store (param (ref null $bytes) i32 v128)))
          (import "weft:array-simd" "load_i8_const" (func $loadc (param (ref null $cbytes) i32) (result v128)))
          (import "weft:array-simd" "load_i16" (func $load16 (param (ref null $i16s) i32) (result v128)))
          (import "weft:array-simd" "store_i16" (func $store16 (param (ref null $i16s) i32 v128)))
          (import "weft:array-simd" "load_i32" (func $load32 (param (ref null $i32s) i32) (result v128)))
          (import "weft:array-simd" "store_i32" (func $store32 (param (ref null $i32s) i32 v128)))
          (import "weft:array-simd" "load_i64" (func $load64 (param (ref null $i64s) i32) (result v128)))
          (import "weft:array-simd" "store_i64" (func $store64 (param (ref null $i64s) i32 v128)))
          (import "weft:array-simd" "load_f32" (func $loadf32 (param (ref null $f32s) i32) (result v128)))
          (import "weft:array-simd" "store_f32" (func $storef32 (param (ref null $f32s) i32 v128)))
          (import "weft:array-simd" "load_f64" (func $loadf64 (param (ref null $f64s) i32) (result v128)))
          (import "weft:array-simd" "store_f64" (func $storef64 (param (ref null $f64s) i32 v128)))
          (func (export "count") (param $a (ref null $bytes)) (param $needle i32) (result i32)
            (local $i i32) (local $n i32) (local $end i32) (local $splat v128) (local $count i32)
            (local.set $n (array.len (local.get $a)))
            (local.set $splat (i8x16.splat (local.get $needle)))
            (local.set $end (i32.and (local.get $n) (i32.const -16)))
            (block $simd_done
              (loop $simd
                (br_if $simd_done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $count (i32.add (local.get $count)
                  (i32.popcnt (i8x16.bitmask (i8x16.eq (call $load (local.get $a) (local.get $i)) (local.get $splat))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $simd)))
            (block $done
              (loop $tail
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $count (i32.add (local.get $count)
                  (i32.eq (array.get_u $bytes (local.get $a) (local.get $i)) (local.get $needle))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tail)))
            (local.get $count))
          (func (export "new") (param i32) (result (ref $bytes)) (array.new_default $bytes (local.get 0)))
          (func (export "newConst") (param i32) (result (ref $cbytes))
            (array.new_fixed $cbytes 20
              (i32.const 0) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9)
              (i32.const 10) (i32.const 11) (i32.const 12) (i32.const 13) (i32.const 14) (i32.const 15) (i32.const 16) (i32.const 17) (i32.const 18) (i32.const 19)))
          (func (export "sumConst") (param $a (ref null $cbytes)) (param $i i32) (result i32)
            (i32x4.extract_lane 0 (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (call $loadc (local.get $a) (local.get $i))))))
          ;; Reverses each 16-byte block in place: load, shuffle, store.
          (func (export "reverseBlocks") (param $a (ref null $bytes))
            (local $i i32)
            (block $d (loop $l
              (br_if $d (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (array.len (local.get $a))))
              (call $store (local.get $a) (local.get $i)
                (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (call $load (local.get $a) (local.get $i)) (v128.const i64x2 0 0)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br $l))))
          (func (export "load") (param (ref null $bytes) i32) (result v128) (call $load (local.get 0) (local.get 1)))
          (func (export "store") (param (ref null $bytes) i32 v128) (call $store (local.get 0) (local.get 1) (local.get 2)))
          ;; Wider elements: add 1 to every lane of the vector at an element index (i32, i64, f32, f64, i16).
          (func (export "bump16") (param $n i32) (param $at i32) (result i32)
            (local $a (ref $i16s))
            (local.set $a (array.new $i16s (i32.const 7) (local.get $n)))
            (call $store16 (local.get $a) (local.get $at) (i16x8.add (call $load16 (local.get $a) (local.get $at)) (v128.const i16x8 1 2 3 4 5 6 7 8)))
            (i32.add (array.get_s $i16s (local.get $a) (local.get $at)) (array.get_s $i16s (local.get $a) (i32.add (local.get $at) (i32.const 7)))))
          (func (export "bump32") (param $n i32) (param $at i32) (result i32)
            (local $a (ref $i32s))
            (local.set $a (array.new $i32s (i32.const 7) (local.get $n)))
            (call $store32 (local.get $a) (local.get $at) (i32x4.add (call $load32 (local.get $a) (local.get $at)) (v128.const i32x4 1 2 3 4)))
            (i32.add (array.get $i32s (local.get $a) (local.get $at)) (array.get $i32s (local.get $a) (i32.add (local.get $at) (i32.const 3)))))
          (func (export "bump64") (param $n i32) (param $at i32) (result i64)
            (local $a (ref $i64s))
            (local.set $a (array.new $i64s (i64.const 7) (local.get $n)))
            (call $store64 (local.get $a) (local.get $at) (i64x2.add (call $load64 (local.get $a) (local.get $at)) (v128.const i64x2 1 2)))
            (i64.add (array.get $i64s (local.get $a) (local.get $at)) (array.get $i64s (local.get $a) (i32.add (local.get $at) (i32.const 1)))))
          (func (export "bumpf32") (param $n i32) (param $at i32) (result f32)
            (local $a (ref $f32s))
            (local.set $a (array.new $f32s (f32.const 0.5) (local.get $n)))
            (call $storef32 (local.get $a) (local.get $at) (f32x4.add (call $loadf32 (local.get $a) (local.get $at)) (v128.const f32x4 1 2 3 4)))
            (f32.add (array.get $f32s (local.get $a) (local.get $at)) (array.get $f32s (local.get $a) (i32.add (local.get $at) (i32.const 3)))))
          (func (export "bumpf64") (param $n i32) (param $at i32) (result f64)
            (local $a (ref $f64s))
            (local.set $a (array.new $f64s (f64.const 0.25) (local.get $n)))
            (call $storef64 (local.get $a) (local.get $at) (f64x2.add (call $loadf64 (local.get $a) (local.get $at)) (v128.const f64x2 1 2)))
            (f64.add (array.get $f64s (local.get $a) (local.get $at)) (array.get $f64s (local.get $a) (i32.add (local.get $at) (i32.const 1)))))
        )
        """;

    /// <summary>The kernel with the builtins, and the same bytes instantiated without them against the polyfill.</summary>
    internal static (Instance Builtins, Instance Polyfill) Both()
    {
        var store = new Store();
        var withBuiltins = WasmModule.FromText(Engine.Default, Kernel, Options).Instantiate(store, []);
        var polyfill = WasmModule.FromText(WasmModuleOptions.ArraySimdPolyfill, "weft-array-simd-polyfill.wat").Instantiate(store, []);
        var linker = new Linker();
        foreach (var name in new[] { "i8", "i16", "i32", "i64", "f32", "f64" })
        {
            foreach (var f in new[] { $"load_{name}", $"load_{name}_const", $"store_{name}" }) linker.Define("weft:array-simd", f, polyfill.GetExport(f)!);
        }
        var withPolyfill = linker.Instantiate(store, WasmModule.FromText(Kernel));
        return (withBuiltins, withPolyfill);
    }

    private static object NewBytes(Instance instance, byte[] bytes)
    {
        var array = (GcArray)instance.GetFunction<int, object>("new")!(bytes.Length);
        bytes.CopyTo(array.AsSpan<byte>());
        return array;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(65_537)]
    public void TheByteCountKernelAgreesWithThePolyfillAndWithCSharp(int length)
    {
        var (builtins, polyfill) = Both();
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        int expected = bytes.Count(b => b == 0x2A);
        Assert.Equal(expected, builtins.GetFunction<object?, int, int>("count")!(NewBytes(builtins, bytes), 0x2A));
        Assert.Equal(expected, polyfill.GetFunction<object?, int, int>("count")!(NewBytes(polyfill, bytes), 0x2A));
    }

    [Fact]
    public void StoresWriteTheArraysOwnStorage()
    {
        var (builtins, polyfill) = Both();
        var bytes = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        foreach (var instance in new[] { builtins, polyfill })
        {
            var array = (GcArray)NewBytes(instance, bytes);
            instance.GetAction<object?>("reverseBlocks")!(array);
            var expected = bytes[..16].Reverse().Concat(bytes[16..32].Reverse()).Concat(bytes[32..]).ToArray();
            Assert.Equal(expected, array.AsSpan<byte>().ToArray());
        }
    }

    [Theory]
    [InlineData(16, 0)]
    [InlineData(32, 16)]
    [InlineData(20, 4)]
    public void LoadAndStoreAtTheLastFittingIndex(int length, int index)
    {
        var (builtins, polyfill) = Both();
        var value = Vector128.Create((byte)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        foreach (var instance in new[] { builtins, polyfill })
        {
            var array = instance.GetFunction<int, object>("new")!(length);
            instance.GetAction<object?, int, Vector128<byte>>("store")!(array, index, value);
            Assert.Equal(value, instance.GetFunction<object?, int, Vector128<byte>>("load")!(array, index));
        }
    }

    [Theory]
    [InlineData(15, 0)]
    [InlineData(16, 1)]
    [InlineData(32, 17)]
    [InlineData(32, -1)]          // unsigned: 4294967295
    [InlineData(32, -16)]         // 4294967280 + 16 wraps in 32 bits, not in the check
    public void APartlyOutsideAccessTrapsBeforeWritingAnything(int length, int index)
    {
        var (builtins, polyfill) = Both();
        foreach (var instance in new[] { builtins, polyfill })
        {
            var array = (GcArray)instance.GetFunction<int, object>("new")!(length);
            var load = Assert.Throws<TrapException>(() => instance.GetFunction<object?, int, Vector128<byte>>("load")!(array, index));
            Assert.Equal(TrapKind.OutOfBoundsArrayAccess, load.Kind);
            Assert.Equal("out of bounds array access", load.Reason);
            var store = Assert.Throws<TrapException>(() => instance.GetAction<object?, int, Vector128<byte>>("store")!(array, index, Vector128<byte>.AllBitsSet));
            Assert.Equal(TrapKind.OutOfBoundsArrayAccess, store.Kind);
            Assert.All(array.AsSpan<byte>().ToArray(), b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void ANullArrayTrapsWithTheNullArrayTrap()
    {
        var (builtins, polyfill) = Both();
        foreach (var instance in new[] { builtins, polyfill })
        {
            Assert.Equal(TrapKind.NullArrayReference, Assert.Throws<TrapException>(() => instance.GetFunction<object?, int, Vector128<byte>>("load")!(null, 0)).Kind);
            Assert.Equal(TrapKind.NullArrayReference, Assert.Throws<TrapException>(() => instance.GetFunction<object?, int, int>("count")!(null, 0)).Kind);
        }
    }

    [Fact]
    public void WiderElementsAndImmutableArraysAgreeWithThePolyfill()
    {
        var (builtins, polyfill) = Both();
        foreach (var instance in new[] { builtins, polyfill })
        {
            Assert.Equal(8 + 15, instance.GetFunction<int, int, int>("bump16")!(10, 2));
            Assert.Equal(8 + 11, instance.GetFunction<int, int, int>("bump32")!(6, 2));
            Assert.Equal(8L + 9, instance.GetFunction<int, int, long>("bump64")!(3, 1));
            Assert.Equal(1.5f + 4.5f, instance.GetFunction<int, int, float>("bumpf32")!(4, 0));
            Assert.Equal(1.25 + 2.25, instance.GetFunction<int, int, double>("bumpf64")!(2, 0));
            Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => instance.GetFunction<int, int, int>("bump32")!(6, 3)).Kind);
            Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => instance.GetFunction<int, int, long>("bump64")!(3, 2)).Kind);
            var constant = instance.GetFunction<int, object>("newConst")!(20);
            // Lane 0 of the pairwise sums of pairwise sums: elements 2..5 of the 16 loaded.
            Assert.Equal(2 + 3 + 4 + 5, instance.GetFunction<object?, int, int>("sumConst")!(constant, 2));
            Assert.Equal(4 + 5 + 6 + 7, instance.GetFunction<object?, int, int>("sumConst")!(constant, 4));
            Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => instance.GetFunction<object?, int, int>("sumConst")!(constant, 5)).Kind);
        }
    }

    [Theory]
    [InlineData("load_i8", "(param (ref null $bytes) i32) (result v128)", true)]
    [InlineData("load_i8", "(param (ref $bytes) i32) (result v128)", true)]
    [InlineData("load_i8", "(param (ref null $sub) i32) (result v128)", true)]     // any array type of mutable i8
    [InlineData("load_i8", "(param (ref null $cbytes) i32) (result v128)", false)] // immutable: load_i8_const
    [InlineData("load_i8_const", "(param (ref null $cbytes) i32) (result v128)", true)]
    [InlineData("store_i8", "(param (ref null $cbytes) i32 v128)", false)]          // no stores to immutable arrays
    [InlineData("load_i8", "(param (ref null $shorts) i32) (result v128)", false)]
    [InlineData("load_i8", "(param arrayref i32) (result v128)", false)]
    [InlineData("load_i8", "(param (ref null $bytes) i64) (result v128)", false)]
    [InlineData("store_i8", "(param (ref null $bytes) i32 v128) (result i32)", false)]
    [InlineData("load_i16", "(param (ref null $shorts) i32) (result v128)", true)]
    public void ImportTypesAreCheckedStructurally(string name, string signature, bool accepted)
    {
        string text = $$"""
            (module
              (type $bytes (array (mut i8)))
              (type $cbytes (array i8))
              (type $shorts (array (mut i16)))
              (rec (type $sub (sub (array (mut i8)))) (type (struct)))
              (import "weft:array-simd" "{{name}}" (func {{signature}})))
            """;
        if (accepted) Assert.Empty(WasmModule.FromText(Engine.Default, text, Options).Imports);
        else Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, Options)).Reason);
    }
}
