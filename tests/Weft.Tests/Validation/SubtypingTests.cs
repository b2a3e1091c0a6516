using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Validation;

public class SubtypingTests
{
    private static HeapType H(HeapKind kind) => HeapType.Abstract(kind);

    public static TheoryData<HeapKind, HeapKind, bool> AbstractPairs()
    {
        var data = new TheoryData<HeapKind, HeapKind, bool>();
        var all = Enum.GetValues<HeapKind>().Where(k => k is not HeapKind.Concrete and not HeapKind.Bottom).ToArray();
        var subtypes = new HashSet<(HeapKind, HeapKind)>
        {
            (HeapKind.Eq, HeapKind.Any), (HeapKind.I31, HeapKind.Any), (HeapKind.Struct, HeapKind.Any), (HeapKind.Array, HeapKind.Any),
            (HeapKind.I31, HeapKind.Eq), (HeapKind.Struct, HeapKind.Eq), (HeapKind.Array, HeapKind.Eq),
            (HeapKind.None, HeapKind.Any), (HeapKind.None, HeapKind.Eq), (HeapKind.None, HeapKind.I31),
            (HeapKind.None, HeapKind.Struct), (HeapKind.None, HeapKind.Array),
            (HeapKind.NoFunc, HeapKind.Func), (HeapKind.NoExtern, HeapKind.Extern), (HeapKind.NoExn, HeapKind.Exn),
        };
        foreach (var a in all)
        {
            foreach (var b in all) data.Add(a, b, a == b || subtypes.Contains((a, b)));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AbstractPairs))]
    public void AbstractHeapTypes(HeapKind sub, HeapKind super, bool expected) =>
        Assert.Equal(expected, Subtyping.MatchesHeap(H(sub), H(super)));

    [Fact]
    public void BottomMatchesEverything()
    {
        foreach (var kind in Enum.GetValues<HeapKind>().Where(k => k != HeapKind.Concrete))
        {
            Assert.True(Subtyping.MatchesHeap(HeapType.Bottom, H(kind)));
        }
        foreach (var t in new[] { ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.AnyRef })
        {
            Assert.True(Subtyping.Matches(ValType.Bottom, t));
            Assert.False(Subtyping.Matches(t, ValType.Bottom));
        }
    }

    [Fact]
    public void NumbersMatchOnlyThemselves()
    {
        ValType[] types = [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef];
        foreach (var a in types)
        {
            foreach (var b in types) Assert.Equal(a == b, Subtyping.Matches(a, b));
        }
    }

    [Fact]
    public void Nullability()
    {
        var nonNull = ValType.Ref(HeapType.Func, nullable: false);
        Assert.True(Subtyping.Matches(nonNull, ValType.FuncRef));
        Assert.False(Subtyping.Matches(ValType.FuncRef, nonNull));
        Assert.True(Subtyping.Matches(ValType.Ref(HeapType.None, false), ValType.Ref(HeapType.I31, false)));
        Assert.False(Subtyping.Matches(ValType.NullRef, ValType.Ref(HeapType.I31, false)));
    }

    private static DefinedType[] Canonicalize(ModuleBuilder builder) => Engine.Default.Types.Canonicalize(builder.Build());

    [Fact]
    public void ConcreteTypesSitUnderTheirAbstractKind()
    {
        var b = new ModuleBuilder();
        b.Type(new FuncType([], []));
        b.Type(new StructType([]));
        b.Type(new ArrayType(new FieldType(StorageType.I8, true)));
        var types = Canonicalize(b);
        HeapType func = types[0].HeapType, str = types[1].HeapType, arr = types[2].HeapType;

        Assert.True(Subtyping.MatchesHeap(func, HeapType.Func));
        Assert.False(Subtyping.MatchesHeap(func, HeapType.Any));
        Assert.True(Subtyping.MatchesHeap(HeapType.NoFunc, func));
        Assert.False(Subtyping.MatchesHeap(HeapType.None, func));

        foreach (var (t, kind) in new[] { (str, HeapType.Struct), (arr, HeapType.Array) })
        {
            Assert.True(Subtyping.MatchesHeap(t, kind));
            Assert.True(Subtyping.MatchesHeap(t, HeapType.Eq));
            Assert.True(Subtyping.MatchesHeap(t, HeapType.Any));
            Assert.False(Subtyping.MatchesHeap(t, HeapType.Func));
            Assert.False(Subtyping.MatchesHeap(t, HeapType.I31));
            Assert.True(Subtyping.MatchesHeap(HeapType.None, t));
            Assert.False(Subtyping.MatchesHeap(HeapType.NoFunc, t));
            Assert.False(Subtyping.MatchesHeap(HeapType.Any, t));
        }
        Assert.False(Subtyping.MatchesHeap(str, HeapType.Array));
        Assert.False(Subtyping.MatchesHeap(arr, HeapType.Struct));
        Assert.False(Subtyping.MatchesHeap(str, arr));
    }

    [Fact]
    public void DeclaredSupertypeChains()
    {
        var b = new ModuleBuilder();
        uint a = b.Rec(new SubType(false, [], new StructType([])));
        uint bb = b.Rec(new SubType(false, [a], new StructType([new FieldType(StorageType.Of(ValType.I32), false)])));
        uint c = b.Rec(new SubType(true, [bb], new StructType([new FieldType(StorageType.Of(ValType.I32), false), new FieldType(StorageType.I8, true)])));
        uint d = b.Rec(new SubType(false, [a], new StructType([])));
        var types = Canonicalize(b);
        Assert.True(types[c].IsSubtypeOf(types[a]));
        Assert.True(types[c].IsSubtypeOf(types[bb]));
        Assert.False(types[a].IsSubtypeOf(types[c]));
        Assert.False(types[d].IsSubtypeOf(types[bb]));
        Assert.True(types[d].IsSubtypeOf(types[a]));
        Assert.Equal(2, types[c].Depth);
        // Structurally equal to a but declared separately with a supertype: a distinct type.
        Assert.NotSame(types[a], types[d]);
    }

    [Fact]
    public void DeepChainsBeyondTheDisplay()
    {
        var b = new ModuleBuilder();
        uint previous = b.Rec(new SubType(false, [], new StructType([])));
        for (int i = 0; i < 100; i++) previous = b.Rec(new SubType(false, [previous], new StructType([])));
        var types = Canonicalize(b);
        Assert.Equal(100, types[100].Depth);
        for (int i = 0; i <= 100; i++)
        {
            Assert.True(types[100].IsSubtypeOf(types[i]));
            Assert.Equal(i >= 70, types[i].IsSubtypeOf(types[70]));
        }
    }

    [Fact]
    public void FunctionTypesAreContravariantInParameters()
    {
        var b = new ModuleBuilder();
        uint a = b.Rec(new SubType(false, [], new FuncType([ValType.Ref(HeapType.Eq, false)], [ValType.AnyRef])));
        uint ok = b.Rec(new SubType(false, [a], new FuncType([ValType.AnyRef], [ValType.Ref(HeapType.I31, false)])));
        Canonicalize(b);
        var bad = new ModuleBuilder();
        uint a2 = bad.Rec(new SubType(false, [], new FuncType([ValType.Ref(HeapType.Eq, false)], [])));
        bad.Rec(new SubType(false, [a2], new FuncType([ValType.Ref(HeapType.I31, false)], [])));
        var ex = Assert.Throws<InvalidModuleException>(() => Canonicalize(bad));
        Assert.StartsWith("sub type", ex.Reason);
        _ = ok;
    }

    [Fact]
    public void LimitsAndExternTypes()
    {
        var l = new Limits(AddressType.I32, 2, 10);
        Assert.True(Subtyping.Matches(l, new Limits(AddressType.I32, 1, null)));
        Assert.True(Subtyping.Matches(l, new Limits(AddressType.I32, 2, 10)));
        Assert.False(Subtyping.Matches(l, new Limits(AddressType.I32, 3, null)));
        Assert.False(Subtyping.Matches(l, new Limits(AddressType.I32, 1, 9)));
        Assert.False(Subtyping.Matches(new Limits(AddressType.I32, 2, null), new Limits(AddressType.I32, 1, 9)));
        Assert.False(Subtyping.Matches(l, new Limits(AddressType.I64, 1, null)));

        Assert.True(Subtyping.Matches(new GlobalType(ValType.Ref(HeapType.I31, false), false), new GlobalType(ValType.AnyRef, false)));
        Assert.False(Subtyping.Matches(new GlobalType(ValType.Ref(HeapType.I31, false), true), new GlobalType(ValType.AnyRef, true)));
        Assert.False(Subtyping.Matches(new GlobalType(ValType.I32, true), new GlobalType(ValType.I32, false)));
        Assert.False(Subtyping.Matches(
            new TableType(ValType.Ref(HeapType.Func, false), l), new TableType(ValType.FuncRef, new Limits(AddressType.I32, 0, null))));
        Assert.True(Subtyping.Matches(new TableType(ValType.FuncRef, l), new TableType(ValType.FuncRef, new Limits(AddressType.I32, 0, null))));
    }
}
