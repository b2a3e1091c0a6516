using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>What a defined function's code lets the compiler leave out (see docs/RATIONALE.md "GC steady state, second look").</summary>
internal enum LeafKind : byte
{
    /// <summary>The function calls, or is too large to classify: compiled as always.</summary>
    None,

    /// <summary>
    /// No call of any kind (call, call_indirect, call_ref, their tail forms, throws), a small frame, and no direct
    /// call to it: it cannot recurse, so it needs no stack guard of its own (the store keeps at least 256 KB below the
    /// guard's limit, far more than one small frame). It may still trap; it is marked NoInlining, so it keeps its
    /// frame in backtraces.
    /// </summary>
    Leaf,

    /// <summary>
    /// A <see cref="Leaf"/> that cannot trap either (no memory or table access, no div/rem or trapping conversion, no
    /// null check or cast that fails, no allocation, no unreachable, no fuel or interrupt check): no backtrace can ever
    /// contain it, so marking it AggressiveInlining changes none.
    /// </summary>
    SafeLeaf,
}

/// <summary>Classifies defined functions as <see cref="LeafKind"/>s from their encoded code.</summary>
internal static class LeafFunctions
{
    /// <summary>Larger functions are not classified (their stack guard costs nothing next to their body).</summary>
    internal const int MaxCodeBytes = 512;

    /// <summary>A leaf's frame stays small: at most this many locals (parameters included).</summary>
    internal const int MaxLocals = 64;

    /// <summary>WEFT_LEAF_FUNCTIONS=0 classifies nothing (for A/B measurements): every function as before.</summary>
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_LEAF_FUNCTIONS") != "0";

    /// <summary>
    /// Classifies every defined function of <paramref name="module"/>. A <see cref="LeafKind.Leaf"/> that some function
    /// calls directly stays <see cref="LeafKind.None"/>: without its guard it could be small enough for RyuJIT's own
    /// heuristics to inline into that caller, and a trap in it would then lose its frame. The others are reached only
    /// through function objects (call_ref, call_indirect, exports), which RyuJIT cannot inline through. Who calls whom
    /// comes from <paramref name="directCalls"/> (the module's <see cref="DirectCalls"/>, shared with the other
    /// analyses; read from the module when not given), asked for only when some leaf may trap.
    /// </summary>
    public static LeafKind[] Classify(Syntax.Module module, IReadOnlyList<FuncType> functionTypes, int importedFunctions, CodeOptions options,
        Func<DirectCalls>? directCalls = null)
    {
        var kinds = new LeafKind[module.Codes.Count];
        if (!Enabled) return kinds;
        bool any = false;
        for (int i = 0; i < kinds.Length; i++)
        {
            kinds[i] = Classify(module.Codes[i], functionTypes[importedFunctions + i].Params.Count, options);
            any |= kinds[i] == LeafKind.Leaf;
        }
        if (!any) return kinds;
        var callers = (directCalls ?? (() => DirectCalls.Of(module, importedFunctions)))().Callers;
        for (int i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] == LeafKind.Leaf && callers[i] is not null) kinds[i] = LeafKind.None;
        }
        return kinds;
    }

    private static LeafKind Classify(FunctionBody body, int paramCount, CodeOptions options)
    {
        if (body.Code.Length > MaxCodeBytes) return LeafKind.None;
        long locals = paramCount;
        foreach (var decl in body.Locals) locals += decl.Count;
        if (locals > MaxLocals) return LeafKind.None;
        // Fuel and interrupt checks at the entry trap (out of fuel, interrupted), so nothing is trap-free with them.
        bool safe = !options.ConsumeFuel && !options.Interruptible;
        var reader = new InstructionReader(body.Code.Span);
        while (!reader.AtEnd)
        {
            var op = reader.Read().Opcode;
            if (Calls(op)) return LeafKind.None;
            if (safe && !CannotTrap(op, options)) safe = false;
        }
        return safe ? LeafKind.SafeLeaf : LeafKind.Leaf;
    }

    // Everything that transfers to other code or raises: a function with one of these may be deep in a backtrace or
    // recurse, so it keeps its stack guard.
    private static bool Calls(Opcode op) => op is Opcode.Call or Opcode.CallIndirect or Opcode.CallRef
        or Opcode.ReturnCall or Opcode.ReturnCallIndirect or Opcode.ReturnCallRef
        or Opcode.Throw or Opcode.ThrowRef or Opcode.Rethrow or Opcode.Try or Opcode.TryTable or Opcode.Delegate
        or Opcode.Catch or Opcode.CatchAll;

    /// <summary>
    /// The numeric instructions that trap on their operands' values alone (an integer division by zero or overflowing,
    /// a float-to-integer conversion out of range), with no memory, table or reference involved.
    /// </summary>
    internal static bool TrapsByValue(Opcode op) =>
        op is Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU
            or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU
            or Opcode.I32TruncF32S or Opcode.I32TruncF32U or Opcode.I32TruncF64S or Opcode.I32TruncF64U
            or Opcode.I64TruncF32S or Opcode.I64TruncF32U or Opcode.I64TruncF64S or Opcode.I64TruncF64U;

    // A whitelist: anything not named here (memory, tables, SIMD, atomics, struct/array access, ref.cast,
    // ref.as_non_null, i31.get, unreachable, future opcodes) counts as possibly trapping.
    internal static bool CannotTrap(Opcode op, CodeOptions options)
    {
        switch (op)
        {
            case Opcode.Nop or Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else or Opcode.End
                or Opcode.Br or Opcode.BrIf or Opcode.BrTable or Opcode.Return
                or Opcode.Drop or Opcode.Select or Opcode.SelectTyped
                or Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee or Opcode.GlobalGet or Opcode.GlobalSet
                or Opcode.I32Const or Opcode.I64Const or Opcode.F32Const or Opcode.F64Const:
                return true;
            case Opcode.RefNull or Opcode.RefIsNull or Opcode.RefFunc or Opcode.RefEq
                or Opcode.BrOnNull or Opcode.BrOnNonNull or Opcode.RefTest or Opcode.RefTestNull
                or Opcode.BrOnCast or Opcode.BrOnCastFail or Opcode.AnyConvertExtern or Opcode.ExternConvertAny:
                return true;
            // Outside the cache ref.i31 allocates; charged against the GC budget, that allocation may trap.
            case Opcode.RefI31:
                return !options.LimitGcAllocations;
            case Opcode.I32TruncSatF32S or Opcode.I32TruncSatF32U or Opcode.I32TruncSatF64S or Opcode.I32TruncSatF64U
                or Opcode.I64TruncSatF32S or Opcode.I64TruncSatF32U or Opcode.I64TruncSatF64S or Opcode.I64TruncSatF64U:
                return true;
            case var numeric when TrapsByValue(numeric):
                return false;
            default:
                // The one-byte numeric block (comparisons, arithmetic, conversions, reinterpretations, sign extensions).
                return op >= Opcode.I32Eqz && op <= Opcode.I64Extend32S;
        }
    }
}
