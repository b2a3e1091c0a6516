using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Loop versioning on induction variables (docs/RATIONALE.md, "Bounds checks hoisted out of loops"). An innermost loop
// of the shape clang -O2 writes (a do-while whose last instruction is `br_if 0` on a compare of an induction
// variable with a loop-invariant bound; pointers stepped by constants, `p += 8`) is compiled twice:
//
//       br precheck
//   fast:   the loop with no check on accesses whose address is an induction variable plus a constant
//       br join
//   precheck: from the variables' values at entry, the number of iterations T the back edge allows and, for every
//       induction variable the fast copy used, the range its accesses can touch in T iterations; all in range: br fast
//   slow:   the loop as it always was (checked)
//   join:
//
// Exactness: the fast copy runs only when no access it left unchecked can fault in any of the T iterations (an exit
// before that touches less), so a trap can only happen in the slow copy, which is the unchanged code. The count is
// exact because each induction variable is written once per iteration, unconditionally (a `local.set v (v + c)` at
// the loop body's top level), and the only branch back to the head is that final br_if. A passed check stays valid
// across calls and memory.grow (memories never shrink, CONTRACTS section 1); the base is reloaded after them as
// everywhere. The precheck is emitted after the fast copy because only compiling it tells which accesses the fast
// copy left unchecked; so the loop must start with an empty operand stack (IL then allows the backward jump into it).
internal sealed partial class FunctionCompiler
{
    /// <summary>How the final compare continues the loop: the counter after its increment, OP the bound.</summary>
    internal enum LoopCompare { Ne, LtS, LtU, LeS, LeU, GtS, GtU, GeS, GeU }

    private sealed class VersionedLoop
    {
        public required int LoopPosition;
        public required int EndPosition;
        public required Dictionary<uint, (int Step, int IncrementAt)> Variables;

        /// <summary>Locals the loop writes (how often); any other local is loop-invariant, an induction variable of step 0.</summary>
        public required Dictionary<uint, int> Writes;
        public required uint Counter;
        public required bool BoundIsConstant;
        public required uint BoundLocal;
        public required int BoundConstant;
        public required LoopCompare Compare;
        public bool Fast = true;
        public readonly Dictionary<(uint Memory, uint Local, int Phase), (long Low, long High)> Needs = [];
        public Label FastStart, Precheck, Join;
    }

    /// <summary>Innermost loops larger than this (wasm bytes) are not compiled twice.</summary>
    private const int MaxVersionedLoopBytes = 4000;

    /// <summary>Loops versioned by compilations on this thread (tests check that a shape is versioned at all).</summary>
    [ThreadStatic] internal static int VersionedLoopCount;

    private VersionedLoop? _versioned;

    /// <summary>
    /// Whether loops are versioned at all: on unless WEFT_LOOP_VERSIONING=0. It was off (a measured 25% loss on
    /// nettle-aes, docs/RATIONALE.md "Loop versioning is off by default") until the share rule kept out loops whose
    /// loads mostly keep their checks and the table look-ups of such loops became coverable (IndexedOrigins), which
    /// made nettle-aes's warm run about 15% faster ("Table look-ups in versioned loops").
    /// </summary>
    internal static bool VersionLoops = Environment.GetEnvironmentVariable("WEFT_LOOP_VERSIONING") != "0";

    /// <summary>When set (WEFT_TRACE_BCE=1), receives one line per versioned loop: where, and what its precheck covers.</summary>
    internal static Action<string>? VersionTrace = Environment.GetEnvironmentVariable("WEFT_TRACE_BCE") == "1" ? Console.Error.WriteLine : null;

    private static readonly MethodInfo s_trips = RuntimeMembers.Method(typeof(LoopRanges), nameof(LoopRanges.Trips));
    private static readonly MethodInfo s_fits = RuntimeMembers.Method(typeof(LoopRanges), nameof(LoopRanges.Fits));

    /// <summary>In the fast copy: an access from an induction variable (plus a constant) needs no check; records its range.</summary>
    private bool CoveredByLoopVersion(in Instruction ins, int size, Origin origin, MemoryCache cache)
    {
        if (_versioned is not { Fast: true } loop || origin.Kind is not (OriginKind.Local or OriginKind.Indexed) || cache.Is64) return false;
        if (VersionOf(origin.Local) != origin.Version || ins.Value > uint.MaxValue) return false;
        int phase;
        if (origin.BeforeIncrement)
        {
            // A copy of the variable taken before its increment (LocalOrigin): its value at this iteration.
            if (!loop.Variables.ContainsKey(origin.Local)) return false;
            phase = 0;
        }
        else if (loop.Variables.TryGetValue(origin.Local, out var variable))
        {
            // The value read is the variable's at this iteration (phase 0) or after its increment (phase 1): it was
            // read after the loop head and not rewritten since, so on the same side of the one increment as this access.
            phase = ins.Position > variable.IncrementAt ? 1 : 0;
        }
        else if (IndexedOrigins && !loop.Writes.ContainsKey(origin.Local))
        {
            // A local the loop never writes holds its value at entry in every iteration: a variable of step 0.
            phase = 0;
        }
        else
        {
            return false;
        }
        // An indexed address adds some i32 in [0, Const] (unsigned, below 2^32) to the local's value plus Addend.
        long low = (int)origin.Addend;
        long high = low + (origin.Kind == OriginKind.Indexed ? (long)origin.Const : 0) + (long)ins.Value + size;
        var key = (ins.Index, origin.Local, phase);
        loop.Needs[key] = loop.Needs.TryGetValue(key, out var known) ? (Math.Min(known.Low, low), Math.Max(known.High, high)) : (low, high);
        return true;
    }

    /// <summary>At a loop instruction: starts the fast copy when the loop has the shape versioning handles.</summary>
    private bool TryBeginVersionedLoop(in Instruction ins)
    {
        if (!EliminateBoundsChecks || !VersionLoops || _versioned is not null || _stack.Count != 0 || _flat) return false;
        if (KindsOf(ins.BlockType).Params.Length != 0) return false;
        var plan = PlanVersionedLoop(ins.Position, _nextPosition);
        if (plan is null) return false;
        _versioned = plan;
        plan.FastStart = _il.DefineLabel();
        plan.Precheck = _il.DefineLabel();
        plan.Join = _il.DefineLabel();
        _il.Emit(OpCodes.Br, plan.Precheck);
        _il.MarkLabel(plan.FastStart);
        VersionedLoopCount++;
        return true;
    }

    /// <summary>
    /// After each instruction: at the versioned loop's end, either emits the precheck and rewinds the reader for the
    /// slow copy, or (the slow copy done) joins.
    /// </summary>
    private void AfterVersionedInstruction(in Instruction ins, ref InstructionReader reader)
    {
        if (_versioned is not { } loop || ins.Position != loop.EndPosition) return;
        if (!loop.Fast)
        {
            _il.MarkLabel(loop.Join);
            _versioned = null;
            return;
        }
        // A loop whose end is dead (the body always leaves) has nothing to carry to the join.
        if (!Top.Unreachable) _il.Emit(OpCodes.Br, loop.Join);
        _il.MarkLabel(loop.Precheck);
        loop.Fast = false;
        VersionTrace?.Invoke($"function {_functionIndex} loop at {loop.LoopPosition}: counter {loop.Counter} {loop.Compare} "
            + $"{(loop.BoundIsConstant ? loop.BoundConstant.ToString() : "local " + loop.BoundLocal)}, unchecked ranges "
            + string.Join(", ", loop.Needs.Select(n => $"m{n.Key.Memory} local {n.Key.Local}+[{n.Value.Low},{n.Value.High}) phase {n.Key.Phase}")));
        if (loop.Needs.Count == 0)
        {
            // Nothing was left unchecked: the fast copy is the loop.
            _il.Emit(OpCodes.Br, loop.FastStart);
            _il.MarkLabel(loop.Join);
            _versioned = null;
            return;
        }
        EmitPrecheck(loop);
        // The slow copy starts from the state at the loop instruction: an empty operand stack, reachable.
        _stack.Clear();
        Top.Unreachable = false;
        reader.Seek(loop.LoopPosition);
    }

    /// <summary>Branches to the fast copy when every recorded range is inside its memory; falls through otherwise.</summary>
    private void EmitPrecheck(VersionedLoop loop)
    {
        var slow = _il.DefineLabel();
        var trips = Temp(typeof(long));
        EmitLoadLocalValue(loop.Counter);
        if (loop.BoundIsConstant) _il.Emit(OpCodes.Ldc_I4, loop.BoundConstant);
        else EmitLoadLocalValue(loop.BoundLocal);
        _il.Emit(OpCodes.Ldc_I4, loop.Variables[loop.Counter].Step);
        _il.Emit(OpCodes.Ldc_I4, (int)loop.Compare);
        Call(s_trips);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, trips);
        _il.Emit(OpCodes.Brfalse, slow);
        foreach (var ((memory, local, phase), (low, high)) in loop.Needs)
        {
            EmitLoadLocalValue(local);
            _il.Emit(OpCodes.Ldc_I4, loop.Variables.TryGetValue(local, out var variable) ? variable.Step : 0);
            _il.Emit(OpCodes.Ldc_I4, phase);
            _il.Emit(OpCodes.Ldloc, trips);
            _il.Emit(OpCodes.Ldc_I8, low);
            _il.Emit(OpCodes.Ldc_I8, high);
            _il.Emit(OpCodes.Ldloc, _memories[memory]!.Length);
            Call(s_fits);
            _il.Emit(OpCodes.Brfalse, slow);
        }
        Free(trips);
        _il.Emit(OpCodes.Br, loop.FastStart);
        _il.MarkLabel(slow);
    }

    /// <summary>
    /// Reads the loop body (from <paramref name="bodyStart"/> to its end) and returns its plan when it is an innermost
    /// loop whose induction variables and back edge have the handled shape; null otherwise.
    /// </summary>
    private VersionedLoop? PlanVersionedLoop(int loopPosition, int bodyStart)
    {
        var reader = new InstructionReader(Code);
        reader.Seek(bodyStart);
        var body = new List<Instruction>();
        var depths = new List<int>();
        var writes = new Dictionary<uint, int>();
        var variables = new Dictionary<uint, (int Step, int IncrementAt)>();
        var loadAddresses = new List<uint>();
        var indexedBases = new List<uint>();
        var copies = new Dictionary<uint, uint>();
        int depth = 0, accesses = 0, loads = 0, end = -1;
        while (end < 0)
        {
            if (reader.AtEnd || reader.Position - bodyStart > MaxVersionedLoopBytes) return null;
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                case Opcode.Block:
                case Opcode.If:
                    depth++;
                    break;
                case Opcode.End:
                    if (depth == 0) end = ins.Position;
                    depth--;
                    break;
                case Opcode.Loop: // innermost loops only: at most one extra copy of any code
                case Opcode.Try: // handlers and regions are not compiled twice
                case Opcode.TryTable:
                case Opcode.Catch:
                case Opcode.CatchAll:
                case Opcode.Delegate:
                case Opcode.Rethrow:
                case Opcode.BrOnCast:
                case Opcode.BrOnCastFail:
                    return null;
                case Opcode.Br:
                case Opcode.BrOnNull:
                case Opcode.BrOnNonNull:
                    if (ins.Index == depth) return null;
                    break;
                case Opcode.BrIf:
                    // Only the final br_if may go back to the head (checked below, once the end is known).
                    if (ins.Index == depth && depth != 0) return null;
                    break;
                case Opcode.BrTable:
                    foreach (uint target in InstructionReader.BrTableTargets(Code, ins)) if (target == depth) return null;
                    if (ins.Index == depth) return null;
                    break;
                case Opcode.LocalSet:
                case Opcode.LocalTee:
                    writes[ins.Index] = writes.GetValueOrDefault(ins.Index) + 1;
                    if (depth == 0 && IncrementStep(body, depths, ins.Index) is int step) variables[ins.Index] = (step, ins.Position);
                    else if (depth == 0 && AddressLocal(body) is uint source && source != ins.Index) copies[ins.Index] = source;
                    break;
                default:
                    if (IsPlainLoad(ins.Opcode) || ins.Opcode is >= Opcode.I32Store and <= Opcode.I64Store32) accesses++;
                    if (IsPlainLoad(ins.Opcode))
                    {
                        loads++;
                        if (AddressLocal(body) is uint address) loadAddresses.Add(address);
                        else if (IndexedOrigins && IndexedBase(body) is uint indexBase) indexedBases.Add(indexBase);
                    }
                    break;
            }
            if (end < 0)
            {
                body.Add(ins);
                depths.Add(depth);
            }
        }
        if (accesses == 0 || body.Count < 3) return null;
        // An induction variable is written once, by its increment; it stays one only then.
        foreach (var local in variables.Keys.ToList()) if (writes[local] != 1) variables.Remove(local);
        // Worth two copies only when most loads lose their check: a loop whose loads are mostly table look-ups
        // (nettle-aes's rounds: 1 of 20 loads straight from the key pointer) pays the precheck on every entry and the
        // doubled body for little (docs/RATIONALE.md "Loop versioning only where most loads lose their check").
        // Stores are not counted: their address is under the stored value, not found by looking back one
        // instruction, and a loop of stores alone (a fill) is the case versioning is best at.
        int covered = 0;
        // A local written once, with an induction variable plus a constant (clang's `q = p - 4` for p[-1]), counts
        // as that variable: the fast copy covers it through its origin (LocalOrigin), also when taken before the increment.
        bool Covered(uint local) => variables.ContainsKey(local)
            || (IndexedOrigins && writes.GetValueOrDefault(local) == 1 && copies.TryGetValue(local, out uint from) && variables.ContainsKey(from));
        foreach (uint address in loadAddresses) if (Covered(address)) covered++;
        // Table look-ups from a base the loop never writes (nettle-aes's AES rounds) lose their check too. (Plain
        // loads from such a base do in the fast copy, but do not count here: counted, they doubled the number of
        // versioned loops, and so the code RyuJIT compiles, for no measured gain.)
        foreach (uint indexBase in indexedBases) if (variables.ContainsKey(indexBase) || !writes.ContainsKey(indexBase)) covered++;
        if (covered * 100 < loads * MinCoveredPercent) return null;
        var last = body[^1];
        if (last.Opcode != Opcode.BrIf || last.Index != 0 || depths[^1] != 0) return null;
        // Any other br_if 0 at depth 0 would be a second back edge.
        for (int i = 0; i < body.Count - 1; i++) if (body[i].Opcode == Opcode.BrIf && body[i].Index == 0 && depths[i] == 0) return null;
        Operand left, right;
        LoopCompare compare;
        if (CompareOf(body[^2].Opcode) is LoopCompare found)
        {
            compare = found;
            right = ParseOperand(body, depths, body.Count - 3, variables, writes);
            if (right.Start < 0) return null;
            left = ParseOperand(body, depths, right.Start - 1, variables, writes);
            if (left.Start < 0) return null;
        }
        else
        {
            // br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1))): the counter against zero.
            compare = LoopCompare.Ne;
            left = ParseOperand(body, depths, body.Count - 2, variables, writes);
            if (left.Start < 0 || !left.IsVariable) return null;
            right = new Operand(left.Start, false, true, 0, 0);
        }
        if (right.IsVariable == left.IsVariable) return null;
        if (right.IsVariable)
        {
            (left, right) = (right, left);
            compare = Flip(compare);
        }
        if (!right.IsConstant && right.Local == left.Local) return null;
        return new VersionedLoop
        {
            LoopPosition = loopPosition,
            EndPosition = end,
            Variables = variables,
            Writes = writes,
            Counter = left.Local,
            BoundIsConstant = right.IsConstant,
            BoundLocal = right.Local,
            BoundConstant = right.Constant,
            Compare = compare,
        };
    }

    /// <summary>Percentage of a loop's loads whose address must be an induction variable (plus a constant) for it to be versioned (WEFT_VERSION_SHARE; 0 versions every loop of the shape).</summary>
    internal static int MinCoveredPercent = int.TryParse(Environment.GetEnvironmentVariable("WEFT_VERSION_SHARE"), out int v) ? v : 50;

    /// <summary>The local a load's address comes from, when it is <c>local.get v</c> or <c>local.get v; i32.const c; i32.add</c>.</summary>
    private static uint? AddressLocal(List<Instruction> body)
    {
        int n = body.Count;
        if (n >= 1 && body[n - 1].Opcode == Opcode.LocalGet) return body[n - 1].Index;
        if (n >= 3 && body[n - 1].Opcode == Opcode.I32Add && body[n - 2].Opcode == Opcode.I32Const && body[n - 3].Opcode == Opcode.LocalGet) return body[n - 3].Index;
        return null;
    }

    /// <summary>
    /// The base of a load whose address is <c>base + index</c> with the index masked, shifted or a narrow load (the
    /// shapes whose range the compiler tracks: <see cref="EmitRangedI32"/>), e.g. <c>local.get B; x; i32.const 1020;
    /// i32.and; i32.add</c>; null for any other address. A guess for the versioning decision only: what the fast
    /// copy leaves unchecked is decided from the tracked origins.
    /// </summary>
    private static uint? IndexedBase(List<Instruction> body)
    {
        int n = body.Count;
        if (n < 3 || body[n - 1].Opcode != Opcode.I32Add) return null;
        int rightStart = ExpressionStart(body, n - 2);
        if (rightStart <= 0) return null;
        int leftStart = ExpressionStart(body, rightStart - 1);
        if (leftStart < 0) return null;
        if (rightStart - 1 == leftStart && body[leftStart].Opcode == Opcode.LocalGet && LooksBounded(body, n - 2)) return body[leftStart].Index;
        if (rightStart == n - 2 && body[n - 2].Opcode == Opcode.LocalGet && LooksBounded(body, rightStart - 1)) return body[n - 2].Index;
        return null;
    }

    /// <summary>Whether the value computed by body[..<paramref name="end"/>] is one whose range the compiler tracks.</summary>
    private static bool LooksBounded(List<Instruction> body, int end)
    {
        var op = body[end].Opcode;
        if (op is Opcode.I32Load8U or Opcode.I32Load16U) return true;
        if (end < 1 || body[end - 1].Opcode != Opcode.I32Const) return false;
        return op switch
        {
            Opcode.I32And => true,
            Opcode.I32ShrU => (body[end - 1].I32 & 31) != 0,
            Opcode.I32Shl => end >= 2 && LooksBounded(body, end - 2),
            _ => false,
        };
    }

    /// <summary>
    /// The index of the first instruction of the pure expression that leaves one value and ends at body[<paramref name="end"/>]; -1 when some
    /// instruction of it is not a local, constant, load or i32 arithmetic.
    /// </summary>
    private static int ExpressionStart(List<Instruction> body, int end)
    {
        int need = 1;
        for (int i = end; i >= 0; i--)
        {
            int pops = body[i].Opcode switch
            {
                Opcode.LocalGet or Opcode.I32Const or Opcode.GlobalGet => 0,
                Opcode.LocalTee or Opcode.I32Eqz or Opcode.I32Clz or Opcode.I32Ctz or Opcode.I32Popcnt => 1,
                >= Opcode.I32Load and <= Opcode.I64Load32U => 1,
                >= Opcode.I32Eq and <= Opcode.I32GeU => 2,
                >= Opcode.I32Add and <= Opcode.I32Rotr => 2,
                _ => -1,
            };
            if (pops < 0) return -1;
            need += pops - 1;
            if (need == 0) return i;
        }
        return -1;
    }

    /// <summary>The step when the instructions before a local.set/tee of <paramref name="local"/> at the body's top level are <c>local.get local; i32.const c; i32.add</c> (or sub).</summary>
    private int? IncrementStep(List<Instruction> body, List<int> depths, uint local)
    {
        int n = body.Count;
        if (n < 3 || depths[n - 1] != 0 || depths[n - 2] != 0 || depths[n - 3] != 0) return null;
        if (_localKinds[local] != StackKind.I32) return null;
        var op = body[n - 1].Opcode;
        Instruction a = body[n - 3], b = body[n - 2];
        long step;
        if (op == Opcode.I32Add && a.Opcode == Opcode.LocalGet && a.Index == local && b.Opcode == Opcode.I32Const) step = b.I32;
        else if (op == Opcode.I32Add && b.Opcode == Opcode.LocalGet && b.Index == local && a.Opcode == Opcode.I32Const) step = a.I32;
        else if (op == Opcode.I32Sub && a.Opcode == Opcode.LocalGet && a.Index == local && b.Opcode == Opcode.I32Const) step = -(long)b.I32;
        else return null;
        // Small steps keep every product in the precheck far from overflowing a long.
        if (step == 0 || Math.Abs(step) > 1 << 20) return null;
        return (int)step;
    }

    private readonly record struct Operand(int Start, bool IsVariable, bool IsConstant, uint Local, int Constant);

    /// <summary>
    /// The operand of the final compare that ends at body[<paramref name="last"/>]: an induction variable after its
    /// increment (a local.get after it, or the local.tee of the increment itself), a local the loop never writes, or
    /// a constant. Start is -1 for anything else.
    /// </summary>
    private static Operand ParseOperand(List<Instruction> body, List<int> depths, int last, Dictionary<uint, (int Step, int IncrementAt)> variables, Dictionary<uint, int> writes)
    {
        var none = new Operand(-1, false, false, 0, 0);
        if (last < 0 || depths[last] != 0) return none;
        var ins = body[last];
        switch (ins.Opcode)
        {
            case Opcode.I32Const:
                return new Operand(last, false, true, 0, ins.I32);
            case Opcode.LocalGet:
                if (variables.TryGetValue(ins.Index, out var v)) return v.IncrementAt < ins.Position ? new Operand(last, true, false, ins.Index, 0) : none;
                return writes.ContainsKey(ins.Index) ? none : new Operand(last, false, false, ins.Index, 0);
            case Opcode.LocalTee:
                if (variables.TryGetValue(ins.Index, out var t) && t.IncrementAt == ins.Position && last >= 3) return new Operand(last - 3, true, false, ins.Index, 0);
                return none;
            default:
                return none;
        }
    }

    private static LoopCompare? CompareOf(Opcode op) => op switch
    {
        Opcode.I32Ne => LoopCompare.Ne,
        Opcode.I32LtS => LoopCompare.LtS,
        Opcode.I32LtU => LoopCompare.LtU,
        Opcode.I32LeS => LoopCompare.LeS,
        Opcode.I32LeU => LoopCompare.LeU,
        Opcode.I32GtS => LoopCompare.GtS,
        Opcode.I32GtU => LoopCompare.GtU,
        Opcode.I32GeS => LoopCompare.GeS,
        Opcode.I32GeU => LoopCompare.GeU,
        _ => null,
    };

    /// <summary>a OP b as b OP' a.</summary>
    private static LoopCompare Flip(LoopCompare compare) => compare switch
    {
        LoopCompare.LtS => LoopCompare.GtS,
        LoopCompare.LtU => LoopCompare.GtU,
        LoopCompare.LeS => LoopCompare.GeS,
        LoopCompare.LeU => LoopCompare.GeU,
        LoopCompare.GtS => LoopCompare.LtS,
        LoopCompare.GtU => LoopCompare.LtU,
        LoopCompare.GeS => LoopCompare.LeS,
        LoopCompare.GeU => LoopCompare.LeU,
        _ => compare,
    };
}
