using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// call_ref's guarded direct calls and the replay clones they call (CallRefTargets; docs/RATIONALE.md, "call_ref:
// guarded direct calls and replay clones").
internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// Set when this compiler emits a replay clone of a leaf: the leaf's own method, which every trap site calls with
    /// the original arguments before trapping, so that the trap is raised in the leaf's frame.
    /// </summary>
    internal MethodInfo? ReplayTarget { get; init; }

    /// <summary>
    /// Set when this compiler emits the inlinable clone of a forwarder (CallRefTargets.ForwarderFor): the defined
    /// index of the forwarder. Its guards call clones that replay the forwarder, a miss calls the forwarder itself
    /// (<see cref="ReplayTarget"/>), and it has no stack guard (every path that goes deeper runs through the
    /// forwarder's own).
    /// </summary>
    internal int? Forwarding { get; init; }

    private void EmitReplayBeforeTrap()
    {
        if (ReplayTarget is null) return;
        // Whatever the IL stack holds stays there: the throw that follows discards it.
        for (int i = 0; i < _paramCount; i++) _il.Emit(OpCodes.Ldarg, i);
        EmitLoadContext();
        _il.Emit(OpCodes.Call, ReplayTarget);
        if (ReplayTarget.ReturnType != typeof(void)) _il.Emit(OpCodes.Pop);
    }

    /// <summary>
    /// In a replay clone, a division whose only trap is a zero divisor (div_u, rem_u, rem_s) first tests the divisor
    /// at a compiled trap site, which replays the original: the runtime helper that follows would otherwise throw
    /// from inside the clone, without the original's frame. The helper's own test then never fires (RyuJIT drops it).
    /// </summary>
    private void EmitReplayedDivisorCheck(Opcode op)
    {
        if (ReplayTarget is null || !CallRefTargets.IsReplayedDivision(op)) return;
        var nonZero = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, nonZero);
        EmitTrap(TrapKind.IntegerDivideByZero);
        _il.MarkLabel(nonZero);
    }

    /// <summary>
    /// With the arguments on the stack and the (non-null) function in <paramref name="function"/>: one identity
    /// compare against this instance's own function object per candidate, a direct call of the candidate's inlinable
    /// method on a match, the usual calli after the last miss. False (nothing emitted) when the site has no candidates.
    /// </summary>
    private bool TryEmitGuardedCalls(uint typeIndex, LocalBuilder function, FuncType type, (uint Type, uint Field)? source)
    {
        var candidates = _module.CallRefs.For(typeIndex, source);
        if (Forwarding is int forwarder)
        {
            var reachable = new List<int>();
            foreach (int d in candidates)
            {
                if (_module.CallRefs.TargetVia(forwarder, d) is not null) reachable.Add(d);
            }
            candidates = [.. reachable];
        }
        if (candidates.Length == 0) return false;
        var done = _il.DefineLabel();
        var fallback = _il.DefineLabel();
        var functions = Temp(typeof(Function[]));
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextFunctions);
        _il.Emit(OpCodes.Stloc, functions);
        if (GuardLengthCheck)
        {
            // One length check up front (never failing: the array holds every function of the instance) lets RyuJIT
            // drop the bounds check of each constant index below.
            _il.Emit(OpCodes.Ldloc, functions);
            _il.Emit(OpCodes.Ldlen);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, _module.ImportedFunctionCount + candidates.Max());
            _il.Emit(OpCodes.Ble, fallback);
        }
        foreach (int defined in candidates)
        {
            var next = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, function);
            _il.Emit(OpCodes.Ldloc, functions);
            _il.Emit(OpCodes.Ldc_I4, _module.ImportedFunctionCount + defined);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Bne_Un, next);
            // The same function of the same instance: what `call` of it does (its context is this one).
            EmitLoadContext();
            EmitBeforeCall();
            _il.Emit(OpCodes.Call, Forwarding is int via ? _module.CallRefs.TargetVia(via, defined)! : _module.CallRefs.Target(defined)!);
            _il.Emit(OpCodes.Br, done);
            _il.MarkLabel(next);
        }
        Free(functions);
        _il.MarkLabel(fallback);
        if (Forwarding is not null)
        {
            // The arguments on the stack are the forwarder's own parameters: the forwarder, frame and all, does the rest.
            EmitLoadContext();
            EmitBeforeCall();
            _il.Emit(OpCodes.Call, ReplayTarget!);
        }
        else EmitCallFunctionObject(function, type, tail: false);
        _il.MarkLabel(done);
        Interlocked.Increment(ref GuardedCallRefSites);
        return true;
    }

    /// <summary>
    /// The struct field the function operand on top of the stack was just read from (the instruction emitted before
    /// is <c>struct.get $t $f</c>), for the call_ref candidates picked by field; null otherwise.
    /// </summary>
    private (uint Type, uint Field)? TopReadFromField() =>
        _hasPrevious && _previous.Opcode == Opcode.StructGet ? (_previous.Index, _previous.Index2) : null;

    /// <summary>WEFT_GUARD_LENGTH_CHECK=0 leaves each guard's load of context.Functions[k] bounds-checked (for A/B measurements).</summary>
    internal static readonly bool GuardLengthCheck = Environment.GetEnvironmentVariable("WEFT_GUARD_LENGTH_CHECK") != "0";

    /// <summary>How many call_ref sites were compiled with guards, process-wide (a probe for the tests).</summary>
    internal static int GuardedCallRefSites;
}
