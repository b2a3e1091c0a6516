using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>Spec 3.4.2 vector instructions, SIMD and relaxed SIMD.</summary>
    private void StepSimd(in Instruction instruction)
    {
        var v128 = ValType.V128;
        switch (instruction.Opcode)
        {
            // Memory
            case Opcode.V128Load: Load(instruction, v128, 4); break;
            case >= Opcode.V128Load8x8S and <= Opcode.V128Load32x2U: Load(instruction, v128, 3); break;
            case Opcode.V128Load8Splat: Load(instruction, v128, 0); break;
            case Opcode.V128Load16Splat: Load(instruction, v128, 1); break;
            case Opcode.V128Load32Splat: Load(instruction, v128, 2); break;
            case Opcode.V128Load64Splat: Load(instruction, v128, 3); break;
            case Opcode.V128Load32Zero: Load(instruction, v128, 2); break;
            case Opcode.V128Load64Zero: Load(instruction, v128, 3); break;
            case Opcode.V128Store: Store(instruction, v128, 4); break;
            case Opcode.V128Load8Lane: LoadLane(instruction, 0, store: false); break;
            case Opcode.V128Load16Lane: LoadLane(instruction, 1, store: false); break;
            case Opcode.V128Load32Lane: LoadLane(instruction, 2, store: false); break;
            case Opcode.V128Load64Lane: LoadLane(instruction, 3, store: false); break;
            case Opcode.V128Store8Lane: LoadLane(instruction, 0, store: true); break;
            case Opcode.V128Store16Lane: LoadLane(instruction, 1, store: true); break;
            case Opcode.V128Store32Lane: LoadLane(instruction, 2, store: true); break;
            case Opcode.V128Store64Lane: LoadLane(instruction, 3, store: true); break;

            case Opcode.V128Const: Push(v128); break;
            case Opcode.I8x16Shuffle: Shuffle(instruction); break;

            // Lanes
            case Opcode.I8x16Splat or Opcode.I16x8Splat or Opcode.I32x4Splat: Apply1(ValType.I32, v128); break;
            case Opcode.I64x2Splat: Apply1(ValType.I64, v128); break;
            case Opcode.F32x4Splat: Apply1(ValType.F32, v128); break;
            case Opcode.F64x2Splat: Apply1(ValType.F64, v128); break;
            case Opcode.I8x16ExtractLaneS or Opcode.I8x16ExtractLaneU: ExtractLane(instruction, 16, ValType.I32); break;
            case Opcode.I16x8ExtractLaneS or Opcode.I16x8ExtractLaneU: ExtractLane(instruction, 8, ValType.I32); break;
            case Opcode.I32x4ExtractLane: ExtractLane(instruction, 4, ValType.I32); break;
            case Opcode.I64x2ExtractLane: ExtractLane(instruction, 2, ValType.I64); break;
            case Opcode.F32x4ExtractLane: ExtractLane(instruction, 4, ValType.F32); break;
            case Opcode.F64x2ExtractLane: ExtractLane(instruction, 2, ValType.F64); break;
            case Opcode.I8x16ReplaceLane: ReplaceLane(instruction, 16, ValType.I32); break;
            case Opcode.I16x8ReplaceLane: ReplaceLane(instruction, 8, ValType.I32); break;
            case Opcode.I32x4ReplaceLane: ReplaceLane(instruction, 4, ValType.I32); break;
            case Opcode.I64x2ReplaceLane: ReplaceLane(instruction, 2, ValType.I64); break;
            case Opcode.F32x4ReplaceLane: ReplaceLane(instruction, 4, ValType.F32); break;
            case Opcode.F64x2ReplaceLane: ReplaceLane(instruction, 2, ValType.F64); break;

            // [v128] -> [i32]: tests and bitmasks
            case Opcode.V128AnyTrue:
            case Opcode.I8x16AllTrue or Opcode.I8x16Bitmask:
            case Opcode.I16x8AllTrue or Opcode.I16x8Bitmask:
            case Opcode.I32x4AllTrue or Opcode.I32x4Bitmask:
            case Opcode.I64x2AllTrue or Opcode.I64x2Bitmask:
                Apply1(v128, ValType.I32);
                break;

            // [v128 i32] -> [v128]: shifts
            case >= Opcode.I8x16Shl and <= Opcode.I8x16ShrU:
            case >= Opcode.I16x8Shl and <= Opcode.I16x8ShrU:
            case >= Opcode.I32x4Shl and <= Opcode.I32x4ShrU:
            case >= Opcode.I64x2Shl and <= Opcode.I64x2ShrU:
                Apply2(v128, ValType.I32, v128);
                break;

            // [v128 v128 v128] -> [v128]
            case Opcode.V128Bitselect:
            case >= Opcode.F32x4RelaxedMadd and <= Opcode.I64x2RelaxedLaneselect:
            case Opcode.I32x4RelaxedDotI8x16I7x16AddS:
                Pop([v128, v128, v128]);
                Push(v128);
                break;

            // [v128] -> [v128]
            case Opcode.V128Not:
            case Opcode.F32x4DemoteF64x2Zero or Opcode.F64x2PromoteLowF32x4:
            case >= Opcode.I8x16Abs and <= Opcode.I8x16Popcnt:
            case >= Opcode.F32x4Ceil and <= Opcode.F32x4Nearest:
            case Opcode.F64x2Ceil or Opcode.F64x2Floor or Opcode.F64x2Trunc or Opcode.F64x2Nearest:
            case >= Opcode.I16x8ExtaddPairwiseI8x16S and <= Opcode.I32x4ExtaddPairwiseI16x8U:
            case Opcode.I16x8Abs or Opcode.I16x8Neg:
            case >= Opcode.I16x8ExtendLowI8x16S and <= Opcode.I16x8ExtendHighI8x16U:
            case Opcode.I32x4Abs or Opcode.I32x4Neg:
            case >= Opcode.I32x4ExtendLowI16x8S and <= Opcode.I32x4ExtendHighI16x8U:
            case Opcode.I64x2Abs or Opcode.I64x2Neg:
            case >= Opcode.I64x2ExtendLowI32x4S and <= Opcode.I64x2ExtendHighI32x4U:
            case Opcode.F32x4Abs or Opcode.F32x4Neg or Opcode.F32x4Sqrt:
            case Opcode.F64x2Abs or Opcode.F64x2Neg or Opcode.F64x2Sqrt:
            case >= Opcode.I32x4TruncSatF32x4S and <= Opcode.F64x2ConvertLowI32x4U:
            case >= Opcode.I32x4RelaxedTruncF32x4S and <= Opcode.I32x4RelaxedTruncF64x2U:
                Unary(v128);
                break;

            // [v128 v128] -> [v128]
            case Opcode.I8x16Swizzle:
            case >= Opcode.I8x16Eq and <= Opcode.F64x2Ge:
            case >= Opcode.V128And and <= Opcode.V128Xor:
            case Opcode.I8x16NarrowI16x8S or Opcode.I8x16NarrowI16x8U:
            case >= Opcode.I8x16Add and <= Opcode.I8x16SubSatU:
            case >= Opcode.I8x16MinS and <= Opcode.I8x16MaxU:
            case Opcode.I8x16AvgrU:
            case Opcode.I16x8Q15mulrSatS:
            case Opcode.I16x8NarrowI32x4S or Opcode.I16x8NarrowI32x4U:
            case >= Opcode.I16x8Add and <= Opcode.I16x8SubSatU:
            case >= Opcode.I16x8Mul and <= Opcode.I16x8MaxU:
            case >= Opcode.I16x8AvgrU and <= Opcode.I16x8ExtmulHighI8x16U:
            case Opcode.I32x4Add or Opcode.I32x4Sub:
            case >= Opcode.I32x4Mul and <= Opcode.I32x4DotI16x8S:
            case >= Opcode.I32x4ExtmulLowI16x8S and <= Opcode.I32x4ExtmulHighI16x8U:
            case Opcode.I64x2Add or Opcode.I64x2Sub:
            case >= Opcode.I64x2Mul and <= Opcode.I64x2ExtmulHighI32x4U:
            case >= Opcode.F32x4Add and <= Opcode.F32x4Pmax:
            case >= Opcode.F64x2Add and <= Opcode.F64x2Pmax:
            case Opcode.I8x16RelaxedSwizzle:
            case >= Opcode.F32x4RelaxedMin and <= Opcode.I16x8RelaxedDotI8x16I7x16S:
                Binary(v128);
                break;

            default:
                throw new InvalidOperationException($"the validator does not handle {instruction.Opcode}");
        }
    }

    /// <summary>Spec 3.4.6 v128.loadN_lane / v128.storeN_lane: the lane must exist in a vector of N-bit lanes.</summary>
    private void LoadLane(in Instruction instruction, int naturalAlignment, bool store)
    {
        var address = CheckMemArg(instruction, naturalAlignment);
        if (instruction.Index2 >= 16u >> naturalAlignment) throw Error("invalid lane index");
        Pop([address, ValType.V128]);
        if (!store) Push(ValType.V128);
    }

    /// <summary>Spec 3.4.2 i8x16.shuffle: every index picks one of the 32 lanes of the two operands.</summary>
    private void Shuffle(in Instruction instruction)
    {
        ulong lanes = instruction.Value | instruction.Value2;
        // A lane index of 32 or more has bit 5, 6 or 7 set in its byte.
        if ((lanes & 0xE0E0E0E0_E0E0E0E0UL) != 0) throw Error("invalid lane index");
        Binary(ValType.V128);
    }

    /// <summary>Spec 3.4.2 extract_lane.</summary>
    private void ExtractLane(in Instruction instruction, int lanes, ValType result)
    {
        if (instruction.Byte >= lanes) throw Error("invalid lane index");
        Apply1(ValType.V128, result);
    }

    /// <summary>Spec 3.4.2 replace_lane.</summary>
    private void ReplaceLane(in Instruction instruction, int lanes, ValType scalar)
    {
        if (instruction.Byte >= lanes) throw Error("invalid lane index");
        Apply2(ValType.V128, scalar, ValType.V128);
    }
}
