using System.Collections.Frozen;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Vector instructions (spec 4.4.3, 4.4.7). A v128 is a Vector128<byte> on the IL stack and in locals; each instruction
// is a call to the SimdOps helper named after its opcode, which RyuJIT inlines, so the reinterpretation per lane shape
// costs nothing and the value never leaves a register. The helper's signature gives the stack effect. Constants and
// shuffle immediates are emitted as vector constants; memory forms are in FunctionCompiler.SimdMemory.cs.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_vectorCreate = typeof(Vector128).GetMethod(nameof(Vector128.Create), [typeof(ulong), typeof(ulong)])!;
    private static readonly MethodInfo s_vectorAsByte = typeof(Vector128).GetMethod(nameof(Vector128.AsByte))!.MakeGenericMethod(typeof(ulong));

    /// <summary>
    /// The SimdOps helper of every vector opcode, found by name. In a holder class of its own so that it is built
    /// (reflection over every SimdOps method, an Enum.TryParse each, a FrozenDictionary) only when a module uses SIMD:
    /// as a static field of FunctionCompiler it was built by every compilation, an empty module's too (RATIONALE.md,
    /// "Start-up: an empty module's `weft run`, third look").
    /// </summary>
    private static class SimdHelpers
    {
        internal static readonly FrozenDictionary<Opcode, MethodInfo> ByOpcode = typeof(SimdOps)
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Ok: Enum.TryParse<Opcode>(m.Name, out var op) && IsSimd(op), Opcode: op, Method: m))
            .Where(h => h.Ok)
            .ToFrozenDictionary(h => h.Opcode, h => h.Method);
    }

    private static bool IsSimd(Opcode op) => ((int)op >> 12) == 0xFD;

    /// <summary>Whether the compiler can emit <paramref name="op"/> (a vector opcode).</summary>
    internal static bool SupportsSimd(Opcode op) => SimdHelpers.ByOpcode.ContainsKey(op);

    private bool TryEmitSimd(in Instruction ins)
    {
        if (!IsSimd(ins.Opcode)) return false;
        switch (ins.Opcode)
        {
            case Opcode.V128Const: EmitV128Const(ins.Value, ins.Value2); return true;
            case Opcode.I8x16Shuffle: EmitI8x16Shuffle(ins.Value, ins.Value2); return true;
        }
        if (!SimdHelpers.ByOpcode.TryGetValue(ins.Opcode, out var helper)) return false;
        switch (ins.Info.Immediates)
        {
            case ImmediateKind.MemArg:
            case ImmediateKind.MemArgLane:
                EmitSimdMemory(ins, helper);
                return true;
            case ImmediateKind.Lane:
                _il.Emit(OpCodes.Ldc_I4, (int)ins.Byte);
                EmitSimdCall(helper, operands: helper.GetParameters().Length - 1);
                return true;
            default:
                EmitSimdCall(helper, operands: helper.GetParameters().Length);
                return true;
        }
    }

    /// <summary>Calls a helper whose first <paramref name="operands"/> parameters are on the stack; pushes its result.</summary>
    private void EmitSimdCall(MethodInfo helper, int operands)
    {
        Call(helper);
        Pop(operands);
        if (helper.ReturnType != typeof(void)) Push(KindOfClr(helper.ReturnType));
    }

    private static StackKind KindOfClr(Type type) =>
        type == typeof(int) ? StackKind.I32
        : type == typeof(long) ? StackKind.I64
        : type == typeof(float) ? StackKind.F32
        : type == typeof(double) ? StackKind.F64
        : type == ClrTypes.V128 ? StackKind.V128
        : throw new InvalidOperationException($"no wasm value has the CLR type {type}");

    private void EmitV128Const(ulong low, ulong high)
    {
        if (SimdConstants.TryGet(low, high, out var field)) _il.Emit(OpCodes.Ldsfld, field);
        else EmitVectorLiteral(low, high);
        Push(StackKind.V128);
    }

    /// <summary>Vector128.Create(low, high).AsByte(), which RyuJIT imports as one vector constant.</summary>
    private void EmitVectorLiteral(ulong low, ulong high)
    {
        _il.Emit(OpCodes.Ldc_I8, (long)low);
        _il.Emit(OpCodes.Ldc_I8, (long)high);
        Call(s_vectorCreate);
        Call(s_vectorAsByte);
    }

    /// <summary>i8x16.shuffle: the 16 lane indices (validated to be below 32) become a constant mask operand.</summary>
    private void EmitI8x16Shuffle(ulong low, ulong high)
    {
        EmitVectorLiteral(ShuffleMask(low), ShuffleMask(high));
        Call(SimdHelpers.ByOpcode[Opcode.I8x16Shuffle]);
        Pop(2);
        Push(StackKind.V128);
    }

    private static ulong ShuffleMask(ulong lanes)
    {
        ulong mask = 0;
        for (int i = 0; i < 8; i++)
        {
            ulong lane = SimdOps.ShuffleMaskLane((byte)(lanes >> (8 * i)));
            mask |= lane << (8 * i);
        }
        return mask;
    }
}
