namespace Weft.Tests.Gc;

/// <summary>
/// The steady-state changes of issue 16 (docs/RATIONALE.md "GC steady state: allocation, i31, casts, small
/// functions"): i31 values from the inlined, lazily filled cache; struct objects that do not store their type; casts
/// whose isinst result is the value; small functions (marked for inlining under WEFT_INLINE_BODY_BYTES, which these
/// tests were also run with) that recurse or call through call_ref.
/// </summary>
public sealed class GcSteadyStateTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    private const string I31Module = """
        (module
          (func (export "box") (param i32) (result (ref i31)) (ref.i31 (local.get 0)))
          (func (export "get_s") (param (ref null i31)) (result i32) (i31.get_s (local.get 0)))
          (func (export "get_u") (param (ref null i31)) (result i32) (i31.get_u (local.get 0)))
          (func (export "roundtrip_s") (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
          (func (export "eq") (param i32 i32) (result i32) (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
          (func (export "eq_refs") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1)))
          (func (export "is_i31") (param anyref) (result i32) (ref.test (ref i31) (local.get 0)))
          (func (export "cast_i31") (param anyref) (result i32) (i31.get_s (ref.cast (ref i31) (local.get 0))))
          (func (export "cast_null_i31") (param anyref) (result i32) (ref.is_null (ref.cast (ref null i31) (local.get 0))))
          (func (export "extern_roundtrip") (param i32) (result i32)
            (i31.get_s (ref.cast (ref i31) (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
          (func (export "externalize") (param i32) (result externref) (extern.convert_any (ref.i31 (local.get 0)))))
        """;

    // The 31-bit edges, the cache's edges on both sides, and values that wrap (bit 31 dropped).
    public static TheoryData<int, int> I31Values => new()
    {
        { 0, 0 }, { 1, 1 }, { -1, -1 },
        { -1024, -1024 }, { -1025, -1025 }, { 65535, 65535 }, { 65536, 65536 },
        { (1 << 30) - 1, (1 << 30) - 1 }, { -(1 << 30), -(1 << 30) },
        { 1 << 30, -(1 << 30) }, { int.MaxValue, -1 }, { int.MinValue, 0 }, { unchecked((int)0xBFFF_FFFF), (1 << 30) - 1 },
    };

    [Theory]
    [MemberData(nameof(I31Values))]
    public void I31ValuesRoundTripExactlyThroughWasmAndTheHost(int input, int signed)
    {
        var instance = GcTestModules.Instantiate(_store, I31Module);
        Assert.Equal(signed, instance.CallI32("roundtrip_s", input));
        var boxed = Assert.IsType<I31Ref>(instance.Call("box", input));
        Assert.Equal(signed, boxed.Value);
        Assert.Equal(signed & 0x7FFF_FFFF, boxed.UnsignedValue);
        Assert.Equal(I31Ref.Create(input), boxed);
        Assert.Equal(signed, instance.CallI32("get_s", WasmValue.FromReference(I31Ref.Create(input))));
        Assert.Equal(signed & 0x7FFF_FFFF, instance.CallI32("get_u", WasmValue.FromReference(I31Ref.Create(input))));
        Assert.Equal(signed, instance.CallI32("extern_roundtrip", input));
        Assert.Equal(signed, Assert.IsType<I31Ref>(instance.Call("externalize", input)).Value);
        Assert.Equal(signed, instance.CallI32("cast_i31", WasmValue.FromReference(boxed)));
        Assert.Equal(1, instance.CallI32("is_i31", WasmValue.FromReference(boxed)));
    }

    [Fact]
    public void RefEqOnI31ComparesValuesWhetherOrNotTheyCameFromTheCache()
    {
        var instance = GcTestModules.Instantiate(_store, I31Module);
        foreach (int v in new[] { 5, -1024, 65535, 65536, -1025, (1 << 30) - 1, -(1 << 30) })
        {
            Assert.Equal(1, instance.CallI32("eq", v, v));
            Assert.Equal(0, instance.CallI32("eq", v, v + 1));
            // Two objects the host made (uncached values are distinct objects) are still ref.eq.
            Assert.Equal(1, instance.CallI32("eq_refs", WasmValue.FromReference(I31Ref.Create(v)), WasmValue.FromReference(instance.Call("box", v))));
        }
        // 2^31 wraps to 0 and -2^30 equals 2^30 after wrapping.
        Assert.Equal(1, instance.CallI32("eq", int.MinValue, 0));
        Assert.Equal(1, instance.CallI32("eq", 1 << 30, -(1 << 30)));
        Assert.Same(I31Ref.Create(65535), I31Ref.Create(65535));
        Assert.Same(I31Ref.Create(-1024), I31Ref.Create(-1024));
    }

    [Fact]
    public void I31CastsFailOnOtherValuesAndNull()
    {
        var instance = GcTestModules.Instantiate(_store, GcTestModules.Shapes);
        var point = instance.Call("point", 1, 2.0);
        var i31 = GcTestModules.Instantiate(_store, I31Module);
        Assert.Equal(0, i31.CallI32("is_i31", WasmValue.FromReference(point)));
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => i31.Call("cast_i31", WasmValue.FromReference(point))).Kind);
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => i31.Call("cast_i31", WasmValue.FromReference(null))).Kind);
        Assert.Equal(1, i31.CallI32("cast_null_i31", WasmValue.FromReference(null)));
        Assert.Equal(0, i31.CallI32("cast_null_i31", WasmValue.FromReference(I31Ref.Create(70000))));
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => i31.Call("cast_null_i31", WasmValue.FromReference(point))).Kind);
        Assert.Equal(TrapKind.NullI31Reference, Assert.Throws<TrapException>(() => i31.Call("get_s", WasmValue.FromReference(null))).Kind);
    }

    private const string Hierarchy = """
        (module
          (type $a (sub (struct (field i32))))
          (type $b (sub $a (struct (field i32) (field i64))))
          (type $c (sub final $b (struct (field i32) (field i64) (field f32))))
          (type $other (sub final (struct (field i32))))
          (type $arr (array i8))
          (func (export "a") (result anyref) (struct.new $a (i32.const 1)))
          (func (export "b") (result anyref) (struct.new $b (i32.const 2) (i64.const 20)))
          (func (export "c") (result anyref) (struct.new $c (i32.const 3) (i64.const 30) (f32.const 3.5)))
          (func (export "c_default") (result anyref) (struct.new_default $c))
          (func (export "other") (result anyref) (struct.new $other (i32.const 4)))
          (func (export "arr") (result anyref) (array.new_default $arr (i32.const 3)))
          (func (export "as_a") (param anyref) (result i32) (struct.get $a 0 (ref.cast (ref $a) (local.get 0))))
          (func (export "as_b") (param anyref) (result i64) (struct.get $b 1 (ref.cast (ref $b) (local.get 0))))
          (func (export "as_c") (param anyref) (result f32) (struct.get $c 2 (ref.cast (ref $c) (local.get 0))))
          (func (export "as_null_b") (param anyref) (result i32) (ref.is_null (ref.cast (ref null $b) (local.get 0))))
          (func (export "as_null_c") (param anyref) (result i32) (ref.is_null (ref.cast (ref null $c) (local.get 0))))
          (func (export "as_struct") (param anyref) (result i32) (ref.is_null (ref.cast (ref null struct) (local.get 0))))
          (func (export "as_array") (param anyref) (result i32) (array.len (ref.cast (ref array) (local.get 0)))))
        """;

    [Fact]
    public void StructsKnowTheirExactTypeWithoutStoringIt()
    {
        var instance = GcTestModules.Instantiate(_store, Hierarchy);
        var module = instance.Module;
        var a = Assert.IsAssignableFrom<GcStruct>(instance.Call("a"));
        var b = Assert.IsAssignableFrom<GcStruct>(instance.Call("b"));
        var c = Assert.IsAssignableFrom<GcStruct>(instance.Call("c"));
        Assert.Same(module.GetGcType(0), a.Type);
        Assert.Same(module.GetGcType(1), b.Type);
        Assert.Same(module.GetGcType(2), c.Type);
        Assert.Same(module.GetGcType(2), ((GcStruct)instance.Call("c_default")!).Type);
        Assert.Same(module.GetGcType(2), module.GetGcType(2).NewStruct(1, 2L, 0.5f).Type);
        Assert.Same(module.GetGcType(4), ((GcArray)instance.Call("arr")!).Type);
        // The host's type tests walk the supertypes from the exact type.
        Assert.True(module.GetGcType(0).IsInstance(c));
        Assert.True(module.GetGcType(1).IsInstance(c));
        Assert.False(module.GetGcType(2).IsInstance(b));
        Assert.False(module.GetGcType(3).IsInstance(a));
        Assert.Equal(3.5f, c.GetSingle(2));
        Assert.Equal(3, c.FieldCount);
        // No field of the struct's classes but its wasm fields (the type is the class's, not the object's).
        Assert.Equal(3, c.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic).Length);
    }

    [Fact]
    public void StructCastsAcceptSubtypesAndRejectOthers()
    {
        var instance = GcTestModules.Instantiate(_store, Hierarchy);
        WasmValue Of(string name) => WasmValue.FromReference(instance.Call(name));
        Assert.Equal(1, instance.CallI32("as_a", Of("a")));
        Assert.Equal(2, instance.CallI32("as_a", Of("b")));
        Assert.Equal(3, instance.CallI32("as_a", Of("c")));
        Assert.Equal(20L, instance.Func("as_b").Invoke(Of("b"))[0].AsInt64());
        Assert.Equal(30L, instance.Func("as_b").Invoke(Of("c"))[0].AsInt64());
        Assert.Equal(3.5f, instance.Func("as_c").Invoke(Of("c"))[0].AsSingle());
        foreach (var (func, value) in new[] { ("as_b", "a"), ("as_c", "b"), ("as_a", "other"), ("as_a", "arr"), ("as_c", "other") })
        {
            Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call(func, Of(value))).Kind);
        }
        foreach (var func in new[] { "as_a", "as_b", "as_c", "as_array" })
        {
            Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call(func, WasmValue.FromReference(null))).Kind);
        }
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call("as_a", WasmValue.FromReference(I31Ref.Create(1)))).Kind);
        Assert.Equal(1, instance.CallI32("as_null_b", WasmValue.FromReference(null)));
        Assert.Equal(0, instance.CallI32("as_null_b", Of("c")));
        Assert.Equal(1, instance.CallI32("as_null_c", WasmValue.FromReference(null)));
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call("as_null_c", Of("b"))).Kind);
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call("as_null_b", Of("other"))).Kind);
        Assert.Equal(0, instance.CallI32("as_struct", Of("other")));
        Assert.Equal(1, instance.CallI32("as_struct", WasmValue.FromReference(null)));
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call("as_struct", Of("arr"))).Kind);
        Assert.Equal(3, instance.CallI32("as_array", Of("arr")));
        Assert.Equal(TrapKind.CastFailure, Assert.Throws<TrapException>(() => instance.Call("as_array", Of("a"))).Kind);
    }

    // Small functions (AggressiveInlining under WEFT_INLINE_BODY_BYTES=64): mutual recursion of two tiny functions, and a tiny function
    // called through call_ref whose target changes between calls, including null and another instance's function.
    private const string SmallFunctions = """
        (module
          (type $fn (func (param i32) (result i32)))
          (elem declare func $inc $dbl)
          (func $ping (param i32) (result i32) (call $pong (i32.add (local.get 0) (i32.const 1))))
          (func $pong (param i32) (result i32) (call $ping (local.get 0)))
          (func (export "recurse") (param i32) (result i32) (call $ping (local.get 0)))
          (func $inc (type $fn) (i32.add (local.get 0) (i32.const 1)))
          (func $dbl (type $fn) (i32.mul (local.get 0) (i32.const 2)))
          (func $apply (param (ref null $fn)) (param i32) (result i32) (call_ref $fn (local.get 1) (local.get 0)))
          (func (export "pick") (param i32) (result (ref $fn))
            (select (result (ref $fn)) (ref.func $inc) (ref.func $dbl) (local.get 0)))
          (func (export "apply") (param (ref null $fn)) (param i32) (result i32) (call $apply (local.get 0) (local.get 1)))
          (func (export "mixed") (param $n i32) (result i32)
            (local $acc i32) (local $i i32)
            (loop $l
              (local.set $acc (call $apply
                (select (result (ref $fn)) (ref.func $inc) (ref.func $dbl) (i32.and (local.get $i) (i32.const 1)))
                (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc)))
        """;

    [Fact]
    public void TinyMutuallyRecursiveFunctionsExhaustTheStackWithATrap()
    {
        var instance = GcTestModules.Instantiate(_store, SmallFunctions);
        Assert.Equal(TrapKind.CallStackExhausted, Assert.Throws<TrapException>(() => instance.Call("recurse", 0)).Kind);
        // The store stays usable.
        Assert.Equal(8, instance.CallI32("apply", WasmValue.FromReference(instance.Call("pick", 0)), 4));
    }

    [Fact]
    public void CallRefThroughATinyFunctionFollowsTheTargetNullAndOtherInstances()
    {
        var instance = GcTestModules.Instantiate(_store, SmallFunctions);
        var other = GcTestModules.Instantiate(_store, SmallFunctions);
        var inc = WasmValue.FromReference(instance.Call("pick", 1));
        var dbl = WasmValue.FromReference(other.Call("pick", 0));
        Assert.Equal(5, instance.CallI32("apply", inc, 4));
        Assert.Equal(8, instance.CallI32("apply", dbl, 4));
        Assert.Equal(5, instance.CallI32("apply", inc, 4));
        Assert.Equal(TrapKind.NullFunctionReference, Assert.Throws<TrapException>(() => instance.Call("apply", WasmValue.FromReference(null), 4)).Kind);
        // Even steps double, odd ones add one: 0, 1, 2, 3, 6, 7.
        Assert.Equal(7, instance.CallI32("mixed", 6));
    }
}
