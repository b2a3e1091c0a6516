using Weft.Syntax;
using Weft.Validation;
using static Weft.Tests.Validation.ModuleBuilder;

namespace Weft.Tests.Validation;

/// <summary>Each error message of the validator, produced by a small module.</summary>
public class ValidatorErrorTests
{
    private static readonly ValType[] None = [];

    internal static void AssertInvalid(string reason, Module module)
    {
        var ex = Assert.Throws<InvalidModuleException>(() => Validator.Validate(module));
        Assert.StartsWith(reason, ex.Reason);
    }

    private static Module Body(Action<Code> body, ValType[]? results = null, ValType[]? locals = null, Action<ModuleBuilder>? setup = null)
    {
        var b = new ModuleBuilder();
        setup?.Invoke(b);
        b.Function(None, results ?? None, body, locals ?? None);
        return b.Build();
    }

    // Modules as objects: the syntax model is internal and test methods are public.
    public static TheoryData<string, Func<object>> Cases() => new()
    {
        // Operand stack
        { "type mismatch: instruction requires [i32 i32] but stack has [i64 i32]", () => Body(c => c.I64(1).I32(2).Op(Opcode.I32Add).Op(Opcode.Drop)) },
        { "type mismatch: instruction requires [i32] but stack has []", () => Body(c => { }, [ValType.I32]) },
        { "type mismatch: block requires [] but stack has [i32]", () => Body(c => c.I32(1)) },
        { "type mismatch", () => Body(c => c.Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.Op(Opcode.Unreachable).I32(0).Op(Opcode.I64Add).Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.Block(ValType.I32).I64(0).End().Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.I32(1).Block(Opcode.If, BlockType.Of(ValType.I32)).I32(1).End().Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.I32(0).Block(Opcode.Block, BlockType.Empty).Op(Opcode.Drop).End().Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.F32().F32().I32(0).Op(Opcode.Select).Op(Opcode.I32Eqz).Op(Opcode.Drop)) },
        { "type mismatch: instruction requires numeric or vector type", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Func).Heap(Opcode.RefNull, HeapType.Func).I32(0).Op(Opcode.Select).Op(Opcode.Drop)) },
        { "invalid result arity", () => Body(c => c.I32(0).I32(0).I32(0).SelectTyped(ValType.I32, ValType.I32).Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.I32(0).F32().I32(0).Op(Opcode.Select).Op(Opcode.Drop)) },

        // Labels and branches
        { "unknown label 1", () => Body(c => c.Op(Opcode.Br, 1)) },
        { "unknown label 2", () => Body(c => c.I32(0).BrTable(0, 2)) },
        { "type mismatch", () => Body(c => c.Block(ValType.I32).Block(BlockType.Empty).I32(0).I32(0).BrTable(0, 1).End().I32(0).End().Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.Block(ValType.I32).I64(0).I32(0).Op(Opcode.BrIf, 0).End().Op(Opcode.Drop)) },
        { "type mismatch", () => Body(c => c.I64(0).Op(Opcode.Return), [ValType.I32]) },

        // Indices
        { "unknown local 2", () => Body(c => c.Op(Opcode.LocalGet, 2).Op(Opcode.Drop), locals: [ValType.I32]) },
        { "unknown global 1", () => Body(c => c.Op(Opcode.GlobalGet, 1).Op(Opcode.Drop), setup: b => b.Global(ValType.I32, false, I32Const(0))) },
        { "unknown function 7", () => Body(c => c.Op(Opcode.Call, 7)) },
        { "unknown table 0", () => Body(c => c.I32(0).Op(Opcode.TableGet, 0).Op(Opcode.Drop)) },
        { "unknown memory 0", () => Body(c => c.I32(0).MemArg(Opcode.I32Load, 2).Op(Opcode.Drop)) },
        { "unknown memory 1", () => Body(c => c.I32(0).MemArg(Opcode.I32Load, 2, memory: 1).Op(Opcode.Drop), setup: b => b.Memory(1)) },
        { "unknown type 5", () => Body(c => c.Block(BlockType.OfTypeIndex(5)).End()) },
        { "unknown type 9", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(9)).Op(Opcode.Drop)) },
        { "unknown elem segment 4", () => Body(c => c.Op(Opcode.ElemDrop, 4)) },
        { "unknown data segment 1", () => Body(c => c.Op(Opcode.DataDrop, 1), setup: b => b.PassiveData()) },
        { "unknown data segment 0", () => Body(c => c.I32(0).I32(0).I32(0).Op(Opcode.MemoryInit, 0, 0), setup: b => b.Memory(1)) },
        { "unknown tag 0", () => Body(c => c.Op(Opcode.Throw, 0)) },
        { "unknown type 3", () => Body(c => c.I32(0).Op(Opcode.CallIndirect, 3, 0), setup: b => b.Table(ValType.FuncRef, 1)) },

        // Variables
        { "immutable global", () => Body(c => c.I32(0).Op(Opcode.GlobalSet, 0), setup: b => b.Global(ValType.I32, false, I32Const(0))) },
        { "uninitialized local", () => Body(c => c.Op(Opcode.LocalGet, 0).Op(Opcode.Drop), locals: [ValType.Ref(HeapType.Func, false)]) },
        { "uninitialized local", () => Body(c => c.Block(BlockType.Empty).Op(Opcode.RefFunc, 0).Op(Opcode.LocalSet, 0).End().Op(Opcode.LocalGet, 0).Op(Opcode.Drop),
            locals: [ValType.Ref(HeapType.Func, false)], setup: b => b.Export("f", ExternKind.Func, 0)) },

        // Memory
        { "alignment must not be larger than natural", () => Body(c => c.I32(0).MemArg(Opcode.I32Load, 3).Op(Opcode.Drop), setup: b => b.Memory(1)) },
        { "alignment must not be larger than natural", () => Body(c => c.I32(0).I32(0).MemArg(Opcode.I32Store8, 1), setup: b => b.Memory(1)) },
        { "alignment must not be larger than natural", () => Body(c => c.I32(0).MemArgLane(Opcode.V128Load8Lane, 1, 0).Op(Opcode.Drop), setup: b => b.Memory(1)) },
        { "offset out of range", () => Body(c => c.I32(0).MemArg(Opcode.I32Load, 2, offset: 1UL << 32).Op(Opcode.Drop), setup: b => b.Memory(1)) },
        { "type mismatch", () => Body(c => c.I32(0).MemArg(Opcode.I32Load, 2).Op(Opcode.Drop), setup: b => b.Memory(1, address: AddressType.I64)) },

        // SIMD lanes
        { "invalid lane index", () => Body(c => c.V128().Lane(Opcode.I8x16ExtractLaneS, 16).Op(Opcode.Drop)) },
        { "invalid lane index", () => Body(c => c.V128().I64(0).Lane(Opcode.I64x2ReplaceLane, 2).Op(Opcode.Drop)) },
        { "invalid lane index", () => Body(c => c.V128().V128().Shuffle(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32).Op(Opcode.Drop)) },
        { "invalid lane index", () => Body(c => c.I32(0).V128().MemArgLane(Opcode.V128Load32Lane, 2, 4).Op(Opcode.Drop), setup: b => b.Memory(1)) },

        // Calls
        { "type mismatch: instruction requires table of function type", () => Body(c => c.I32(0).Op(Opcode.CallIndirect, 0, 0), setup: b => { b.FuncType([], []); b.Table(ValType.ExternRef, 1); }) },
        { "type mismatch: current function requires result type [i32]", () => Body(c => c.Op(Opcode.ReturnCall, 0), [ValType.I32], setup: b => b.Function([], [ValType.I64], c => c.I64(0))) },

        // References
        { "undeclared function reference", () => Body(c => c.Op(Opcode.RefFunc, 0).Op(Opcode.Drop)) },
        { "type mismatch: instruction requires reference type", () => Body(c => c.I32(0).Op(Opcode.RefIsNull).Op(Opcode.Drop)) },
        { "type mismatch on cast", () => Body(c => c.Heap(Opcode.RefNull, HeapType.I31).BrOnCast(Opcode.BrOnCast, 0, ValType.Ref(HeapType.I31, true), ValType.AnyRef).Op(Opcode.Drop), [ValType.AnyRef]) },
        { "type mismatch", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Func).Heap(Opcode.RefTest, HeapType.Any).Op(Opcode.Drop)) },

        // GC
        { "immutable field", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(0)).I32(0).Op(Opcode.StructSet, 0, 0), setup: b => b.Type(new StructType([new FieldType(StorageType.Of(ValType.I32), false)]))) },
        { "unknown field 1", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(0)).Op(Opcode.StructGet, 0, 1).Op(Opcode.Drop), setup: b => b.Type(new StructType([new FieldType(StorageType.Of(ValType.I32), false)]))) },
        { "field is packed", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(0)).Op(Opcode.StructGet, 0, 0).Op(Opcode.Drop), setup: b => b.Type(new StructType([new FieldType(StorageType.I8, false)]))) },
        { "immutable array", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(0)).I32(0).I32(0).Op(Opcode.ArraySet, 0), setup: b => b.Type(new ArrayType(new FieldType(StorageType.Of(ValType.I32), false)))) },
        { "array type is not numeric or vector", () => Body(c => c.I32(0).I32(0).Op(Opcode.ArrayNewData, 0, 0).Op(Opcode.Drop), setup: b => { b.Type(new ArrayType(new FieldType(StorageType.Of(ValType.AnyRef), false))); b.PassiveData(); }) },
        { "array types do not match", () => Body(c => c.Heap(Opcode.RefNull, HeapType.Concrete(0)).I32(0).Heap(Opcode.RefNull, HeapType.Concrete(1)).I32(0).I32(0).Op(Opcode.ArrayCopy, 0, 1),
            setup: b => { b.Type(new ArrayType(new FieldType(StorageType.I8, true))); b.Type(new ArrayType(new FieldType(StorageType.I16, true))); }) },
        { "field type is not defaultable", () => Body(c => c.Op(Opcode.StructNewDefault, 0).Op(Opcode.Drop), setup: b => b.Type(new StructType([new FieldType(StorageType.Of(ValType.Ref(HeapType.Any, false)), false)]))) },
        { "non-structure type 0", () => Body(c => c.Op(Opcode.StructNew, 0).Op(Opcode.Drop), setup: b => b.FuncType([], [])) },

        // Exceptions
        { "type mismatch: instruction requires [i32] but stack has [i64]", () => Body(c => c.I64(0).Op(Opcode.Throw, 0), setup: b => b.Tag(b.FuncType([ValType.I32], []))) },
        { "non-empty tag result type", () => Body(c => { }, setup: b => b.Tag(b.FuncType([], [ValType.I32]))) },
        { "type mismatch: catch handler requires [i64] but label has [i32]", () => Body(c => c.Block(ValType.I64).TryTable(BlockType.Empty, new CatchClause(CatchKind.Catch, 0, 0)).End().I64(0).End().Op(Opcode.Drop),
            setup: b => b.Tag(b.FuncType([ValType.I32], []))) },
        { "invalid rethrow label", () => Body(c => c.Block(BlockType.Empty).Op(Opcode.Rethrow, 0).End()) },
        { "type mismatch: block requires [] but stack has [i32]", () => Body(c => c.Block(Opcode.Try, BlockType.Empty).Op(Opcode.Catch, 0).End(), setup: b => b.Tag(b.FuncType([ValType.I32], []))) },

        // Module level
        { "duplicate export name \"f\"", () => Body(c => { }, setup: b => b.Export("f", ExternKind.Func, 0).Export("f", ExternKind.Func, 0)) },
        { "unknown function 3", () => Body(c => { }, setup: b => b.Export("f", ExternKind.Func, 3)) },
        { "unknown memory 0", () => Body(c => { }, setup: b => b.Export("m", ExternKind.Memory, 0)) },
        { "start function", () => Body(c => { }, setup: b => { b.Function([ValType.I32], [], c => { }); b.Start(0); }) },
        { "unknown function 5", () => Body(c => { }, setup: b => b.Start(5)) },
        { "memory size must be at most 65536 pages (4GiB)", () => Body(c => { }, setup: b => b.Memory(65537)) },
        { "memory size", () => Body(c => { }, setup: b => b.Memory(0, 1UL << 49, AddressType.I64)) },
        { "size minimum must not be greater than maximum", () => Body(c => { }, setup: b => b.Memory(2, 1)) },
        { "table size", () => Body(c => { }, setup: b => b.Table(ValType.FuncRef, 1UL << 32)) },
        { "size minimum must not be greater than maximum", () => Body(c => { }, setup: b => b.Table(ValType.FuncRef, 3, 2)) },
        { "constant expression required", () => Body(c => { }, setup: b => b.Global(ValType.I32, false, Const(c => c.I32(0).Op(Opcode.I32Eqz)))) },
        { "constant expression required", () => Body(c => { }, setup: b => b.Global(ValType.I32, true, I32Const(0)).Global(ValType.I32, false, Const(c => c.Op(Opcode.GlobalGet, 0)))) },
        { "unknown global 0", () => Body(c => { }, setup: b => b.Global(ValType.I32, false, Const(c => c.Op(Opcode.GlobalGet, 0)))) },
        { "unknown global 0", () => Body(c => { }, setup: b => b.Table(ValType.FuncRef, 1, init: Const(c => c.Op(Opcode.GlobalGet, 0))).Global(ValType.FuncRef, false, Const(c => c.Heap(Opcode.RefNull, HeapType.Func)))) },
        { "type mismatch", () => Body(c => { }, setup: b => b.Global(ValType.I32, false, Const(c => c.I64(0)))) },
        { "type mismatch", () => Body(c => { }, setup: b => b.Table(ValType.Ref(HeapType.Func, false), 1)) },
        { "type mismatch", () => Body(c => { }, setup: b => b.Table(ValType.FuncRef, 1).Element(new ElementSegment(SegmentMode.Active, 0, I32Const(0), ValType.ExternRef, []))) },
        { "unknown table 0", () => Body(c => { }, setup: b => b.Element(new ElementSegment(SegmentMode.Active, 0, I32Const(0), ValType.FuncRef, []))) },
        { "unknown memory 0", () => Body(c => { }, setup: b => b.Data(new DataSegment(SegmentMode.Active, 0, I32Const(0), new byte[1]))) },
        { "type mismatch", () => Body(c => { }, setup: b => b.Memory(1, address: AddressType.I64).Data(new DataSegment(SegmentMode.Active, 0, I32Const(0), new byte[1]))) },
        { "unknown type 4", () => Body(c => { }, setup: b => b.Import("f", new FuncImportType(4))) },
        { "unknown type 2", () => Body(c => { }, setup: b => b.Global(ValType.Ref(HeapType.Concrete(2), true), false, Const(c => c.Heap(Opcode.RefNull, HeapType.Concrete(2))))) },
        { "unknown type 7", () => Body(c => { }, locals: [ValType.Ref(HeapType.Concrete(7), true)]) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RejectsWithTheSpecMessage(string reason, Func<object> module) => AssertInvalid(reason, (Module)module());

    [Fact]
    public void StructuralErrorsAreMalformed()
    {
        var b = new ModuleBuilder();
        b.RawFunction(b.FuncType([], []), [0x02, 0x40, 0x0B]);
        Assert.Equal("END opcode expected", Assert.Throws<MalformedModuleException>(() => Validator.Validate(b.Build())).Reason);

        b = new ModuleBuilder();
        b.RawFunction(b.FuncType([], []), [0x05, 0x0B]);
        Assert.Equal("misplaced ELSE opcode", Assert.Throws<MalformedModuleException>(() => Validator.Validate(b.Build())).Reason);

        b = new ModuleBuilder();
        b.RawFunction(b.FuncType([], []), [0x0B, 0x01, 0x0B]);
        Assert.Equal("section size mismatch", Assert.Throws<MalformedModuleException>(() => Validator.Validate(b.Build())).Reason);
    }

    [Fact]
    public void ErrorOffsetsPointIntoTheBody()
    {
        var b = new ModuleBuilder();
        uint type = b.FuncType([], []);
        var body = new Code().Op(Opcode.Nop).Op(Opcode.Drop).End().ToArray();
        var module = b.Build();
        module = new Module
        {
            RecGroups = module.RecGroups,
            Functions = [type],
            Codes = [new FunctionBody([], body, offset: 100)],
        };
        var ex = Assert.Throws<InvalidModuleException>(() => Validator.Validate(module));
        Assert.Equal(101, ex.Offset);
    }
}
