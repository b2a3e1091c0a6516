using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Numeric instructions (spec 4.4.1). Where the IL instruction has the wasm semantics it is emitted directly;
// otherwise a helper in Runtime.Numerics is called (and usually inlined by RyuJIT).
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_rotl32 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateLeft), [typeof(uint), typeof(int)])!;
    private static readonly MethodInfo s_rotr32 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateRight), [typeof(uint), typeof(int)])!;
    private static readonly MethodInfo s_rotl64 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateLeft), [typeof(ulong), typeof(int)])!;
    private static readonly MethodInfo s_rotr64 = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateRight), [typeof(ulong), typeof(int)])!;
    private static readonly MethodInfo s_clz32 = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(uint)])!;
    private static readonly MethodInfo s_ctz32 = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(int)])!;
    private static readonly MethodInfo s_popcnt32 = typeof(BitOperations).GetMethod(nameof(BitOperations.PopCount), [typeof(uint)])!;
    private static readonly MethodInfo s_clz64 = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(ulong)])!;
    private static readonly MethodInfo s_ctz64 = typeof(BitOperations).GetMethod(nameof(BitOperations.TrailingZeroCount), [typeof(long)])!;
    private static readonly MethodInfo s_popcnt64 = typeof(BitOperations).GetMethod(nameof(BitOperations.PopCount), [typeof(ulong)])!;
    private static readonly MethodInfo s_f32Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits))!;
    private static readonly MethodInfo s_f64Bits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits))!;
    private static readonly MethodInfo s_bitsF32 = typeof(BitConverter).GetMethod(nameof(BitConverter.Int32BitsToSingle))!;
    private static readonly MethodInfo s_bitsF64 = typeof(BitConverter).GetMethod(nameof(BitConverter.Int64BitsToDouble))!;

    private void EmitF32Const(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I4, (int)bits);
            Call(RuntimeMembers.Numeric(nameof(Numerics.F32FromBits)));
        }
        else if (FoldableConstants.TryGet(value, out var field))
        {
            _il.Emit(OpCodes.Ldsfld, field);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R4, value);
        }
        Push(StackKind.F32);
    }

    private void EmitF64Const(ulong bits)
    {
        double value = BitConverter.UInt64BitsToDouble(bits);
        if (double.IsNaN(value))
        {
            _il.Emit(OpCodes.Ldc_I8, (long)bits);
            Call(RuntimeMembers.Numeric(nameof(Numerics.F64FromBits)));
        }
        else if (FoldableConstants.TryGet(value, out var field))
        {
            _il.Emit(OpCodes.Ldsfld, field);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_R8, value);
        }
        Push(StackKind.F64);
    }

    // Pops `arity` operands, emits the instructions, pushes one result.
    private void Op(int arity, StackKind result, params OpCode[] codes)
    {
        foreach (var code in codes) _il.Emit(code);
        Pop(arity);
        Push(result);
    }

    private void OpCall(int arity, StackKind result, MethodInfo method)
    {
        Call(method);
        Pop(arity);
        Push(result);
    }

    private void OpHelper(int arity, StackKind result, string name) => OpCall(arity, result, RuntimeMembers.Numeric(name));

    // Shift counts are taken modulo the bit width in wasm; IL leaves larger counts unspecified.
    private void Shift(StackKind kind, OpCode shift)
    {
        _il.Emit(OpCodes.Ldc_I4, kind == StackKind.I32 ? 31 : 63);
        if (kind == StackKind.I64)
        {
            _il.Emit(OpCodes.Conv_I8);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Conv_I4);
        }
        else
        {
            _il.Emit(OpCodes.And);
        }
        Op(2, kind, shift);
    }

    private void Not() => _il.Emit(OpCodes.Ldc_I4_0);

    private bool TryEmitNumeric(Opcode op)
    {
        const StackKind I32 = StackKind.I32, I64 = StackKind.I64, F32 = StackKind.F32, F64 = StackKind.F64;
        switch (op)
        {
            // i32 comparisons
            case Opcode.I32Eqz: Op(1, I32, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32Eq: Op(2, I32, OpCodes.Ceq); return true;
            case Opcode.I32Ne: Op(2, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LtS: Op(2, I32, OpCodes.Clt); return true;
            case Opcode.I32LtU: Op(2, I32, OpCodes.Clt_Un); return true;
            case Opcode.I32GtS: Op(2, I32, OpCodes.Cgt); return true;
            case Opcode.I32GtU: Op(2, I32, OpCodes.Cgt_Un); return true;
            case Opcode.I32LeS: Op(2, I32, OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LeU: Op(2, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeS: Op(2, I32, OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeU: Op(2, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            // i64 comparisons
            case Opcode.I64Eqz: Op(1, I32, OpCodes.Ldc_I4_0, OpCodes.Conv_I8, OpCodes.Ceq); return true;
            case Opcode.I64Eq: Op(2, I32, OpCodes.Ceq); return true;
            case Opcode.I64Ne: Op(2, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64LtS: Op(2, I32, OpCodes.Clt); return true;
            case Opcode.I64LtU: Op(2, I32, OpCodes.Clt_Un); return true;
            case Opcode.I64GtS: Op(2, I32, OpCodes.Cgt); return true;
            case Opcode.I64GtU: Op(2, I32, OpCodes.Cgt_Un); return true;
            case Opcode.I64LeS: Op(2, I32, OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64LeU: Op(2, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64GeS: Op(2, I32, OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64GeU: Op(2, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            // float comparisons: unordered (NaN) operands make eq/lt/gt/le/ge false and ne true
            case Opcode.F32Eq: case Opcode.F64Eq: Op(2, I32, OpCodes.Ceq); return true;
            case Opcode.F32Ne: case Opcode.F64Ne: Op(2, I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F32Lt: case Opcode.F64Lt: Op(2, I32, OpCodes.Clt); return true;
            case Opcode.F32Gt: case Opcode.F64Gt: Op(2, I32, OpCodes.Cgt); return true;
            case Opcode.F32Le: case Opcode.F64Le: Op(2, I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.F32Ge: case Opcode.F64Ge: Op(2, I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;

            // i32 arithmetic
            case Opcode.I32Clz: OpCall(1, I32, s_clz32); return true;
            case Opcode.I32Ctz: OpCall(1, I32, s_ctz32); return true;
            case Opcode.I32Popcnt: OpCall(1, I32, s_popcnt32); return true;
            case Opcode.I32Add: Op(2, I32, OpCodes.Add); return true;
            case Opcode.I32Sub: Op(2, I32, OpCodes.Sub); return true;
            case Opcode.I32Mul: Op(2, I32, OpCodes.Mul); return true;
            case Opcode.I32DivS: OpHelper(2, I32, nameof(Numerics.I32DivS)); return true;
            case Opcode.I32DivU: OpHelper(2, I32, nameof(Numerics.I32DivU)); return true;
            case Opcode.I32RemS: OpHelper(2, I32, nameof(Numerics.I32RemS)); return true;
            case Opcode.I32RemU: OpHelper(2, I32, nameof(Numerics.I32RemU)); return true;
            case Opcode.I32And: Op(2, I32, OpCodes.And); return true;
            case Opcode.I32Or: OrThenHide(I32); return true;
            case Opcode.I32Xor: HideThenXor(I32); return true;
            case Opcode.I32Shl: Shift(I32, OpCodes.Shl); return true;
            case Opcode.I32ShrS: Shift(I32, OpCodes.Shr); return true;
            case Opcode.I32ShrU: Shift(I32, OpCodes.Shr_Un); return true;
            case Opcode.I32Rotl: RotateThenHide(I32, s_rotl32); return true;
            case Opcode.I32Rotr: RotateThenHide(I32, s_rotr32); return true;
            // i64 arithmetic
            case Opcode.I64Clz: OpCall(1, I64, s_clz64); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64Ctz: OpCall(1, I64, s_ctz64); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64Popcnt: OpCall(1, I64, s_popcnt64); _il.Emit(OpCodes.Conv_I8); return true;
            case Opcode.I64Add: Op(2, I64, OpCodes.Add); return true;
            case Opcode.I64Sub: Op(2, I64, OpCodes.Sub); return true;
            case Opcode.I64Mul: Op(2, I64, OpCodes.Mul); return true;
            case Opcode.I64DivS: OpHelper(2, I64, nameof(Numerics.I64DivS)); return true;
            case Opcode.I64DivU: OpHelper(2, I64, nameof(Numerics.I64DivU)); return true;
            case Opcode.I64RemS: OpHelper(2, I64, nameof(Numerics.I64RemS)); return true;
            case Opcode.I64RemU: OpHelper(2, I64, nameof(Numerics.I64RemU)); return true;
            case Opcode.I64And: Op(2, I64, OpCodes.And); return true;
            case Opcode.I64Or: OrThenHide(I64); return true;
            case Opcode.I64Xor: HideThenXor(I64); return true;
            case Opcode.I64Shl: Shift(I64, OpCodes.Shl); return true;
            case Opcode.I64ShrS: Shift(I64, OpCodes.Shr); return true;
            case Opcode.I64ShrU: Shift(I64, OpCodes.Shr_Un); return true;
            case Opcode.I64Rotl: RotateThenHide(I64, s_rotl64); return true;
            case Opcode.I64Rotr: RotateThenHide(I64, s_rotr64); return true;

            // f32 arithmetic
            case Opcode.F32Abs: OpHelper(1, F32, nameof(Numerics.F32Abs)); return true;
            case Opcode.F32Neg: OpHelper(1, F32, nameof(Numerics.F32Neg)); return true;
            case Opcode.F32Ceil: OpHelper(1, F32, nameof(Numerics.F32Ceil)); return true;
            case Opcode.F32Floor: OpHelper(1, F32, nameof(Numerics.F32Floor)); return true;
            case Opcode.F32Trunc: OpHelper(1, F32, nameof(Numerics.F32Trunc)); return true;
            case Opcode.F32Nearest: OpHelper(1, F32, nameof(Numerics.F32Nearest)); return true;
            case Opcode.F32Sqrt: OpHelper(1, F32, nameof(Numerics.F32Sqrt)); return true;
            case Opcode.F32Add: Op(2, F32, OpCodes.Add); return true;
            case Opcode.F32Sub: Op(2, F32, OpCodes.Sub); return true;
            case Opcode.F32Mul: Op(2, F32, OpCodes.Mul); return true;
            case Opcode.F32Div: Op(2, F32, OpCodes.Div); return true;
            case Opcode.F32Min: OpHelper(2, F32, nameof(Numerics.F32Min)); return true;
            case Opcode.F32Max: OpHelper(2, F32, nameof(Numerics.F32Max)); return true;
            case Opcode.F32Copysign: OpHelper(2, F32, nameof(Numerics.F32CopySign)); return true;
            // f64 arithmetic
            case Opcode.F64Abs: OpHelper(1, F64, nameof(Numerics.F64Abs)); return true;
            case Opcode.F64Neg: OpHelper(1, F64, nameof(Numerics.F64Neg)); return true;
            case Opcode.F64Ceil: OpHelper(1, F64, nameof(Numerics.F64Ceil)); return true;
            case Opcode.F64Floor: OpHelper(1, F64, nameof(Numerics.F64Floor)); return true;
            case Opcode.F64Trunc: OpHelper(1, F64, nameof(Numerics.F64Trunc)); return true;
            case Opcode.F64Nearest: OpHelper(1, F64, nameof(Numerics.F64Nearest)); return true;
            case Opcode.F64Sqrt: OpHelper(1, F64, nameof(Numerics.F64Sqrt)); return true;
            case Opcode.F64Add: Op(2, F64, OpCodes.Add); return true;
            case Opcode.F64Sub: Op(2, F64, OpCodes.Sub); return true;
            case Opcode.F64Mul: Op(2, F64, OpCodes.Mul); return true;
            case Opcode.F64Div: Op(2, F64, OpCodes.Div); return true;
            case Opcode.F64Min: OpHelper(2, F64, nameof(Numerics.F64Min)); return true;
            case Opcode.F64Max: OpHelper(2, F64, nameof(Numerics.F64Max)); return true;
            case Opcode.F64Copysign: OpHelper(2, F64, nameof(Numerics.F64CopySign)); return true;

            // conversions
            case Opcode.I32WrapI64: Op(1, I32, OpCodes.Conv_I4); return true;
            case Opcode.I32TruncF32S: OpHelper(1, I32, nameof(Numerics.I32TruncF32S)); return true;
            case Opcode.I32TruncF32U: OpHelper(1, I32, nameof(Numerics.I32TruncF32U)); return true;
            case Opcode.I32TruncF64S: OpHelper(1, I32, nameof(Numerics.I32TruncF64S)); return true;
            case Opcode.I32TruncF64U: OpHelper(1, I32, nameof(Numerics.I32TruncF64U)); return true;
            case Opcode.I64ExtendI32S: Op(1, I64, OpCodes.Conv_I8); return true;
            case Opcode.I64ExtendI32U: Op(1, I64, OpCodes.Conv_U8); return true;
            case Opcode.I64TruncF32S: OpHelper(1, I64, nameof(Numerics.I64TruncF32S)); return true;
            case Opcode.I64TruncF32U: OpHelper(1, I64, nameof(Numerics.I64TruncF32U)); return true;
            case Opcode.I64TruncF64S: OpHelper(1, I64, nameof(Numerics.I64TruncF64S)); return true;
            case Opcode.I64TruncF64U: OpHelper(1, I64, nameof(Numerics.I64TruncF64U)); return true;
            case Opcode.F32ConvertI32S: Op(1, F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI32U: OpHelper(1, F32, nameof(Numerics.F32ConvertI32U)); return true;
            case Opcode.F32ConvertI64S: Op(1, F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI64U: OpHelper(1, F32, nameof(Numerics.F32ConvertI64U)); return true;
            case Opcode.F32DemoteF64: Op(1, F32, OpCodes.Conv_R4); return true;
            case Opcode.F64ConvertI32S: Op(1, F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI32U: OpHelper(1, F64, nameof(Numerics.F64ConvertI32U)); return true;
            case Opcode.F64ConvertI64S: Op(1, F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI64U: OpHelper(1, F64, nameof(Numerics.F64ConvertI64U)); return true;
            case Opcode.F64PromoteF32: OpHelper(1, F64, nameof(Numerics.F64PromoteF32)); return true;
            case Opcode.I32ReinterpretF32: OpCall(1, I32, s_f32Bits); return true;
            case Opcode.I64ReinterpretF64: OpCall(1, I64, s_f64Bits); return true;
            case Opcode.F32ReinterpretI32: ReinterpretI32AsF32(s_bitsF32); return true;
            case Opcode.F64ReinterpretI64: OpCall(1, F64, s_bitsF64); return true;
            case Opcode.I32Extend8S: Op(1, I32, OpCodes.Conv_I1); return true;
            case Opcode.I32Extend16S: Op(1, I32, OpCodes.Conv_I2); return true;
            case Opcode.I64Extend8S: Op(1, I64, OpCodes.Conv_I1, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend16S: Op(1, I64, OpCodes.Conv_I2, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend32S: Op(1, I64, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;
            case Opcode.I32TruncSatF32S: OpHelper(1, I32, nameof(Numerics.I32TruncSatF32S)); return true;
            case Opcode.I32TruncSatF32U: OpHelper(1, I32, nameof(Numerics.I32TruncSatF32U)); return true;
            case Opcode.I32TruncSatF64S: OpHelper(1, I32, nameof(Numerics.I32TruncSatF64S)); return true;
            case Opcode.I32TruncSatF64U: OpHelper(1, I32, nameof(Numerics.I32TruncSatF64U)); return true;
            case Opcode.I64TruncSatF32S: OpHelper(1, I64, nameof(Numerics.I64TruncSatF32S)); return true;
            case Opcode.I64TruncSatF32U: OpHelper(1, I64, nameof(Numerics.I64TruncSatF32U)); return true;
            case Opcode.I64TruncSatF64S: OpHelper(1, I64, nameof(Numerics.I64TruncSatF64S)); return true;
            case Opcode.I64TruncSatF64U: OpHelper(1, I64, nameof(Numerics.I64TruncSatF64U)); return true;
            default: return false;
        }
    }
}
