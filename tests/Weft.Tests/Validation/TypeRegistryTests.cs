using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Validation;

public class TypeRegistryTests
{
    private static FieldType Field(ValType t, bool mutable = false) => new(StorageType.Of(t), mutable);

    private static ValType Ref(uint index, bool nullable = true) => ValType.Ref(HeapType.Concrete(index), nullable);

    [Fact]
    public void IdenticalGroupsFromDifferentModulesAreOneObject()
    {
        static DefinedType[] Make(int padding)
        {
            var b = new ModuleBuilder();
            // Different preceding types shift the module indices; canonical identity must not depend on them.
            for (int i = 0; i < padding; i++) b.FuncType([ValType.F64], []);
            uint first = (uint)padding;
            b.Rec(
                SubType.Plain(new StructType([Field(Ref(first + 1))])),
                SubType.Plain(new ArrayType(Field(Ref(first), mutable: true))));
            return Engine.Default.Types.Canonicalize(b.Build());
        }
        var one = Make(0);
        var two = Make(3);
        Assert.Same(one[0], two[3]);
        Assert.Same(one[1], two[4]);
        Assert.Same(one[0].Group, two[3].Group);
        Assert.Same(one[0], TypeRegistry.Get(one[0].Id));
    }

    [Fact]
    public void SameStructureInDifferentPositionsDiffers()
    {
        var b = new ModuleBuilder();
        // (rec (struct (ref 0)) (struct i32)) vs (rec (struct i32) (struct (ref 1))): member structure matches pairwise
        // only after swapping, and the group position is part of a type's identity.
        b.Rec(SubType.Plain(new StructType([Field(Ref(0))])), SubType.Plain(new StructType([Field(ValType.I32)])));
        b.Rec(SubType.Plain(new StructType([Field(ValType.I32)])), SubType.Plain(new StructType([Field(Ref(3))])));
        var types = Engine.Default.Types.Canonicalize(b.Build());
        Assert.NotSame(types[0], types[3]);
        Assert.NotSame(types[1], types[2]);
        Assert.Equal(0, types[0].IndexInGroup);
        Assert.Equal(1, types[3].IndexInGroup);
    }

    [Fact]
    public void RecursiveReferenceDiffersFromExternalReference()
    {
        var b = new ModuleBuilder();
        b.Type(new StructType([Field(Ref(0))]));      // type 0: refers to itself
        b.Type(new StructType([Field(Ref(0))]));      // type 1: refers to type 0 from outside
        b.Type(new StructType([Field(Ref(2))]));      // type 2: refers to itself, equal to type 0
        var types = Engine.Default.Types.Canonicalize(b.Build());
        Assert.NotSame(types[0], types[1]);
        Assert.Same(types[0], types[2]);
    }

    [Fact]
    public void SingletonAndExplicitRecOfOneAreEqual()
    {
        var b = new ModuleBuilder();
        b.Rec(SubType.Plain(new FuncType([ValType.I32], [])));
        var m = b.Build();
        var explicitRec = new Module { RecGroups = [new RecGroup([SubType.Plain(new FuncType([ValType.I32], []))], explicitRec: true)] };
        Assert.Same(Engine.Default.Types.Canonicalize(m)[0], Engine.Default.Types.Canonicalize(explicitRec)[0]);
    }

    [Fact]
    public void FinalityAndSupertypesArePartOfIdentity()
    {
        var b = new ModuleBuilder();
        b.Rec(new SubType(true, [], new StructType([])));
        b.Rec(new SubType(false, [], new StructType([])));
        b.Rec(new SubType(false, [1], new StructType([])));
        var types = Engine.Default.Types.Canonicalize(b.Build());
        Assert.NotSame(types[0], types[1]);
        Assert.NotSame(types[1], types[2]);
        Assert.Same(types[1], types[2].Supertype);
    }

    [Fact]
    public void CanonicalCompositesHoldIds()
    {
        var b = new ModuleBuilder();
        b.FuncType([], []);
        b.Type(new StructType([Field(Ref(0)), new FieldType(StorageType.I16, true)]));
        var types = Engine.Default.Types.Canonicalize(b.Build());
        var field = types[1].Fields[0].Storage.Type;
        Assert.Equal(types[0].Id, field.Heap.Index);
        Assert.Equal(ValType.I32, types[1].UnpackedFields[1]);
    }

    // Modules as objects: the syntax model is internal and test methods are public.
    public static TheoryData<string, object> InvalidGroups()
    {
        var data = new TheoryData<string, object>();
        var b = new ModuleBuilder();
        b.Type(new FuncType([Ref(1)], []));
        b.Type(new FuncType([], []));
        data.Add("unknown type 1", b.Build());

        b = new ModuleBuilder();
        b.Type(new FuncType([], []));
        b.Rec(new SubType(false, [0], new FuncType([], [])));
        data.Add("sub type 1 has final super type 0", b.Build());

        b = new ModuleBuilder();
        b.Rec(new SubType(false, [], new StructType([Field(ValType.I32)])));
        b.Rec(new SubType(false, [0], new StructType([Field(ValType.I64)])));
        data.Add("sub type 1 does not match super type 0", b.Build());

        b = new ModuleBuilder();
        b.Rec(new SubType(false, [], new ArrayType(Field(ValType.AnyRef, true))));
        b.Rec(new SubType(false, [0], new ArrayType(Field(ValType.EqRef, true))));
        data.Add("sub type 1 does not match super type 0", b.Build());

        b = new ModuleBuilder();
        b.Rec(new SubType(false, [1], new StructType([])), new SubType(false, [], new StructType([])));
        data.Add("forward use of type 1", b.Build());

        b = new ModuleBuilder();
        b.Rec(new SubType(false, [], new StructType([])));
        b.Rec(new SubType(false, [0], new FuncType([], [])));
        data.Add("sub type 1 does not match super type 0", b.Build());
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidGroups))]
    public void InvalidGroupsAreRejected(string reason, object syntax)
    {
        var module = (Module)syntax;
        var ex = Assert.Throws<InvalidModuleException>(() => Engine.Default.Types.Canonicalize(module));
        Assert.StartsWith(reason, ex.Reason);
        // A rejected group leaves nothing behind: validating it again fails the same way.
        ex = Assert.Throws<InvalidModuleException>(() => Engine.Default.Types.Canonicalize(module));
        Assert.StartsWith(reason, ex.Reason);
    }

    [Fact]
    public void SubtypeWithinOneGroupMayReferToLaterMembers()
    {
        var b = new ModuleBuilder();
        // (rec (type $a (sub (struct (field (ref null $a))))) (type $b (sub $a (struct (field (ref null $b))))))
        b.Rec(
            new SubType(false, [], new StructType([Field(Ref(0))])),
            new SubType(false, [0], new StructType([Field(Ref(1))])));
        var types = Engine.Default.Types.Canonicalize(b.Build());
        Assert.True(types[1].IsSubtypeOf(types[0]));
    }

    [Fact]
    public void ConcurrentCanonicalizationAgrees()
    {
        var results = new DefinedType[16];
        Parallel.For(0, results.Length, i =>
        {
            var b = new ModuleBuilder();
            b.Rec(SubType.Plain(new StructType([Field(ValType.F32), Field(Ref(1))])), SubType.Plain(new ArrayType(Field(ValType.V128))));
            results[i] = Engine.Default.Types.Canonicalize(b.Build())[0];
        });
        Assert.All(results, r => Assert.Same(results[0], r));
    }
}
