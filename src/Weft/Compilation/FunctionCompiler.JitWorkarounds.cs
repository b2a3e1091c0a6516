using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;

namespace Weft.Compilation;

// Workarounds for RyuJIT bugs that make correct IL compute wrong results (docs/RATIONALE.md, "RyuJIT workarounds").
// The rotate and xor ones pass a value through a temporary used twice and push `t & t`: with two uses the temporary is
// never forward-substituted, so a consumer sees a local where the bug's pattern needs the producing node, and RyuJIT
// later folds `t & t` (or merges it into the `test` of a compare), so the machine code keeps its instructions.
internal sealed partial class FunctionCompiler
{
    /// <summary>Replaces the integer on top of the IL stack by <c>t &amp; t</c> for a fresh temporary t.</summary>
    private void EmitJitOpaque(StackKind kind)
    {
        var temp = Temp(kind);
        _il.Emit(OpCodes.Stloc, temp);
        _il.Emit(OpCodes.Ldloc, temp);
        _il.Emit(OpCodes.Ldloc, temp);
        _il.Emit(OpCodes.And);
        Free(temp);
    }

    // dotnet/runtime#129288 (fixed by #129348, not in .NET 10): lowering lets a compare of a constant-count rotate with
    // zero reuse the rotate's flags, but ROL/ROR set no ZF/SF. A rotate result, and an `or` (RyuJIT turns shift pairs
    // joined by `or` into rotates), never reaches a compare as the rotate node itself.
    private void RotateThenHide(StackKind kind, MethodInfo method)
    {
        if (kind == StackKind.I64) _il.Emit(OpCodes.Conv_I4);
        OpCall(2, kind, method);
        EmitJitOpaque(kind);
    }

    private void OrThenHide(StackKind kind)
    {
        Op(2, kind, OpCodes.Or);
        EmitJitOpaque(kind);
    }

    // dotnet/runtime#133864 (open): morph turns `(x << y) ^ (x >>> (N - y))` into a rotate, which is wrong when y is a
    // multiple of N (the xor is 0). The pattern needs both operands to be the shift nodes, so the top one is hidden.
    private void HideThenXor(StackKind kind)
    {
        EmitJitOpaque(kind);
        Op(2, kind, OpCodes.Xor);
    }

    // dotnet/runtime#133580 (fixed by #133597, not in .NET 10): lowering drops the bitcast of a one- or two-byte load
    // by retyping the load as a float, which then reads four bytes. The operand goes through i64 and back: RyuJIT folds
    // that round trip away, except that a small load keeps an explicit extension, which the bitcast removal leaves
    // alone. The code is what it should be: one float load for i32.load, movzx/movsx and vmovd for narrow loads.
    // i64 needs nothing: its narrow loads already end in Weft's own conv.i8/conv.u8.
    private void ReinterpretI32AsF32(MethodInfo method)
    {
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Conv_I4);
        OpCall(1, StackKind.F32, method);
    }
}
