using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Validation;

/// <summary>Driving the per-function checker instruction by instruction, as the compiler does.</summary>
public class FunctionValidatorTests
{
    [Fact]
    public void ExposesOperandTypesAndFramesAtEachInstruction()
    {
        var b = new ModuleBuilder();
        uint str = b.Type(new StructType([new FieldType(StorageType.Of(ValType.I64), true)]));
        uint pair = b.FuncType([ValType.I32], [ValType.I32, ValType.F64]);
        b.Import("f", new FuncImportType(b.FuncType([], [])));
        b.Function([ValType.I32], [ValType.I32], c => c
            .Op(Opcode.LocalGet, 0)                        // 0: [i32]
            .Block(Opcode.Loop, BlockType.OfTypeIndex(pair)) // 1: loop [i32] -> [i32 f64]
            .F64().Op(Opcode.Drop)
            .Op(Opcode.Br, 0)                              // branches to the loop: carries [i32]
            .Op(Opcode.F64Add)                             // unreachable: operands unknown
            .End()
            .Op(Opcode.Drop)
            .Op(Opcode.StructNewDefault, str)
            .Op(Opcode.Drop), ValType.Ref(HeapType.Concrete(str), true));
        var valid = Validator.Validate(b.Build());
        var checker = new FunctionValidator(valid);
        checker.Begin(1);
        Assert.Equal(1, checker.FunctionIndex);
        Assert.Equal(2, checker.LocalCount);
        Assert.Equal(valid.Types[(int)str].Id, checker.LocalType(1).Heap.Index); // canonical form

        var reader = new InstructionReader(checker.Code);
        var seen = new List<string>();
        while (!reader.AtEnd)
        {
            reader.Read(out var instruction);
            checker.Step(instruction);
            string top = checker.OperandCount > 0 ? ValidationErrors.Format(checker.PeekOperand(0), valid) : "-";
            seen.Add($"{instruction.Opcode}:{checker.FrameCount}:{top}:{checker.IsUnreachable}");
            if (instruction.Opcode == Opcode.Loop)
            {
                ref readonly var frame = ref checker.Frame(0);
                Assert.Equal(FrameKind.Loop, frame.Kind);
                Assert.Equal(0, frame.Height);
                Assert.Equal([ValType.I32], checker.LabelTypes(0).ToArray());
                Assert.Equal([ValType.I32, ValType.F64], checker.EndTypes(frame).ToArray());
                Assert.Equal([ValType.I32], checker.LabelTypes(1).ToArray());
            }
            if (instruction.Opcode == Opcode.F64Add)
            {
                Assert.Equal(ValType.Bottom, checker.PeekOperand(1));
            }
        }
        checker.End();
        Assert.True(checker.IsFinished);
        Assert.Equal(
            [
                "LocalGet:1:i32:False", "Loop:2:i32:False", "F64Const:2:f64:False", "Drop:2:i32:False", "Br:2:-:True",
                "F64Add:2:f64:True", "End:1:f64:False", "Drop:1:i32:False", "StructNewDefault:1:(ref 0):False",
                "Drop:1:i32:False", "End:0:-:False",
            ],
            seen);
    }

    [Fact]
    public void ErrorsNameTheFunction()
    {
        var b = new ModuleBuilder();
        b.Function([], [], c => { });
        b.Function([], [], c => c.Op(Opcode.Drop));
        var ex = Assert.Throws<InvalidModuleException>(() => Validator.Validate(b.Build()));
        Assert.StartsWith("type mismatch", ex.Reason);
        Assert.Contains("in function 1", ex.Message);
    }

    [Fact]
    public void ReusableAcrossFunctions()
    {
        var b = new ModuleBuilder();
        var nonNull = ValType.Ref(HeapType.Func, false);
        b.Function([], [], c => c.Op(Opcode.RefFunc, 0).Op(Opcode.LocalSet, 0).Op(Opcode.LocalGet, 0).Op(Opcode.Drop), nonNull);
        b.Function([], [], c => c.Op(Opcode.LocalGet, 0).Op(Opcode.Drop), nonNull);
        b.Declare(0);
        var module = b.Build();
        var ex = Assert.Throws<InvalidModuleException>(() => Validator.Validate(module));
        Assert.Equal("uninitialized local", ex.Reason);
        Assert.Contains("in function 1", ex.Message);
    }
}
