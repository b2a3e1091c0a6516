using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>
    /// Spec 3.4.1 numeric instructions. The opcodes of one shape are contiguous in the binary format, so ranges of
    /// the opcode name each shape.
    /// </summary>
    private void StepNumeric(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32Const: Push(ValType.I32); break;
            case Opcode.I64Const: Push(ValType.I64); break;
            case Opcode.F32Const: Push(ValType.F32); break;
            case Opcode.F64Const: Push(ValType.F64); break;

            case Opcode.I32Eqz: Apply1(ValType.I32, ValType.I32); break;
            case >= Opcode.I32Eq and <= Opcode.I32GeU: Apply2(ValType.I32, ValType.I32, ValType.I32); break;
            case Opcode.I64Eqz: Apply1(ValType.I64, ValType.I32); break;
            case >= Opcode.I64Eq and <= Opcode.I64GeU: Apply2(ValType.I64, ValType.I64, ValType.I32); break;
            case >= Opcode.F32Eq and <= Opcode.F32Ge: Apply2(ValType.F32, ValType.F32, ValType.I32); break;
            case >= Opcode.F64Eq and <= Opcode.F64Ge: Apply2(ValType.F64, ValType.F64, ValType.I32); break;

            case >= Opcode.I32Clz and <= Opcode.I32Popcnt: Unary(ValType.I32); break;
            case >= Opcode.I32Add and <= Opcode.I32Rotr: Binary(ValType.I32); break;
            case >= Opcode.I64Clz and <= Opcode.I64Popcnt: Unary(ValType.I64); break;
            case >= Opcode.I64Add and <= Opcode.I64Rotr: Binary(ValType.I64); break;
            case >= Opcode.F32Abs and <= Opcode.F32Sqrt: Unary(ValType.F32); break;
            case >= Opcode.F32Add and <= Opcode.F32Copysign: Binary(ValType.F32); break;
            case >= Opcode.F64Abs and <= Opcode.F64Sqrt: Unary(ValType.F64); break;
            case >= Opcode.F64Add and <= Opcode.F64Copysign: Binary(ValType.F64); break;

            case Opcode.I32WrapI64: Apply1(ValType.I64, ValType.I32); break;
            case Opcode.I32TruncF32S or Opcode.I32TruncF32U: Apply1(ValType.F32, ValType.I32); break;
            case Opcode.I32TruncF64S or Opcode.I32TruncF64U: Apply1(ValType.F64, ValType.I32); break;
            case Opcode.I64ExtendI32S or Opcode.I64ExtendI32U: Apply1(ValType.I32, ValType.I64); break;
            case Opcode.I64TruncF32S or Opcode.I64TruncF32U: Apply1(ValType.F32, ValType.I64); break;
            case Opcode.I64TruncF64S or Opcode.I64TruncF64U: Apply1(ValType.F64, ValType.I64); break;
            case Opcode.F32ConvertI32S or Opcode.F32ConvertI32U: Apply1(ValType.I32, ValType.F32); break;
            case Opcode.F32ConvertI64S or Opcode.F32ConvertI64U: Apply1(ValType.I64, ValType.F32); break;
            case Opcode.F32DemoteF64: Apply1(ValType.F64, ValType.F32); break;
            case Opcode.F64ConvertI32S or Opcode.F64ConvertI32U: Apply1(ValType.I32, ValType.F64); break;
            case Opcode.F64ConvertI64S or Opcode.F64ConvertI64U: Apply1(ValType.I64, ValType.F64); break;
            case Opcode.F64PromoteF32: Apply1(ValType.F32, ValType.F64); break;
            case Opcode.I32ReinterpretF32: Apply1(ValType.F32, ValType.I32); break;
            case Opcode.I64ReinterpretF64: Apply1(ValType.F64, ValType.I64); break;
            case Opcode.F32ReinterpretI32: Apply1(ValType.I32, ValType.F32); break;
            case Opcode.F64ReinterpretI64: Apply1(ValType.I64, ValType.F64); break;
            case Opcode.I32Extend8S or Opcode.I32Extend16S: Unary(ValType.I32); break;
            case Opcode.I64Extend8S or Opcode.I64Extend16S or Opcode.I64Extend32S: Unary(ValType.I64); break;

            case Opcode.I32TruncSatF32S or Opcode.I32TruncSatF32U: Apply1(ValType.F32, ValType.I32); break;
            case Opcode.I32TruncSatF64S or Opcode.I32TruncSatF64U: Apply1(ValType.F64, ValType.I32); break;
            case Opcode.I64TruncSatF32S or Opcode.I64TruncSatF32U: Apply1(ValType.F32, ValType.I64); break;
            case Opcode.I64TruncSatF64S or Opcode.I64TruncSatF64U: Apply1(ValType.F64, ValType.I64); break;

            // Wide arithmetic: 128-bit values as (low, high) pairs of i64.
            case Opcode.I64Add128 or Opcode.I64Sub128:
                Pop([ValType.I64, ValType.I64, ValType.I64, ValType.I64]);
                Push([ValType.I64, ValType.I64]);
                break;
            case Opcode.I64MulWideS or Opcode.I64MulWideU:
                Pop([ValType.I64, ValType.I64]);
                Push([ValType.I64, ValType.I64]);
                break;

            default:
                throw new InvalidOperationException($"the validator does not handle {opcode}");
        }
    }
}
