using System.Diagnostics;
using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;
using static Weft.Tests.Validation.ModuleBuilder;

namespace Weft.Tests.Validation;

/// <summary>Valid modules validate, and the result describes them.</summary>
public class ValidatorTests
{
    private static readonly ValType[] None = [];

    private static ValType Ref(uint index, bool nullable) => ValType.Ref(HeapType.Concrete(index), nullable);

    [Fact]
    public void IndexSpacesPutImportsFirst()
    {
        var b = new ModuleBuilder();
        uint ft = b.FuncType([ValType.I32], [ValType.I32]);
        b.Import("f", new FuncImportType(ft))
            .Import("t", new TableType(ValType.FuncRef, new Limits(AddressType.I32, 1, null)))
            .Import("m", new MemoryType(new Limits(AddressType.I64, 1, null)))
            .Import("g", new GlobalType(ValType.I32, false))
            .Import("e", new TagType(b.FuncType([ValType.I64], [])));
        b.Function(ft, c => c.Op(Opcode.LocalGet, 0));
        b.Memory(1).Table(ValType.ExternRef, 0).Global(ValType.I64, true, I64(0)).Tag(1);
        var valid = Validator.Validate(b.Build());
        Assert.Equal(1, valid.ImportedFunctionCount);
        Assert.Equal(2, valid.Functions.Length);
        Assert.Same(valid.Functions[0], valid.Functions[1]);
        Assert.Same(valid.Types[0], valid.Functions[0]);
        Assert.Equal(AddressType.I64, valid.Memories[0].Limits.AddressType);
        Assert.Equal(AddressType.I32, valid.Memories[1].Limits.AddressType);
        Assert.Equal(ValType.ExternRef, valid.Tables[1].ElementType);
        Assert.True(valid.Globals[1].Mutable);
        Assert.Equal(2, valid.Tags.Length);
        Assert.Equal(1, valid.ImportedTagCount);
    }

    private static ConstExpr I64(long v) => Const(c => c.I64(v));

    [Fact]
    public void ControlFlowWithBlockParameters()
    {
        var b = new ModuleBuilder();
        uint pair = b.FuncType([ValType.I32], [ValType.I32, ValType.I32]);
        b.Function([ValType.I32], [ValType.I32], c => c
            .Op(Opcode.LocalGet, 0)
            .Block(BlockType.OfTypeIndex(pair))
            .Op(Opcode.LocalGet, 0)
            .End()
            .Op(Opcode.I32Add)
            .Block(Opcode.Loop, BlockType.OfTypeIndex(b.FuncType([ValType.I32], [ValType.I32])))
            .Op(Opcode.LocalTee, 0)
            .Op(Opcode.LocalGet, 0)
            .Op(Opcode.BrIf, 0)
            .End()
            .Op(Opcode.LocalGet, 0)
            .Block(Opcode.If, BlockType.OfTypeIndex(b.FuncType([ValType.I32], [ValType.I32])))
            .I32(1).Op(Opcode.I32Add)
            .End()
            .Block(ValType.I32).I32(7).I32(0).BrTable(0, 0, 1).End()
            .Op(Opcode.Drop));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void IfWithoutElsePassesParametersThrough()
    {
        var b = new ModuleBuilder();
        uint same = b.FuncType([ValType.I32], [ValType.I32]);
        b.Function(None, [ValType.I32], c => c.I32(1).I32(0).Block(Opcode.If, BlockType.OfTypeIndex(same)).End());
        Validator.Validate(b.Build());
        b = new ModuleBuilder();
        uint widen = b.FuncType([ValType.I32], [ValType.I64]);
        b.Function(None, [ValType.I64], c => c.I32(1).I32(0).Block(Opcode.If, BlockType.OfTypeIndex(widen)).Op(Opcode.I64ExtendI32S).End());
        ValidatorErrorTests.AssertInvalid("type mismatch", b.Build());
    }

    [Fact]
    public void UnreachableCodeIsPolymorphic()
    {
        var b = new ModuleBuilder();
        b.Function(None, [ValType.I32], c => c
            .Op(Opcode.Unreachable).Op(Opcode.I32Add)
            .Op(Opcode.Unreachable).Op(Opcode.Select)
            .Op(Opcode.Unreachable).Op(Opcode.RefAsNonNull).Op(Opcode.RefIsNull)
            .Op(Opcode.Unreachable).BrTable(0).Op(Opcode.Drop));
        b.Function(None, [ValType.I32], c => c.Op(Opcode.Unreachable).Op(Opcode.I32Add));
        b.Function(None, [ValType.I64], c => c.I64(0).Op(Opcode.Return).Op(Opcode.I64Add));
        b.Function(None, [ValType.F32], c => c.Block(ValType.F32).F32().Op(Opcode.Br, 0).Op(Opcode.Select).End());
        b.Function(None, None, c => c.Op(Opcode.Unreachable).Op(Opcode.Select).Op(Opcode.Drop));
        b.Function(None, None, c => c.Op(Opcode.Unreachable).BrTable(0, 0).Op(Opcode.Drop).Op(Opcode.Drop));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void NonNullableLocalsFollowInitialization()
    {
        var b = new ModuleBuilder();
        var nonNullFunc = ValType.Ref(HeapType.Func, false);
        b.Function(None, None, c => c
            .Op(Opcode.RefFunc, 0).Op(Opcode.LocalSet, 0)
            .Block(BlockType.Empty).Op(Opcode.LocalGet, 0).Op(Opcode.Drop).End()
            .Op(Opcode.LocalGet, 0).Op(Opcode.Drop), nonNullFunc);
        b.Declare(0);
        Validator.Validate(b.Build());
    }

    [Fact]
    public void NonNullableParametersAreInitialized()
    {
        var b = new ModuleBuilder();
        var nonNull = ValType.Ref(HeapType.Any, false);
        b.Function([nonNull], [nonNull], c => c.Op(Opcode.LocalGet, 0));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void ReferencesAndCasts()
    {
        var b = new ModuleBuilder();
        uint sup = b.Rec(new SubType(false, [], new StructType([new FieldType(StorageType.Of(ValType.I32), true)])));
        uint sub = b.Rec(new SubType(true, [sup], new StructType([new FieldType(StorageType.Of(ValType.I32), true), new FieldType(StorageType.I8, false)])));
        uint ft = b.FuncType([Ref(sup, true)], [ValType.I32]);
        b.Function(ft, c => c
            .Block(Ref(sub, false))
            .Op(Opcode.LocalGet, 0)
            .BrOnCast(Opcode.BrOnCast, 0, Ref(sup, true), Ref(sub, false))
            .Op(Opcode.Drop)
            .I32(0).Op(Opcode.Return)
            .End()
            .Op(Opcode.StructGetS, sub, 1));
        b.Function([ValType.AnyRef], [ValType.I32], c => c
            .Block(ValType.AnyRef)
            .Op(Opcode.LocalGet, 0)
            .BrOnCast(Opcode.BrOnCastFail, 0, ValType.AnyRef, ValType.Ref(HeapType.I31, false))
            .Op(Opcode.I31GetU)
            .Op(Opcode.Return)
            .End()
            .Heap(Opcode.RefTestNull, HeapType.Concrete(sub)));
        b.Function([ValType.AnyRef], [ValType.ExternRef], c => c.Op(Opcode.LocalGet, 0).Op(Opcode.ExternConvertAny));
        b.Function([ValType.FuncRef], [ValType.Ref(HeapType.Func, false)], c => c
            .Block(BlockType.Empty).Op(Opcode.LocalGet, 0).Op(Opcode.BrOnNull, 0).Op(Opcode.Return).End()
            .Op(Opcode.Unreachable));
        b.Function(None, [ValType.I32], c => c
            .Op(Opcode.StructNewDefault, sub).Heap(Opcode.RefNull, HeapType.None).Op(Opcode.RefEq));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void CallRefAndTailCalls()
    {
        var b = new ModuleBuilder();
        uint ft = b.FuncType([ValType.I32], [ValType.AnyRef]);
        uint narrow = b.FuncType([ValType.I32], [ValType.Ref(HeapType.I31, false)]);
        uint f = b.Function(narrow, c => c.Op(Opcode.LocalGet, 0).Op(Opcode.RefI31));
        b.Function(ft, c => c.Op(Opcode.LocalGet, 0).Op(Opcode.ReturnCall, f));
        b.Function(ft, c => c.Op(Opcode.LocalGet, 0).Op(Opcode.RefFunc, f).Op(Opcode.ReturnCallRef, narrow));
        b.Function(ft, c => c.Op(Opcode.LocalGet, 0).Op(Opcode.RefFunc, f).Op(Opcode.CallRef, narrow));
        b.Function(ft, c => c.Op(Opcode.LocalGet, 0).I64(0).Op(Opcode.ReturnCallIndirect, narrow, 0));
        b.Table(ValType.FuncRef, 1, address: AddressType.I64).Declare(f);
        Validator.Validate(b.Build());
    }

    [Fact]
    public void ExceptionHandling()
    {
        var b = new ModuleBuilder();
        uint payload = b.FuncType([ValType.I32, ValType.I64], []);
        b.Tag(payload);
        uint result = b.FuncType([], [ValType.I32, ValType.I64, ValType.ExnRef]);
        b.Function(None, None, c => c
            .Block(BlockType.OfTypeIndex(result))
            .TryTable(BlockType.Empty, new CatchClause(CatchKind.CatchRef, 0, 0), new CatchClause(CatchKind.CatchAll, 0, 1))
            .I32(1).I64(2).Op(Opcode.Throw, 0)
            .End()
            .Op(Opcode.Unreachable)
            .End()
            .Op(Opcode.ThrowRef));
        b.Function(None, [ValType.I32], c => c
            .Block(Opcode.Try, BlockType.Of(ValType.I32))
            .I32(0)
            .Op(Opcode.Catch, 0).Op(Opcode.Drop).Op(Opcode.Rethrow, 0)
            .Op(Opcode.CatchAll).Block(BlockType.Empty).Op(Opcode.Rethrow, 1).End().I32(1)
            .End());
        b.Function(None, None, c => c.Block(Opcode.Try, BlockType.Empty).Op(Opcode.Delegate, 0));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void SimdAndMemory64()
    {
        var b = new ModuleBuilder();
        b.Memory(1, address: AddressType.I64).Memory(1);
        b.Function(None, [ValType.I32], c => c
            .I64(0).MemArg(Opcode.V128Load, 4, offset: 1UL << 40)
            .I64(0).MemArg(Opcode.V128Load32Splat, 2)
            .Op(Opcode.I32x4Add)
            .V128().V128().Op(Opcode.F32x4RelaxedMadd)
            .I32(3).Op(Opcode.I8x16Shl)
            .Lane(Opcode.I32x4ExtractLane, 3)
            .I32(0).V128().MemArgLane(Opcode.V128Load16Lane, 1, 7, memory: 1)
            .Op(Opcode.I8x16Bitmask).Op(Opcode.I32Add)
            .I64(0).I32(0).MemArg(Opcode.I64Load32U, 2, memory: 1).MemArg(Opcode.I64Store, 3)
            .I64(0).I32(0).I32(1).Op(Opcode.MemoryCopy, 0, 1)
            .I32(1).Op(Opcode.MemoryGrow, 1).Op(Opcode.I32Add));
        Validator.Validate(b.Build());
    }

    [Fact]
    public void ConstantExpressionsOfWasm3()
    {
        var b = new ModuleBuilder();
        uint arr = b.Type(new ArrayType(new FieldType(StorageType.I8, false)));
        uint str = b.Type(new StructType([new FieldType(StorageType.Of(ValType.I32), false), new FieldType(StorageType.Of(Ref(arr, false)), false)]));
        b.Import("base", new GlobalType(ValType.I32, false));
        b.Global(ValType.I32, false, Const(c => c.Op(Opcode.GlobalGet, 0).I32(4).Op(Opcode.I32Mul).I32(1).Op(Opcode.I32Sub)));
        b.Global(ValType.I32, false, Const(c => c.Op(Opcode.GlobalGet, 1)));
        b.Global(Ref(str, false), false, Const(c => c.I32(1).I32(1).I32(2).Op(Opcode.ArrayNewFixed, arr, 2).Op(Opcode.StructNew, str)));
        b.Global(ValType.ExternRef, false, Const(c => c.I32(5).Op(Opcode.RefI31).Op(Opcode.ExternConvertAny)));
        b.Table(ValType.Ref(HeapType.Func, false), 1, init: Const(c => c.Op(Opcode.RefFunc, 0)));
        b.Function(None, None, c => c.Op(Opcode.RefFunc, 0).Op(Opcode.Drop));
        var valid = Validator.Validate(b.Build());
        Assert.True(valid.IsDeclared(0));
    }

    [Fact]
    public void EveryOpcodeIsHandled()
    {
        // Each opcode after `block unreachable`: the only acceptable failures are Weft's own exceptions (the body has
        // no final end, and some immediates do not fit), never an unhandled opcode.
        foreach (var info in OpcodeTable.All)
        {
            var b = new ModuleBuilder();
            b.FuncType([], []);
            b.Type(new StructType([new FieldType(StorageType.Of(ValType.I32), true)]));
            b.Type(new ArrayType(new FieldType(StorageType.Of(ValType.I32), true)));
            b.Memory(1).Table(ValType.FuncRef, 1).Global(ValType.I32, true, I32Const(0)).Tag(0).PassiveData().Declare(0);
            var writer = new WasmWriter();
            InstructionWriter.WriteOpcode(writer, Opcode.Block);
            writer.WriteByte(0x40);
            InstructionWriter.WriteOpcode(writer, Opcode.Unreachable);
            switch (info.Immediates)
            {
                case ImmediateKind.BrTable: InstructionWriter.WriteBrTable(writer, [0], 0); break;
                case ImmediateKind.SelectTypes: InstructionWriter.WriteSelectTyped(writer, [ValType.I32]); break;
                case ImmediateKind.TryTable: InstructionWriter.WriteTryTable(writer, BlockType.Empty, [new CatchClause(CatchKind.CatchAll, 0, 0)]); break;
                default:
                    var heap = info.Opcode == Opcode.RefNull ? HeapType.Func : HeapType.Concrete(1);
                    InstructionWriter.Write(writer, new Instruction { Opcode = info.Opcode, HeapType = heap, HeapType2 = HeapType.Concrete(1) });
                    break;
            }
            b.RawFunction(0, writer.ToArray());
            var ex = Record.Exception(() => Validator.Validate(b.Build()));
            Assert.True(ex is null or WeftException, $"{info.Name}: {ex}");
            if (ex is InvalidModuleException invalid)
            {
                Assert.DoesNotContain("does not handle", invalid.Reason);
            }
        }
    }
}
