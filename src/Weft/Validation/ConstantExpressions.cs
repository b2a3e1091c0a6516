using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Spec 3.4.12 constant expressions: only constants, extended-constant integer arithmetic, reference constructors,
/// GC allocations, extern conversions and reads of immutable globals defined before.
/// </summary>
internal static class ConstantExpressions
{
    /// <summary>Whether an instruction may appear in a constant expression (globals are checked separately).</summary>
    public static bool IsConstantOpcode(Opcode opcode) => opcode switch
    {
        Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const or Opcode.V128Const => true,
        Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul => true,
        Opcode.RefNull or Opcode.RefFunc or Opcode.RefI31 => true,
        Opcode.StructNew or Opcode.StructNewDefault => true,
        Opcode.ArrayNew or Opcode.ArrayNewDefault or Opcode.ArrayNewFixed => true,
        Opcode.AnyConvertExtern or Opcode.ExternConvertAny => true,
        Opcode.GlobalGet or Opcode.End => true,
        _ => false,
    };

    /// <summary>
    /// Validates <paramref name="expression"/> as a constant of type <paramref name="type"/> (canonical), where only the
    /// first <paramref name="visibleGlobals"/> globals are in scope. As in the reference interpreter, every instruction
    /// is checked to be constant before any is type-checked.
    /// </summary>
    public static void Validate(FunctionValidator checker, ConstExpr expression, ValType type, int visibleGlobals)
    {
        var module = checker.Module;
        int baseOffset = expression.Offset >= 0 ? expression.Offset : 0;
        var reader = new InstructionReader(expression.Code.Span, baseOffset);
        while (!reader.AtEnd)
        {
            var instruction = reader.Read();
            long offset = expression.Offset >= 0 ? expression.Offset + instruction.Position : -1;
            if (!IsConstantOpcode(instruction.Opcode)) throw new InvalidModuleException("constant expression required", offset);
            if (instruction.Opcode == Opcode.GlobalGet)
            {
                if (instruction.Index >= (uint)visibleGlobals) throw ValidationErrors.Unknown("global", instruction.Index, offset);
                if (module.Globals[(int)instruction.Index].Mutable) throw new InvalidModuleException("constant expression required", offset);
            }
        }
        checker.BeginConstant(expression, type, visibleGlobals);
        reader = new InstructionReader(expression.Code.Span, baseOffset);
        while (!reader.AtEnd)
        {
            reader.Read(out var instruction);
            checker.Step(instruction);
        }
        checker.End();
    }

    /// <summary>Marks every function that <paramref name="expression"/> takes a reference to as declared (spec 3.4.10 C.refs).</summary>
    public static void DeclareReferences(ValidModule module, ConstExpr expression)
    {
        var reader = new InstructionReader(expression.Code.Span);
        while (!reader.AtEnd)
        {
            var instruction = reader.Read();
            if (instruction.Opcode == Opcode.RefFunc) module.Declare(instruction.Index);
        }
    }
}
