using System.Reflection;
using System.Reflection.Emit;
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
    /// With the arguments on the stack and the (non-null) function in <paramref name="function"/>: one identity
    /// compare against this instance's own function object per candidate, a direct call of the candidate's inlinable
    /// method on a match, the usual calli after the last miss. False (nothing emitted) when the site has no candidates.
    /// </summary>
    private bool TryEmitGuardedCalls(uint typeIndex, LocalBuilder function, FuncType type)
    {
        var candidates = _module.CallRefs.For(typeIndex);
        if (candidates.Length == 0) return false;
        var done = _il.DefineLabel();
        var functions = Temp(typeof(Function[]));
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextFunctions);
        _il.Emit(OpCodes.Stloc, functions);
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
            _il.Emit(OpCodes.Call, _module.CallRefs.Target(defined)!);
            _il.Emit(OpCodes.Br, done);
            _il.MarkLabel(next);
        }
        Free(functions);
        EmitCallFunctionObject(function, type, tail: false);
        _il.MarkLabel(done);
        Interlocked.Increment(ref GuardedCallRefSites);
        return true;
    }

    /// <summary>How many call_ref sites were compiled with guards, process-wide (a probe for the tests).</summary>
    internal static int GuardedCallRefSites;
}
