using System.Runtime.Intrinsics;

namespace Weft.Tests.Gc;

/// <summary>The host's view of GC objects: creating them, typed access to fields and elements, zero-copy spans.</summary>
public sealed class GcHostApiTests : IDisposable
{
    private readonly Store _store = new();
    private readonly Instance _shapes;

    public GcHostApiTests() => _shapes = GcTestModules.Instantiate(_store, GcTestModules.Shapes);

    public void Dispose() => _store.Dispose();

    private GcType Type(int index) => _shapes.Module.GetGcType(index);

    [Fact]
    public void HostCreatesStructsThatWasmReads()
    {
        var point = Type(0).NewStruct(7, 1.5);
        Assert.Equal(7, _shapes.CallI32("x", WasmValue.FromReference(point)));
        Assert.Equal(1.5, _shapes.Func("y").Invoke(WasmValue.FromReference(point))[0].AsDouble());
        Assert.Same(Type(0), point.Type);
        Assert.True(Type(0).IsStruct);
        Assert.False(Type(0).IsFinal);
        Assert.Equal(2, point.FieldCount);
    }

    [Fact]
    public void HostReadsAndWritesFieldsTyped()
    {
        var point3 = (GcStruct)_shapes.Call("point3", 1, 2.0, 3L)!;
        Assert.Equal(1, point3.GetInt32(0));
        Assert.Equal(2.0, point3.GetDouble(1));
        Assert.Equal(3L, point3.GetInt64(2));
        point3.SetInt32(0, 40);
        point3.SetInt64(2, -5);
        Assert.Equal(40, _shapes.CallI32("x", WasmValue.FromReference(point3)));
        Assert.Equal(-5L, point3[2].AsInt64());
    }

    [Fact]
    public void PackedFieldsReadZeroExtendedAndStoreLowBits()
    {
        var packed = (GcStruct)_shapes.Call("packed")!;
        packed.SetInt32(0, 0x1FF);
        packed.SetInt32(1, -2);
        Assert.Equal(0xFF, packed.GetInt32(0));
        Assert.Equal(0xFFFE, packed.GetInt32(1));
        Assert.Equal(-1, _shapes.CallI32("b_s", WasmValue.FromReference(packed)));
        Assert.Equal(-2, _shapes.CallI32("h_s", WasmValue.FromReference(packed)));
    }

    [Fact]
    public void WritesFollowWasmRules()
    {
        var point = Type(0).NewStruct(1, 2.0);
        Assert.Throws<InvalidOperationException>(() => point.SetDouble(1, 3.0));     // immutable field
        Assert.Throws<ArgumentException>(() => point.SetInt64(0, 1));               // wrong kind
        Assert.Throws<ArgumentOutOfRangeException>(() => point.GetInt32(2));

        var packed = (GcStruct)_shapes.Call("packed")!;
        packed.SetReference(2, point);                                             // a $point is fine
        packed.SetReference(2, null);
        Assert.Throws<ArgumentException>(() => packed.SetReference(2, "not a struct"));
        Assert.Throws<ArgumentException>(() => packed.SetReference(2, Type(4).NewArray(1)));
        Assert.Throws<ArgumentException>(() => Type(0).NewStruct(1));               // too few values
        Assert.Throws<InvalidOperationException>(() => Type(4).NewStruct());        // not a struct type

        var frozen = (GcArray)_shapes.Call("frozen")!;
        Assert.False(frozen.IsMutable);
        Assert.Throws<InvalidOperationException>(() => frozen.AsSpan<byte>());
        Assert.Throws<InvalidOperationException>(() => frozen.SetInt32(0, 1));
        Assert.Equal([1, 2, 3], frozen.AsReadOnlySpan<byte>().ToArray());
    }

    [Fact]
    public void SpanOverAnI8ArrayIsTheArrayItself()
    {
        var bytes = (GcArray)_shapes.Call("bytes", 16)!;
        Span<byte> span = bytes.AsSpan<byte>();
        Assert.Equal(16, span.Length);

        span[3] = 0xAB;                                                             // host writes, wasm reads
        Assert.Equal(0xAB, _shapes.CallI32("get_u8", WasmValue.FromReference(bytes), 3));

        _shapes.Func("set_u8").Invoke(WasmValue.FromReference(bytes), 5, 0x1CD);    // wasm writes, the same span sees it
        Assert.Equal(0xCD, span[5]);
    }

    [Fact]
    public void SpansViewNumericArraysInTheirOwnOrSmallerTypes()
    {
        var ints = (GcArray)_shapes.Call("ints")!;
        Assert.Equal([7, 7, 7], ints.AsSpan<int>().ToArray());
        ints.AsSpan<byte>()[0] = 1;                                                 // little-endian bytes of element 0
        Assert.Equal(1 + 7 + 7, _shapes.CallI32("sum_ints", WasmValue.FromReference(ints)));
        Assert.Equal(12, ints.AsSpan<byte>().Length);
        Assert.Throws<ArgumentException>(() => ints.AsSpan<long>());

        var shorts = (GcArray)_shapes.Call("shorts")!;
        Assert.Equal([(short)-1, (short)2], shorts.AsSpan<short>().ToArray());
        Assert.Equal(0xFFFF, shorts.GetInt32(0));

        var points = (GcArray)_shapes.Call("points")!;
        Assert.Throws<InvalidOperationException>(() => points.AsSpan<byte>());
        var point = Type(0).NewStruct(1, 1.0);
        points.SetReference(1, point);
        Assert.Same(point, points.GetReference(1));
        Assert.Throws<ArgumentException>(() => points.SetReference(0, I31Ref.Create(1)));
    }

    [Fact]
    public void HostCreatesArrays()
    {
        var ints = Type(5).NewArrayFrom<int>([1, 2, 3, 4]);
        Assert.Equal(10, _shapes.CallI32("sum_ints", WasmValue.FromReference(ints)));
        Assert.Equal(5, Type(5).NewArray(5, 1).AsSpan<int>().ToArray().Sum());
        Assert.Equal(6, _shapes.CallI32("sum_ints", WasmValue.FromReference(Type(5).NewArrayFrom(1, 2, 3))));
        Assert.Equal(2, Type(5).NewArrayFrom<byte>([1, 0, 0, 0, 2, 0, 0, 0]).Length);
        Assert.Throws<ArgumentException>(() => Type(5).NewArrayFrom<byte>([1, 2, 3]));
        Assert.Equal(3, Type(3).NewArrayFrom("abc"u8).Length);

        var vectors = Type(9).NewArray(2);
        vectors.SetVector(1, Vector128.Create((byte)9));
        Assert.Equal(Vector128.Create((byte)9), vectors.AsSpan<Vector128<byte>>()[1]);
        Assert.Throws<InvalidOperationException>(() => Type(0).NewArray(1));
    }

    [Fact]
    public void I31ValuesTravelBothWays()
    {
        Assert.Equal(-5, _shapes.CallI32("i31_s", WasmValue.FromReference(I31Ref.Create(-5))));
        var back = (I31Ref)_shapes.Call("i31", 0x4000_0001)!;
        Assert.Equal(-0x3FFF_FFFF, back.Value);
        Assert.Equal(0x4000_0001, back.UnsignedValue);
    }

    [Fact]
    public void AnyDotNetObjectGoesInAndOutAsExternref()
    {
        var host = new List<string> { "kept as is" };
        var module = """
            (module
              (global $g (export "g") (mut externref) (ref.null extern))
              (func (export "keep") (param externref) (global.set $g (local.get 0)))
              (func (export "give") (result externref) (global.get $g)))
            """;
        var instance = GcTestModules.Instantiate(_store, module);
        instance.Func("keep").Invoke(WasmValue.FromReference(host));
        Assert.Same(host, instance.Call("give"));
        Assert.Same(host, instance.GetGlobal("g")!.Value.AsReference());
    }
}
