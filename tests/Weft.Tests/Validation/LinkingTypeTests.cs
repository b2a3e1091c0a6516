using Weft.Syntax;
using Weft.Validation;
using static Weft.Tests.Validation.ModuleBuilder;

namespace Weft.Tests.Validation;

/// <summary>
/// Import matching across modules (spec 3.3.15 / 4.5.3 "external types"): each module's types are canonicalized on
/// their own, and the declared type of an import is compared with the provided entity's type directly.
/// </summary>
public class LinkingTypeTests
{
    private static ValidModule Exporter()
    {
        var b = new ModuleBuilder();
        uint s = b.Rec(new SubType(false, [], new FuncType([], [ValType.AnyRef])));
        uint t = b.Rec(new SubType(false, [s], new FuncType([], [ValType.EqRef])));
        b.Function(t, c => c.Heap(Opcode.RefNull, HeapType.None));
        b.Global(ValType.Ref(HeapType.Concrete(t), false), false, Const(c => c.Op(Opcode.RefFunc, 0)));
        b.Table(ValType.Ref(HeapType.Concrete(t), true), 1, 10);
        b.Tag(b.FuncType([ValType.I32], []));
        return Validator.Validate(b.Build());
    }

    private static ValidModule Importer(ExternType type, params SubType[][] groups)
    {
        var b = new ModuleBuilder();
        foreach (var group in groups) b.Rec(group);
        b.Import("x", type);
        return Validator.Validate(b.Build());
    }

    private static readonly SubType[] SuperGroup = [new SubType(false, [], new FuncType([], [ValType.AnyRef]))];
    private static readonly SubType[] SubGroup = [new SubType(false, [0], new FuncType([], [ValType.EqRef]))];

    [Fact]
    public void FunctionImportsMatchBySubtyping()
    {
        var provider = Exporter();
        var declaredSuper = Importer(new FuncImportType(0), SuperGroup);
        var declaredSub = Importer(new FuncImportType(1), SuperGroup, SubGroup);
        Assert.Equal(0, declaredSuper.IndexOfImport(0));
        Assert.True(Subtyping.MatchesFunc(provider.Functions[0], declaredSuper.Functions[declaredSuper.IndexOfImport(0)]));
        Assert.True(Subtyping.MatchesFunc(provider.Functions[0], declaredSub.Functions[0]));
        Assert.Same(provider.Functions[0], declaredSub.Functions[0]);
        Assert.False(Subtyping.MatchesFunc(declaredSuper.Functions[0], provider.Functions[0]));
    }

    [Fact]
    public void StructurallyEqualButSeparatelyDeclaredTypesDoNotMatch()
    {
        var provider = Exporter();
        // The same function type, but final and without the supertype: a different canonical type.
        var other = Importer(new FuncImportType(0), [SubType.Plain(new FuncType([], [ValType.EqRef]))]);
        Assert.False(Subtyping.MatchesFunc(provider.Functions[0], other.Functions[0]));
    }

    [Fact]
    public void GlobalTableAndTagImports()
    {
        var provider = Exporter();
        var global = Importer(new GlobalType(ValType.Ref(HeapType.Concrete(0), true), false), SuperGroup);
        Assert.True(Subtyping.Matches(provider.Globals[0], global.Globals[0]));
        var mutableGlobal = Importer(new GlobalType(ValType.Ref(HeapType.Concrete(0), true), true), SuperGroup);
        Assert.False(Subtyping.Matches(provider.Globals[0], mutableGlobal.Globals[0]));

        var table = Importer(new TableType(ValType.Ref(HeapType.Concrete(1), true), new Limits(AddressType.I32, 0, 20)), SuperGroup, SubGroup);
        Assert.True(Subtyping.Matches(provider.Tables[0], table.Tables[0]));
        var widerTable = Importer(new TableType(ValType.Ref(HeapType.Concrete(0), true), new Limits(AddressType.I32, 0, 20)), SuperGroup);
        Assert.False(Subtyping.Matches(provider.Tables[0], widerTable.Tables[0]));

        var tag = Importer(new TagType(0), [SubType.Plain(new FuncType([ValType.I32], []))]);
        Assert.True(Subtyping.MatchesTag(provider.Tags[0], tag.Tags[0]));
        var otherTag = Importer(new TagType(0), [SubType.Plain(new FuncType([ValType.I64], []))]);
        Assert.False(Subtyping.MatchesTag(provider.Tags[0], otherTag.Tags[0]));
    }
}
