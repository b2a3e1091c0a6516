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
    public int[] For(uint typeIndex) => For(typeIndex, null);

    /// <summary>
    /// As <see cref="For(uint)"/> for a site whose function operand is <c>struct.get</c> of field
    /// <paramref name="source"/>.Field of struct type index <paramref name="source"/>.Type: only the functions the
    /// module's code stores into that field are candidates (<see cref="FieldFunctions"/>), when it knows them.
    /// </summary>
    public int[] For(uint typeIndex, (uint Type, uint Field)? source)
    {
        if (!Enabled || _module.Lazy) return [];
        lock (_byType)
        {
            var s = source.GetValueOrDefault();
            var key = (typeIndex, s.Type, s.Field);
            // Once per (type, field) source: a module's sites share a few, and the union of what a field holds can
            // be large (a wasm_of_ocaml-shaped module stores thousands of functions in its closures' code field).
            if (source.HasValue && _byField.TryGetValue(key, out var byField)) return byField;
            HashSet<int>? stored = null;
            if (source.HasValue && FieldFunctions.Enabled)
            {
                _fields ??= FieldFunctions.Of(_module.Valid);
                stored = _fields.For(_module.Valid.Type(s.Type), (int)s.Field);
            }
            int[] result;
            if (stored is null)
            {
                if (!_byType.TryGetValue(typeIndex, out var cached)) _byType[typeIndex] = cached = Find(typeIndex, null);
                result = cached;
            }
            else
            {
                result = Find(typeIndex, stored);
                FieldNarrowedSites++;
            }
            if (source.HasValue) _byField[key] = result;
            return result;
        }
    }

    private FieldFunctions? _fields;
    private readonly Dictionary<(uint, uint, uint), int[]> _byField = [];

    /// <summary>How many distinct (type, field) call_ref sources got candidates from the field scan (a probe for the tests).</summary>
    internal int FieldNarrowedSites { get; private set; }

    private int[] Find(uint typeIndex, HashSet<int>? stored)
    {
        var siteType = _module.Valid.Types[(int)typeIndex];
        var valid = _module.Valid;
        int imported = _module.ImportedFunctionCount;
        var candidates = new List<int>();
        for (int d = 0; d < _module.Methods.Length; d++)
        {
            // Only a declared function (element segment, export, global, elem declare) can become a reference.
            if (!valid.IsDeclared((uint)(imported + d))) continue;
            if (stored is not null && !stored.Contains(imported + d)) continue;
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
        && IsReplayable(_module.Module.Codes[defined], _module.FunctionTypes[_module.ImportedFunctionCount + defined].Params.Count, _module.Options,
            _module.FunctionTypes[_module.ImportedFunctionCount + defined].Params);

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

    /// <summary>WEFT_FORWARDER_CLONES=0 calls forwarders (see <see cref="ForwarderFor"/>) as they are (for A/B measurements).</summary>
    internal static readonly bool ForwarderClones = Environment.GetEnvironmentVariable("WEFT_FORWARDER_CLONES") != "0";

    private readonly Dictionary<int, MethodInfo?> _forwarders = [];
    private readonly Dictionary<(int Via, int Defined), MethodInfo?> _via = [];

    /// <summary>How many forwarder clones this module has been given (a probe for the tests).</summary>
    internal int ForwarderCount { get; private set; }

    /// <summary>
    /// The clone that direct calls of defined function <paramref name="defined"/> call instead of it when the function
    /// is a <b>forwarder</b>: its code passes its own parameters, unchanged and in order, to a <c>call_ref</c> of a
    /// function it only reads (e.g. <c>(call_ref $fn (local.get 0) (local.get 1) (struct.get $clo $code (local.get
    /// 0)))</c>, a closure's apply) and returns what that returns. The clone is marked AggressiveInlining: its
    /// guards call the candidates' own clones, whose trap sites replay the forwarder (the candidate's arguments are
    /// the forwarder's), and a miss calls the forwarder itself instead of the calli. Every path that can end in a
    /// trap or an exception therefore runs through the forwarder's real frame, so backtraces keep it although the
    /// clone has none. Null when the function is no forwarder or no guard would pay.
    /// </summary>
    public MethodInfo? ForwarderFor(int defined)
    {
        if (!Enabled || !ForwarderClones || _module.Lazy) return null;
        lock (_forwarders)
        {
            if (_forwarders.TryGetValue(defined, out var known)) return known;
            _forwarders[defined] = null; // while compiling (the clone's own calls never reach this again)
            var clone = FindForwarder(defined);
            _forwarders[defined] = clone;
            return clone;
        }
    }

    private MethodBuilder? FindForwarder(int defined)
    {
        if (_module.Leaves[defined] != LeafKind.None || _module.MayLeavePending[defined]) return null;
        if (_module.Methods[defined] is not MethodBuilder original) return null;
        // Its traps and misses run the forwarder itself again.
        if (!ReplaysAllowed(_module.Options)) return null;
        int index = _module.ImportedFunctionCount + defined;
        var type = _module.FunctionTypes[index];
        var body = _module.Module.Codes[defined];
        if (ForwardedCall(body, type, _module.FuncTypeAt) is not { } site) return null;
        var candidates = For(site.TypeIndex, site.Source);
        bool any = false;
        foreach (int d in candidates) any |= TargetVia(defined, d) is not null;
        if (!any) return null;
        var declaring = (TypeBuilder)original.DeclaringType!;
        // No '$' and no leading 'f' followed by a digit: Backtrace shows no frame for it (should RyuJIT not inline it).
        var clone = declaring.DefineMethod($"inline_{index}",
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            ClrTypes.ReturnType(type.Results), ClrTypes.ParameterTypes(type.Params, _module.ContextType));
        clone.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        new FunctionCompiler(_module, defined, type, body, clone, outlined: false) { ReplayTarget = original, Forwarding = defined }.Compile();
        ForwarderCount++;
        return clone;
    }

    /// <summary>
    /// The call_ref of a forwarder's code (see <see cref="ForwarderFor"/>): its type and, when the function operand is
    /// a <c>struct.get</c>, that field; null when the code is not of that shape.
    /// </summary>
    internal static (uint TypeIndex, (uint Type, uint Field)? Source)? ForwardedCall(FunctionBody body, FuncType type, Func<uint, FuncType> funcTypeAt)
    {
        if (body.Code.Length > MaxCloneBytes) return null;
        var reader = new InstructionReader(body.Code.Span);
        int n = type.Params.Count;
        for (int i = 0; i < n; i++)
        {
            if (reader.AtEnd) return null;
            var get = reader.Read();
            if (get.Opcode != Opcode.LocalGet || get.Index != (uint)i) return null;
        }
        Instruction previous = default;
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                // Reads only: re-running them from the start finds the same function.
                case Opcode.LocalGet or Opcode.GlobalGet or Opcode.StructGet or Opcode.RefAsNonNull
                    or Opcode.RefCast or Opcode.RefCastNull:
                    previous = ins;
                    continue;
                case Opcode.CallRef:
                {
                    if (reader.AtEnd || reader.Read().Opcode != Opcode.End || !reader.AtEnd) return null;
                    var callee = funcTypeAt(ins.Index);
                    if (!callee.Params.SequenceEqual(type.Params) || !callee.Results.SequenceEqual(type.Results)) return null;
                    (uint, uint)? source = previous.Opcode == Opcode.StructGet ? (previous.Index, previous.Index2) : null;
                    return (ins.Index, source);
                }
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>
    /// What the clone of forwarder <paramref name="forwarder"/> calls on a guard hit for candidate
    /// <paramref name="defined"/>: a safe leaf as it is; a replayable leaf through a clone whose trap sites replay
    /// the forwarder (with the same arguments: the forwarder passes its own); null when neither (the clone then
    /// calls the forwarder).
    /// </summary>
    public MethodInfo? TargetVia(int forwarder, int defined)
    {
        lock (_via)
        {
            if (_via.TryGetValue((forwarder, defined), out var known)) return known;
            MethodInfo? target = null;
            var forwarderMethod = _module.Methods[forwarder];
            var candidateType = _module.FunctionTypes[_module.ImportedFunctionCount + defined];
            var forwarderType = _module.FunctionTypes[_module.ImportedFunctionCount + forwarder];
            bool sameClr = ClrTypes.ParameterTypes(candidateType.Params, _module.ContextType)
                .SequenceEqual(ClrTypes.ParameterTypes(forwarderType.Params, _module.ContextType));
            if (OwnMethodInlines(defined)) target = _module.Methods[defined];
            else if (sameClr && Replayable(defined) && forwarderMethod is MethodBuilder via)
            {
                int index = _module.ImportedFunctionCount + defined;
                var original = (MethodBuilder)_module.Methods[defined];
                var clone = ((TypeBuilder)original.DeclaringType!).DefineMethod($"through_{_module.ImportedFunctionCount + forwarder}_{index}",
                    MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                    ClrTypes.ReturnType(candidateType.Results), ClrTypes.ParameterTypes(candidateType.Params, _module.ContextType));
                clone.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
                new FunctionCompiler(_module, defined, candidateType, _module.Module.Codes[defined], clone, outlined: false) { ReplayTarget = via }.Compile();
                CloneCount++;
                target = clone;
            }
            _via[(forwarder, defined)] = target;
            return target;
        }
    }

    /// <summary>
    /// Whether re-running <paramref name="body"/> from its start with the same arguments takes the same path: it only
    /// reads (locals, globals, struct and array fields, casts), calls nothing, never assigns a parameter, and every
    /// trap it can raise is a compiled trap site (not one inside a runtime helper, whose frame would be on top).
    /// </summary>
    internal static bool IsReplayable(FunctionBody body, int paramCount, CodeOptions options) =>
        IsReplayable(body, paramCount, options, parameters: null);

    /// <summary>
    /// As <see cref="IsReplayable(FunctionBody, int, CodeOptions)"/>, and (<see cref="ReplayWrites"/>, with the
    /// parameter types given) a function that writes struct fields is replayable too when every instruction that can
    /// trap comes before its first write: the code has no loop, so every branch goes forward and an instruction
    /// that runs after a write also comes after it in the code. A trap therefore always happens before anything was
    /// written, and the original re-run from its start sees the state the clone saw (docs/RATIONALE.md, "GC calls:
    /// call_ref candidates from the fields they are stored in, replay clones that write").
    /// </summary>
    internal static bool IsReplayable(FunctionBody body, int paramCount, CodeOptions options, IReadOnlyList<ValType>? parameters)
    {
        if (!ReplaysAllowed(options)) return false;
        if (body.Code.Length > MaxCloneBytes) return false;
        bool writes = ReplayWrites && parameters is not null;
        bool wrote = false, loops = false;
        Instruction previous = default;
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
                // A struct write may itself trap (a null reference), before it writes: only one that is the first.
                case Opcode.StructSet:
                    if (!writes || wrote) return false;
                    wrote = true;
                    break;
                case Opcode.Loop:
                    loops = true;
                    break;
                // Its clone tests the divisor at a trap site of its own (EmitReplayedDivisorCheck).
                case var division when writes && ReplayDivisions && IsReplayedDivision(division):
                    if (wrote) return false;
                    break;
                case Opcode.StructGet or Opcode.StructGetS or Opcode.StructGetU:
                    if (wrote && !IsNonNullLocal(previous, body, parameters!)) return false;
                    break;
                case Opcode.ArrayGet or Opcode.ArrayGetS or Opcode.ArrayGetU or Opcode.ArrayLen
                    or Opcode.RefCast or Opcode.RefCastNull or Opcode.RefAsNonNull
                    or Opcode.I31GetS or Opcode.I31GetU or Opcode.Unreachable:
                    if (wrote) return false;
                    break;
                default:
                    if (!LeafFunctions.CannotTrap(ins.Opcode, options)) return false;
                    break;
            }
            previous = ins;
        }
        // With a loop, a trap earlier in the code could run after a write of an earlier iteration.
        return !(wrote && loops);
    }

    /// <summary>
    /// Whether code compiled with <paramref name="options"/> may run twice for one call (replay clones here, the host
    /// entries' copies in HostEntryReplay): not with fuel or interrupt checks, which would run twice, nor with a budget
    /// of GC allocations, which would be charged twice.
    /// </summary>
    internal static bool ReplaysAllowed(CodeOptions options) => !(options.ConsumeFuel || options.Interruptible || options.LimitGcAllocations);

    /// <summary>WEFT_REPLAY_DIVISIONS=0 keeps divisions out of replay clones (for A/B measurements).</summary>
    internal static readonly bool ReplayDivisions = Environment.GetEnvironmentVariable("WEFT_REPLAY_DIVISIONS") != "0";

    /// <summary>The divisions whose only trap is a zero divisor (div_s also overflows, and stays out).</summary>
    internal static bool IsReplayedDivision(Opcode op) =>
        op is Opcode.I32DivU or Opcode.I32RemU or Opcode.I32RemS or Opcode.I64DivU or Opcode.I64RemU or Opcode.I64RemS;

    /// <summary>WEFT_REPLAY_WRITES=0 keeps replay clones to functions that write nothing (for A/B measurements).</summary>
    internal static readonly bool ReplayWrites = Environment.GetEnvironmentVariable("WEFT_REPLAY_WRITES") != "0";

    // The operand of a struct.get right after `local.get x` of a non-nullable reference local: never null (the
    // validator's types), so that struct.get cannot trap.
    private static bool IsNonNullLocal(in Instruction previous, FunctionBody body, IReadOnlyList<ValType> parameters)
    {
        if (previous.Opcode is not (Opcode.LocalGet or Opcode.LocalTee)) return false;
        ulong index = previous.Index;
        ValType? type = null;
        if (index < (ulong)parameters.Count) type = parameters[(int)index];
        else
        {
            ulong rest = index - (ulong)parameters.Count;
            foreach (var decl in body.Locals)
            {
                if (rest < decl.Count) { type = decl.Type; break; }
                rest -= decl.Count;
            }
        }
        return type is { IsRef: true, Nullable: false };
    }
}
