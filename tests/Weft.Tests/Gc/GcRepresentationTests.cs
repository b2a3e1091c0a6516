using System.Reflection;
using System.Runtime.Intrinsics;

namespace Weft.Tests.Gc;

/// <summary>How GC objects are represented: struct classes with typed fields, typed .NET arrays, canonical types.</summary>
public sealed class GcRepresentationTests : IDisposable
{
    private readonly Store _store = new();
    private readonly Instance _shapes;

    public GcRepresentationTests() => _shapes = GcTestModules.Instantiate(_store, GcTestModules.Shapes);

    public void Dispose() => _store.Dispose();

    private static FieldInfo[] DataFields(object o) => o.GetType()
        .GetFields(BindingFlags.Public | BindingFlags.Instance)
        .Where(f => f.DeclaringType != typeof(GcObject) && f.DeclaringType != typeof(GcStruct))
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void StructTypesBecomeClassesWithTypedFields()
    {
        var point = Assert.IsAssignableFrom<GcStruct>(_shapes.Call("point", 1, 2.5));
        Assert.Equal([typeof(int), typeof(double)], DataFields(point).Select(f => f.FieldType));

        var packed = Assert.IsAssignableFrom<GcStruct>(_shapes.Call("packed"));
        Assert.Equal([typeof(byte), typeof(short), typeof(object)], DataFields(packed).Select(f => f.FieldType));
    }

    [Fact]
    public void SubtypeClassesDeriveFromTheirSupertypeClassAndFinalOnesAreSealed()
    {
        var point = (GcStruct)_shapes.Call("point", 1, 2.0)!;
        var point3 = (GcStruct)_shapes.Call("point3", 1, 2.0, 3L)!;
        Assert.Equal(point.GetType(), point3.GetType().BaseType);
        Assert.True(point3.GetType().IsSealed);
        Assert.False(point.GetType().IsSealed);
        Assert.Equal([typeof(int), typeof(double), typeof(long)], DataFields(point3).Select(f => f.FieldType));
        // struct.get $point on a $point3 reads the inherited field.
        Assert.Equal(1, _shapes.CallI32("x", WasmValue.FromReference(point3)));
    }

    [Fact]
    public void NumericArraysAreBackedByTypedDotNetArrays()
    {
        Assert.Equal(typeof(byte), ((GcArray)_shapes.Call("bytes", 4)!).ElementType);
        Assert.Equal(typeof(short), ((GcArray)_shapes.Call("shorts")!).ElementType);
        Assert.Equal(typeof(int), ((GcArray)_shapes.Call("ints")!).ElementType);
        Assert.Equal(typeof(long), ((GcArray)_shapes.Call("longs")!).ElementType);
        Assert.Equal(typeof(float), ((GcArray)_shapes.Call("floats")!).ElementType);
        Assert.Equal(typeof(double), ((GcArray)_shapes.Call("doubles")!).ElementType);
        Assert.Equal(typeof(Vector128<byte>), ((GcArray)_shapes.Call("vectors")!).ElementType);
        Assert.Equal(typeof(object), ((GcArray)_shapes.Call("points")!).ElementType);
    }

    [Fact]
    public void SmallI31ValuesDoNotAllocate()
    {
        Assert.Same(I31Ref.Create(5), I31Ref.Create(5));
        Assert.Same(_shapes.Call("i31", 100), _shapes.Call("i31", 100));
        Assert.Equal(I31Ref.Create(1 << 20), I31Ref.Create(1 << 20));
        Assert.Equal(-1, I31Ref.Create(int.MaxValue).Value);
        Assert.Equal(0x7FFF_FFFF, I31Ref.Create(-1).UnsignedValue);
    }

    [Fact]
    public void TypesAreCanonicalAcrossModulesSoCastsWorkBetweenThem()
    {
        const string other = """
            (module
              (type $point (sub (struct (field $x (mut i32)) (field $y f64))))
              (func (export "make") (result anyref) (struct.new $point (i32.const 9) (f64.const 0)))
              (func (export "x") (param anyref) (result i32) (struct.get $point 0 (ref.cast (ref $point) (local.get 0)))))
            """;
        var second = GcTestModules.Instantiate(_store, other);
        var fromSecond = (GcStruct)second.Call("make")!;
        var fromFirst = (GcStruct)_shapes.Call("point3", 4, 0.0, 0L)!;

        Assert.Same(_shapes.Module.GetGcType(0), second.Module.GetGcType(0));
        Assert.Same(fromFirst.Type.Supertype, fromSecond.Type);
        Assert.Equal(1, _shapes.CallI32("is_point", WasmValue.FromReference(fromSecond)));
        Assert.Equal(4, second.CallI32("x", WasmValue.FromReference(fromFirst)));
        Assert.Equal(0, _shapes.CallI32("is_point3", WasmValue.FromReference(fromSecond)));
    }

    [Fact]
    public void WideStructsWork()
    {
        // Past 256 fields struct.new stores the fields one by one (RyuJIT rejects constructors with thousands of parameters).
        const int Fields = 1000;
        var text = new System.Text.StringBuilder("(module (type $s (struct");
        for (int i = 0; i < Fields; i++) text.Append(i % 2 == 0 ? " (field (mut i8))" : " (field i64)");
        text.Append(")) (func (export \"make\") (result (ref $s)) (struct.new $s");
        for (int i = 0; i < Fields; i++) text.Append(i % 2 == 0 ? $" (i32.const {i + 256})" : $" (i64.const {i})");
        text.Append(")) (func (export \"get\") (param (ref $s)) (result i32) (struct.get_u $s 998 (local.get 0))))");
        var wide = GcTestModules.Instantiate(_store, text.ToString());
        var instance = (GcStruct)wide.Call("make")!;
        Assert.Equal(Fields, instance.FieldCount);
        Assert.Equal((998 + 256) & 0xFF, wide.CallI32("get", WasmValue.FromReference(instance)));
        Assert.Equal(999L, instance.GetInt64(999));
        Assert.Equal(0, instance.GetInt32(0));
    }

    [Fact]
    public void ExternalizingKeepsTheObjectItself()
    {
        var host = new Uri("https://example.org/");
        var inside = _shapes.Call("internalize", WasmValue.FromReference(host));
        Assert.Same(host, inside);
        Assert.Equal(0, _shapes.CallI32("is_eq", WasmValue.FromReference(inside)));
        var point = _shapes.Call("point", 1, 1.0);
        Assert.Same(point, _shapes.Call("externalize", WasmValue.FromReference(point)));
    }
}
