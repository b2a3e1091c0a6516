using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Guarded direct calls for <c>call_ref</c> (docs/RATIONALE.md, "call_ref: guarded direct calls and replay clones").
/// RyuJIT cannot inline through a calli, so a call_ref site whose type only a few of the module's own functions can
/// have is compiled as <c>if (f == context.Functions[k]) call k directly; ... else calli</c>. Only the fast path is a
/// guess: the compare is an identity test against the calling instance's own function object, so a function from
/// anywhere else (an import, a table, another instance, the host) takes the calli as before.
/// <para>
/// Guarded are only candidates whose direct call RyuJIT can inline (a guard that only turns a calli into a call
/// costs a compare for nothing on the other targets): safe leaves (already AggressiveInlining), and trapping leaves
/// that are <b>replayable</b>, through a clone of theirs. The clone is the same code, marked AggressiveInlining,
/// except that each trap site first calls the original function with the original arguments: the function reads
/// only (no stores, no calls, parameters never assigned), so the original takes the same path and traps in its own
/// frame, which keeps the wasm backtrace exact although the clone has no frame. (Should the original return, which
/// only a racing write to shared memory could cause, the clone traps as it found it should, with the clone's
/// caller on top of the backtrace.)
/// </para>
/// </summary>
internal sealed class CallRefTargets
{
    /// <summary>WEFT_CALL_REF_GUARDS=0 compiles every call_ref as a calli (for A/B measurements).</summary>
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("WEFT_CALL_REF_GUARDS") != "0";

    /// <summary>
    /// A site with more candidates than this is not guarded (each miss costs a compare). WEFT_CALL_REF_GUARD_MAX=n
    /// overrides the default for measurements.
    /// </summary>
    internal static readonly int MaxGuards =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_CALL_REF_GUARD_MAX"), out int n) && n > 0 ? n : 4;

    /// <summary>WEFT_CALL_REF_GUARD_DIRECT=1 also guards candidates RyuJIT will not inline (direct call instead of calli; measured, not the default).</summary>
    internal static readonly bool GuardAll = Environment.GetEnvironmentVariable("WEFT_CALL_REF_GUARD_DIRECT") == "1";

    /// <summary>Replay clones are small: at most this many code bytes (as the inlining of safe leaves).</summary>
    internal const int MaxCloneBytes = 64;

    private readonly ModuleCompiler _module;
    private readonly Dictionary<uint, int[]> _byType = [];
    private readonly MethodInfo?[] _targets;
    private readonly bool[] _targetKnown;

    /// <summary>How many replay clones this module has been given (a probe for the tests).</summary>
    internal int CloneCount { get; private set; }

    public CallRefTargets(ModuleCompiler module)
    {
        _module = module;
        _targets = new MethodInfo?[module.Methods.Length];
        _targetKnown = new bool[module.Methods.Length];
    }

    /// <summary>
    /// The defined functions a guarded call_ref of type <paramref name="typeIndex"/> compares against, in order; empty
    /// when the site stays a plain calli (guards off, lazy code, too many candidates, none inlinable).
    /// </summary>
    public int[] For(uint typeIndex)
    {
        if (!Enabled || _module.Lazy) return [];
        lock (_byType)
        {
            if (_byType.TryGetValue(typeIndex, out var cached)) return cached;
            var result = Find(typeIndex);
            _byType[typeIndex] = result;
            return result;
        }
    }

    private int[] Find(uint typeIndex)
    {
        var siteType = _module.Valid.Types[(int)typeIndex];
        var valid = _module.Valid;
        int imported = _module.ImportedFunctionCount;
        var candidates = new List<int>();
        for (int d = 0; d < _module.Methods.Length; d++)
        {
            // Only a declared function (element segment, export, global, elem declare) can become a reference.
            if (!valid.IsDeclared((uint)(imported + d))) continue;
            if (!valid.Functions[imported + d].IsSubtypeOf(siteType)) continue;
            if (!GuardAll && !Inlinable(d)) continue;
            candidates.Add(d);
            if (candidates.Count > MaxGuards) return [];
        }
        // Defined (clones compiled) only for the sites that get guards.
        foreach (int d in candidates) Target(d);
        return [.. candidates];
    }

    private bool OwnMethodInlines(int defined) =>
        _module.Methods[defined] is MethodBuilder builder && (builder.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) != 0;

    private bool Replayable(int defined) =>
        _module.Leaves[defined] == LeafKind.Leaf && !_module.MayLeavePending[defined]
        && IsReplayable(_module.Module.Codes[defined], _module.FunctionTypes[_module.ImportedFunctionCount + defined].Params.Count, _module.Options);

    private bool Inlinable(int defined) => OwnMethodInlines(defined) || Replayable(defined);

    /// <summary>
    /// The method a guarded call of defined function <paramref name="defined"/> calls: the function's own method when
    /// it is AggressiveInlining, its replay clone when it is a replayable leaf, else (only when every candidate is
    /// guarded) the function's method; null when a guard for it would not pay.
    /// </summary>
    public MethodInfo? Target(int defined)
    {
        lock (_targets)
        {
            if (_targetKnown[defined]) return _targets[defined];
            var target = FindTarget(defined);
            _targets[defined] = target;
            _targetKnown[defined] = true;
            return target;
        }
    }

    private MethodInfo? FindTarget(int defined)
    {
        var method = _module.Methods[defined];
        if (OwnMethodInlines(defined)) return method;
        if (Replayable(defined)) return DefineClone(defined, (MethodBuilder)method);
        return GuardAll ? method : null;
    }

    private MethodBuilder DefineClone(int defined, MethodBuilder original)
    {
        int index = _module.ImportedFunctionCount + defined;
        var type = _module.FunctionTypes[index];
        var declaring = (TypeBuilder)original.DeclaringType!;
        // No '$' and no leading 'f': Backtrace shows no frame for it (should RyuJIT not inline it after all).
        var clone = declaring.DefineMethod($"replay_{index}",
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            ClrTypes.ReturnType(type.Results), ClrTypes.ParameterTypes(type.Params, _module.ContextType));
        clone.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        new FunctionCompiler(_module, defined, type, _module.Module.Codes[defined], clone, outlined: false) { ReplayTarget = original }.Compile();
        CloneCount++;
        return clone;
    }

    /// <summary>
    /// Whether re-running <paramref name="body"/> from its start with the same arguments takes the same path: it only
    /// reads (locals, globals, struct and array fields, casts), calls nothing, never assigns a parameter, and every
    /// trap it can raise is a compiled trap site (not one inside a runtime helper, whose frame would be on top).
    /// </summary>
    internal static bool IsReplayable(FunctionBody body, int paramCount, CodeOptions options)
    {
        // Fuel and interrupt checks would run twice; a budget of GC allocations would be charged twice.
        if (options.ConsumeFuel || options.Interruptible || options.LimitGcAllocations) return false;
        if (body.Code.Length > MaxCloneBytes) return false;
        var reader = new InstructionReader(body.Code.Span);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                case Opcode.LocalSet or Opcode.LocalTee:
                    if (ins.Index < (uint)paramCount) return false;
                    break;
                // A write: the replay would see its effect.
                case Opcode.GlobalSet:
                    return false;
                case Opcode.StructGet or Opcode.StructGetS or Opcode.StructGetU
                    or Opcode.ArrayGet or Opcode.ArrayGetS or Opcode.ArrayGetU or Opcode.ArrayLen
                    or Opcode.RefCast or Opcode.RefCastNull or Opcode.RefAsNonNull
                    or Opcode.I31GetS or Opcode.I31GetU or Opcode.Unreachable:
                    break;
                default:
                    if (!LeafFunctions.CannotTrap(ins.Opcode, options)) return false;
                    break;
            }
        }
        return true;
    }
}
