using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Compilation;

/// <summary>A function the splitter made out of a run of another's instructions: its type and body (never validated).</summary>
internal sealed record OutlinedPart(FuncType Type, FunctionBody Body);

/// <summary>
/// Splits a wasm function too large for RyuJIT's optimizer into several methods (docs/RATIONALE.md, "Function
/// splitting"). RyuJIT compiles a method over fixed limits (60,000 IL bytes, 20,000 IL instructions, 2,000 basic
/// blocks, 8,000 local references) with no optimization at all; precompiled code is exempt, JIT-compiled code is not.
/// The split happens at the wasm level, before IL emission: contiguous runs of whole instructions of one block body
/// whose operand stack is empty (relative to the block) at both ends become synthetic functions, which the original
/// function calls. Locals the run touches are passed in; those it writes come back as results. A branch out of the
/// run (br/br_if/br_table to a label outside it, or return) ends the synthetic function with an exit code, and the
/// caller dispatches on it with a br_table to the same label. Synthetic functions have no index a module can name
/// (they are numbered after the last defined function, reached only by the call the splitter writes), their methods
/// have names that backtraces skip, and they run without the entry checks (stack guard, fuel, interrupts), so
/// traps, fuel and call depth are counted as for the unsplit function.
/// </summary>
/// <remarks>
/// Not outlined: runs with return_call* (the tail call would return to the caller's caller only through the
/// synthetic frame), legacy try/catch/delegate/rethrow and try_table (their labels and handlers), br_on_* to labels
/// outside the run, branches out of the run that carry values, and, inside a try block of the caller, runs that may
/// throw (a handler of the caller must see the locals the run wrote before the throw, which come back only on return).
/// </remarks>
internal static partial class FunctionSplitter
{
    /// <summary>
    /// The default estimated IL size (<see cref="WeightOf"/>) above which a function is split. Measured on nsichneu
    /// and lua (RATIONALE.md): functions estimated at up to 32,000 were optimized, one at 40,900 (49,598 real IL bytes)
    /// was not; the estimate is within about 25% of the real size. The parts, and what the caller keeps, aim at two
    /// thirds of it, so that each stays under every limit with a margin.
    /// </summary>
    public const int DefaultThreshold = 36_000;

    /// <summary>
    /// WEFT_SPLIT_THRESHOLD=n (estimated IL bytes) overrides the threshold for the process: a small n splits nearly
    /// every function (how the spec suite checks the splitter); 0 turns splitting off.
    /// </summary>
    public static int EnvironmentThreshold { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_SPLIT_THRESHOLD"), out int n) && n >= 0 ? n : DefaultThreshold;

    /// <summary>
    /// WEFT_SPLIT_CALLER_TARGET=n (estimated IL bytes) overrides what the caller of parts may keep (two thirds of the
    /// threshold otherwise): for measuring how large an optimized caller may grow.
    /// </summary>
    internal static int CallerTarget { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("WEFT_SPLIT_CALLER_TARGET"), out int n) && n > 0 ? n : 0;

    /// <summary>When set (WEFT_TRACE_SPLIT=1), receives one line per split function.</summary>
    internal static Action<string>? Trace = Environment.GetEnvironmentVariable("WEFT_TRACE_SPLIT") == "1" ? Console.Error.WriteLine : null;

    // Runs smaller than this stay in the caller: the call, argument and result moves cost more than they save.
    private const int MinPartWeight = 120;

    // Bounds on what crosses the call (each touched local is an argument, each written one a tuple field).
    private const int MaxTouched = 96;
    private const int MaxWritten = 48;

    // A br_table with at least this many labels, and at least half as many as the function's largest, is a
    // dispatch (lua's luaV_execute: one of 85 labels, its arms' type switches 18): the run holding it is not
    // outlined whole, so the loop around it and its small arms stay in the caller, and only the heavy arms become
    // parts (docs/RATIONALE.md, "Split parts: what lua's interpreter loop needs"). Outlined with the dispatch, every
    // dispatched instruction cost a call of the part holding it; outlined with its arms, a small switch is one part.
    private const int MinDispatchTargets = 16;

    // How many levels of blocks the splitter enters looking for runs.
    private const int MaxDescent = 200;

    /// <summary>The rewritten body of the split function, and the parts in the order of their <c>call</c> indices.</summary>
    public sealed record Result(FunctionBody Body, List<OutlinedPart> Parts);

    /// <summary>
    /// Splits defined function <paramref name="functionIndex"/> if its estimated IL size is over
    /// <paramref name="threshold"/>; null when it is small enough or nothing could be outlined. <paramref name="firstPartIndex"/> is
    /// the function index the first part gets; the others follow.
    /// </summary>
    public static Result? Split(ValidModule valid, FuncType type, FunctionBody body, int functionIndex, int threshold, int firstPartIndex)
    {
        if (threshold <= 0) return null;
        // A cheap test first: no instruction weighs more than 30 per byte of its encoding.
        if ((long)body.Code.Length * 30 <= threshold) return null;
        var scan = Scan.Of(valid, body, functionIndex);
        if (scan.Total > 10_000) Trace?.Invoke($"estimate f{functionIndex}: {scan.Count} instructions, ~{scan.Total} IL bytes");
        if (scan.Total <= threshold) return null;
        // The module's own types (the validator's are canonical): the parts' signatures name them as the function does.
        var locals = new List<ValType>(type.Params);
        foreach (var decl in body.Locals)
        {
            for (uint k = 0; k < decl.Count; k++) locals.Add(decl.Type);
        }
        scan.LocalTypes = [.. locals];
        scan.Live = Liveness.Of(scan);
        long target = CallerTarget > 0 ? CallerTarget : Math.Max(1, threshold * 2L / 3);
        // First with dispatches kept in the caller (an interpreter's loop stays optimized, its small arms inline);
        // if that cannot bring the caller under its target, as before, dispatches outlined with their arms.
        var splitter = new Splitter(scan, type, body, target, keepDispatch: true);
        splitter.Choose();
        if (splitter.ParentWeight > target)
        {
            var plain = new Splitter(scan, type, body, target, keepDispatch: false);
            plain.Choose();
            if (plain.ParentWeight < splitter.ParentWeight) splitter = plain;
        }
        if (splitter.Runs.Count == 0) return null;
        var result = splitter.Emit(firstPartIndex);
        Trace?.Invoke($"split f{functionIndex}: {scan.Count} instructions, ~{scan.Total} IL bytes, {splitter.Runs.Count} parts (weight/in/out: {string.Join(' ', splitter.Runs.Select(r => $"{r.Weight}/{r.Params.Count}/{r.Results.Count}@{r.First}-{r.End}{(r.Dispatches ? "D" : "")}"))}), caller keeps ~{splitter.ParentWeight}");
        return result;
    }

    // What the validator knows before each instruction: nesting, stack height, label arities.
    private sealed class Scan
    {
        public int Count;
        public int[] Start = [];
        public int[] Next = [];
        public Opcode[] Op = [];
        public uint[] Index = [];
        public int[] Depth = [];          // frames open before the instruction (the function's own included)
        public bool[] Boundary = [];      // reachable, and no operand of the innermost frame on the stack
        public bool[] Dead = [];          // the rest of the innermost frame is unreachable
        public int[] TryNest = [];        // try-like frames (try, catch arms, try_table) open before the instruction
        public int[] Match = [];          // structured: index of the matching end; else: the if; end: -1
        public int[] ElseOf = [];         // if: index of its else, or -1
        public int[] Arity = [];          // br, br_if, br_on_*: the target label's arity
        public long[] Before = [];        // the estimated IL bytes of the instructions before each one (WeightOf)
        public long Total;
        public Dictionary<int, (uint[] Labels, int[] Arities)> Tables = [];
        public int DispatchTargets = int.MaxValue; // the labels a br_table needs to be a dispatch (MinDispatchTargets)
        public ValType[] LocalTypes = [];
        public int[][]? Successors;       // Liveness: where control goes after each instruction
        public Liveness? Live;            // null: not computed (try regions, too large), every touched local crosses

        public static Scan Of(ValidModule valid, FunctionBody body, int functionIndex)
        {
            var checker = new FunctionValidator(valid);
            checker.Begin(functionIndex);
            var code = checker.Code;
            var s = new Scan();
            var start = new List<int>();
            var next = new List<int>();
            var op = new List<Opcode>();
            var index = new List<uint>();
            var depth = new List<int>();
            var boundary = new List<bool>();
            var dead = new List<bool>();
            var tryNest = new List<int>();
            var arity = new List<int>();
            var opens = new Stack<int>();
            var tries = new Stack<bool>();
            int tryCount = 0;
            var match = new List<int>();
            var elseOf = new List<int>();
            var before = new List<long>();
            long total = 0;
            var reader = new InstructionReader(code);
            while (!reader.AtEnd)
            {
                reader.Read(out var ins);
                int i = start.Count;
                start.Add(ins.Position);
                next.Add(reader.Position);
                op.Add(ins.Opcode);
                index.Add(ins.Index);
                depth.Add(checker.FrameCount);
                bool unreachable = checker.IsUnreachable;
                dead.Add(unreachable);
                boundary.Add(!unreachable && checker.FrameCount > 0 && checker.OperandCount == checker.Frame(0).Height);
                tryNest.Add(tryCount);
                match.Add(-1);
                elseOf.Add(-1);
                int a = 0;
                switch (ins.Opcode)
                {
                    case Opcode.Br:
                    case Opcode.BrIf:
                    case Opcode.BrOnNull:
                    case Opcode.BrOnNonNull:
                    case Opcode.BrOnCast:
                    case Opcode.BrOnCastFail:
                        a = ins.Index < checker.FrameCount ? checker.LabelTypes((int)ins.Index).Length : int.MaxValue;
                        break;
                    case Opcode.BrTable:
                        var targets = InstructionReader.BrTableTargets(code, ins);
                        var labels = new uint[targets.Length + 1];
                        targets.CopyTo(labels, 0);
                        labels[^1] = ins.Index;
                        s.Tables[i] = (labels, labels.Select(l => l < checker.FrameCount ? checker.LabelTypes((int)l).Length : int.MaxValue).ToArray());
                        break;
                }
                arity.Add(a);
                before.Add(total);
                total += WeightOf(ins);
                switch (ins.Opcode)
                {
                    case Opcode.Block:
                    case Opcode.Loop:
                    case Opcode.If:
                        opens.Push(i);
                        tries.Push(false);
                        break;
                    case Opcode.Try:
                    case Opcode.TryTable:
                        opens.Push(i);
                        tries.Push(true);
                        tryCount++;
                        break;
                    case Opcode.Else:
                        elseOf[opens.Peek()] = i;
                        match[i] = opens.Peek();
                        break;
                    case Opcode.End:
                    case Opcode.Delegate:
                        if (opens.Count > 0)
                        {
                            match[opens.Pop()] = i;
                            if (tries.Pop()) tryCount--;
                        }
                        break;
                }
                checker.Step(ins);
            }
            checker.End();
            s.Count = start.Count;
            s.Start = [.. start];
            s.Next = [.. next];
            s.Op = [.. op];
            s.Index = [.. index];
            s.Depth = [.. depth];
            s.Boundary = [.. boundary];
            s.Dead = [.. dead];
            s.TryNest = [.. tryNest];
            s.Match = [.. match];
            s.ElseOf = [.. elseOf];
            s.Arity = [.. arity];
            before.Add(total);
            s.Before = [.. before];
            s.Total = total;
            int largest = s.Tables.Values.Select(t => t.Labels.Length).DefaultIfEmpty(0).Max();
            if (largest >= MinDispatchTargets) s.DispatchTargets = Math.Max(MinDispatchTargets, (largest + 1) / 2);
            return s;
        }
    }

    /// <summary>
    /// About how many IL bytes the compiler emits for an instruction: what the limits are checked against. The IL
    /// size is the limit a function passes first in the code measured (RATIONALE.md), and the basic blocks and local
    /// references grow with it: a memory access is a bounds check (two blocks, a trap call) and several locals.
    /// </summary>
    internal static int WeightOf(in Instruction ins)
    {
        var op = ins.Opcode;
        switch (op)
        {
            case Opcode.LocalGet:
            case Opcode.LocalSet:
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.Nop:
            case Opcode.Drop:
            case Opcode.End:
                return 2;
            case Opcode.LocalTee:
                return 3;
            case Opcode.I32Const:
            case Opcode.F32Const:
            case Opcode.If:
            case Opcode.Else:
            case Opcode.Br:
                return 5;
            case Opcode.I64Const:
            case Opcode.F64Const:
            case Opcode.BrIf:
            case Opcode.GlobalGet:
            case Opcode.GlobalSet:
                return 8;
            case Opcode.Select:
            case Opcode.SelectTyped:
            case Opcode.Return:
            case Opcode.Unreachable:
                return 12;
            case Opcode.Call:
                return 24;
            case Opcode.I32DivS:
            case Opcode.I32DivU:
            case Opcode.I32RemS:
            case Opcode.I32RemU:
            case Opcode.I64DivS:
            case Opcode.I64DivU:
            case Opcode.I64RemS:
            case Opcode.I64RemU:
                return 24;
        }
        return OpcodeTable.Get(op).Immediates switch
        {
            ImmediateKind.MemArg or ImmediateKind.MemArgLane => 30,
            ImmediateKind.BrTable => 16 + 4 * (int)ins.VectorCount,
            ImmediateKind.CallIndirect => 80,
            ImmediateKind.None => 3,
            _ => 20,
        };
    }

    // An exit of a run: a label outside it (0 = the innermost frame around the run) or the function's return (-1).
    private sealed class RunInfo
    {
        public int First;
        public int End;        // exclusive
        public int Depth;      // frames open around the run
        public long Weight;
        public bool EndsDead;  // the run never falls through
        public bool Throws;
        public bool Dispatches; // holds a br_table of at least DispatchTargets labels: an interpreter's dispatch
        public SortedSet<int> Touched = [];
        public SortedSet<int> Written = [];
        public List<int> Exits = [];
        // What crosses the call (Prune): the touched locals live at the run's start, the written ones live after it.
        public SortedSet<int> Params = [];
        public SortedSet<int> Results = [];

        public void Add(RunInfo chunk)
        {
            End = chunk.End;
            Weight += chunk.Weight;
            EndsDead = chunk.EndsDead;
            Throws |= chunk.Throws;
            Dispatches |= chunk.Dispatches;
            Touched.UnionWith(chunk.Touched);
            Written.UnionWith(chunk.Written);
            foreach (int e in chunk.Exits)
            {
                if (!Exits.Contains(e)) Exits.Add(e);
            }
        }

        // The IL the caller keeps for a run: arguments, the call, the results, the dispatch.
        public long CallCost => 4 * (Params.Count + Results.Count) + 16 * Exits.Count + 40;
    }

    private sealed class Splitter(Scan scan, FuncType type, FunctionBody body, long threshold, bool keepDispatch)
    {
        public readonly List<RunInfo> Runs = [];
        public long ParentWeight = scan.Total;

        // Every run that could be outlined (a partition: none overlaps another), before the choice.
        private readonly List<RunInfo> _candidates = [];

        /// <summary>
        /// Finds the candidate runs, then outlines the heaviest first until what the caller keeps is under the
        /// target (docs/RATIONALE.md, "Split parts: what lua's interpreter loop needs"): the light statements stay in
        /// the caller, where they run optimized and without a call, and the fewest calls are added.
        /// </summary>
        public void Choose()
        {
            Process(0, scan.Count - 1, 1);
            // Heaviest first: the IL a run takes out of the caller (its weight less the call it leaves there).
            // Ties by position keep the choice deterministic.
            foreach (var run in _candidates.OrderByDescending(r => r.Weight - r.CallCost).ThenBy(r => r.First))
            {
                if (ParentWeight <= threshold) break;
                Runs.Add(run);
                ParentWeight -= run.Weight - run.CallCost;
            }
        }

        /// <summary>Collects the candidate runs of the body [first, last) (last is its end or else) whose frames number <paramref name="depth"/>.</summary>
        public void Process(int first, int last, int depth)
        {
            var bounds = new List<int>();
            for (int i = first; i < last; i++)
            {
                if (scan.Depth[i] == depth && scan.Boundary[i]) bounds.Add(i);
            }
            bool lastIsBound = scan.Boundary[last] || scan.Dead[last];
            if (lastIsBound) bounds.Add(last);
            int cursor = first;
            RunInfo? run = null;
            for (int k = 0; k + 1 < bounds.Count; k++)
            {
                if (cursor < bounds[k]) Descend(cursor, bounds[k], depth); // a prefix that is not a whole statement
                var chunk = Analyze(bounds[k], bounds[k + 1], depth);
                if (chunk is not null && chunk.Weight <= threshold && !(keepDispatch && chunk.Dispatches))
                {
                    if (run is not null && !Fits(run, chunk))
                    {
                        Flush(run);
                        run = null;
                    }
                    if (run is null)
                    {
                        run = chunk;
                    }
                    else
                    {
                        run.Add(chunk);
                    }
                }
                else
                {
                    if (run is not null) Flush(run);
                    run = null;
                    Descend(bounds[k], bounds[k + 1], depth);
                }
                cursor = bounds[k + 1];
            }
            if (run is not null) Flush(run);
            if (bounds.Count > 0 && cursor < last) Descend(cursor, last, depth);
            else if (bounds.Count == 0) Descend(first, last, depth);
        }

        private bool Fits(RunInfo run, RunInfo chunk)
        {
            if (run.Weight + chunk.Weight > threshold) return false;
            if (run.Touched.Count + chunk.Touched.Count > MaxTouched) return false;
            return run.Written.Count + chunk.Written.Count <= MaxWritten;
        }

        private void Flush(RunInfo run)
        {
            // A forced small threshold (the tests, the spec suite) outlines any run, however small.
            bool forced = threshold < 8 * MinPartWeight;
            Prune(run);
            if (!forced && (run.Weight < MinPartWeight || run.Weight <= run.CallCost)) return;
            _candidates.Add(run);
        }

        // Only the locals live across the run's edges cross the call (docs/RATIONALE.md, "Split parts pass only live
        // locals"): a local the run reads only after writing it is the part's own, one it writes that nobody reads
        // before writing it again stays unreturned. A non-defaultable local the part reads is always passed: the part
        // could not declare it (no default value).
        private void Prune(RunInfo run)
        {
            var live = scan.Live;
            if (live is null)
            {
                run.Params = new SortedSet<int>(run.Touched);
                run.Results = new SortedSet<int>(run.Written);
                return;
            }
            var atStart = live.At(run.First);
            var after = live.Exiting(scan, run.First, run.End);
            run.Params = new SortedSet<int>(run.Touched.Where(l => Liveness.Has(atStart, l) || !scan.LocalTypes[l].IsDefaultable));
            run.Results = new SortedSet<int>(run.Written.Where(l => Liveness.Has(after, l)));
        }

        // Looks for runs inside the structured instructions of [first, end) that open at this depth.
        private void Descend(int first, int end, int depth)
        {
            // Process and Descend recurse once per nesting level, and each level scans its range again: bounded,
            // stack and time stay linear in the body (a body may nest blocks 100,000 deep).
            if (depth >= MaxDescent) return;
            for (int i = first; i < end; i++)
            {
                if (scan.Depth[i] != depth) continue;
                switch (scan.Op[i])
                {
                    case Opcode.Block:
                    case Opcode.Loop:
                    case Opcode.TryTable:
                        if (scan.Match[i] > i) Process(i + 1, scan.Match[i], depth + 1);
                        break;
                    case Opcode.If:
                        if (scan.Match[i] <= i) break;
                        int elseAt = scan.ElseOf[i];
                        Process(i + 1, elseAt >= 0 ? elseAt : scan.Match[i], depth + 1);
                        if (elseAt >= 0) Process(elseAt + 1, scan.Match[i], depth + 1);
                        break;
                }
            }
        }

        /// <summary>What a run of [first, end) needs, or null when it cannot be outlined.</summary>
        private RunInfo? Analyze(int first, int end, int depth)
        {
            var info = new RunInfo { First = first, End = end, Depth = depth, Weight = scan.Before[end] - scan.Before[first], EndsDead = scan.Dead[end] };
            bool inTry = scan.TryNest[first] > 0;
            void Exit(int e)
            {
                if (!info.Exits.Contains(e)) info.Exits.Add(e);
            }
            for (int i = first; i < end; i++)
            {
                int n = scan.Depth[i] - depth; // frames opened inside the run
                switch (scan.Op[i])
                {
                    case Opcode.ReturnCall:
                    case Opcode.ReturnCallIndirect:
                    case Opcode.ReturnCallRef:
                    case Opcode.Try:
                    case Opcode.Catch:
                    case Opcode.CatchAll:
                    case Opcode.Delegate:
                    case Opcode.Rethrow:
                    case Opcode.TryTable:
                        return null;
                    case Opcode.Call:
                    case Opcode.CallIndirect:
                    case Opcode.CallRef:
                    case Opcode.Throw:
                    case Opcode.ThrowRef:
                        info.Throws = true;
                        break;
                    case Opcode.LocalGet:
                        info.Touched.Add((int)scan.Index[i]);
                        break;
                    case Opcode.LocalSet:
                    case Opcode.LocalTee:
                        info.Touched.Add((int)scan.Index[i]);
                        info.Written.Add((int)scan.Index[i]);
                        break;
                    case Opcode.Return:
                        Exit(-1);
                        break;
                    case Opcode.Br:
                    case Opcode.BrIf:
                        if (scan.Index[i] >= n)
                        {
                            if (scan.Arity[i] != 0) return null;
                            Exit((int)scan.Index[i] - n);
                        }
                        break;
                    case Opcode.BrOnNull:
                    case Opcode.BrOnNonNull:
                    case Opcode.BrOnCast:
                    case Opcode.BrOnCastFail:
                        if (scan.Index[i] >= n) return null;
                        break;
                    case Opcode.BrTable:
                        var (labels, arities) = scan.Tables[i];
                        if (labels.Length >= scan.DispatchTargets) info.Dispatches = true;
                        for (int t = 0; t < labels.Length; t++)
                        {
                            if (labels[t] < n) continue;
                            if (arities[t] != 0) return null;
                            Exit((int)labels[t] - n);
                        }
                        break;
                }
            }
            if (inTry && info.Throws) return null;
            if (info.Touched.Count > MaxTouched || info.Written.Count > MaxWritten) return null;
            return info;
        }

        // ---- emission

        private ReadOnlySpan<byte> Code => body.Code.Span;

        private void Copy(WasmWriter w, int i) => w.WriteBytes(Code[scan.Start[i]..scan.Next[i]]);

        public Result Emit(int firstPartIndex)
        {
            Runs.Sort((a, b) => a.First.CompareTo(b.First));
            var parts = new List<OutlinedPart>();
            int results = type.Results.Count;
            int localCount = scan.LocalTypes.Length;
            int callerCode = localCount;          // the caller's exit-code local
            int callerSlots = localCount + 1;     // then one local per function result
            foreach (var run in Runs) parts.Add(EmitPart(run));

            var w = new WasmWriter(body.Code.Length + 16 * Runs.Count);
            int r = 0;
            for (int i = 0; i < scan.Count;)
            {
                if (r < Runs.Count && Runs[r].First == i)
                {
                    var run = Runs[r];
                    EmitCall(w, run, firstPartIndex + r, callerCode, callerSlots, results);
                    i = run.End;
                    r++;
                    continue;
                }
                Copy(w, i);
                i++;
            }
            var locals = new List<LocalDecl>(body.Locals) { new(1, ValType.I32) };
            foreach (var t in type.Results) locals.Add(new LocalDecl(1, t));
            return new Result(new FunctionBody([.. locals], w.ToArray(), body.Offset), parts);
        }

        private bool ReturnsValues(RunInfo run) => run.Exits.Contains(-1) && type.Results.Count > 0;

        private void EmitCall(WasmWriter w, RunInfo run, int partIndex, int codeLocal, int slots, int results)
        {
            foreach (int l in run.Params) LocalGet(w, l);
            w.WriteByte(0x10); // call
            w.WriteU32((uint)partIndex);
            if (ReturnsValues(run))
            {
                for (int k = results - 1; k >= 0; k--) LocalSet(w, slots + k);
            }
            foreach (int l in run.Results.Reverse()) LocalSet(w, l);
            int exits = run.Exits.Count;
            if (exits > 0)
            {
                LocalSet(w, codeLocal);
                // block $fall, block x exits, br_table on the code: 0 falls through, k goes to exit k's arm.
                w.WriteByte(0x02); w.WriteByte(0x40);
                for (int k = 0; k < exits; k++) { w.WriteByte(0x02); w.WriteByte(0x40); }
                LocalGet(w, codeLocal);
                w.WriteByte(0x0E); // br_table
                w.WriteU32((uint)(exits + 1));
                w.WriteU32((uint)exits);
                for (int k = 0; k < exits; k++) w.WriteU32((uint)k);
                w.WriteU32((uint)exits);
                for (int t = 0; t < exits; t++)
                {
                    w.WriteByte(0x0B); // end of exit t's block: the arm of exit t follows
                    int exit = run.Exits[t];
                    if (exit < 0)
                    {
                        for (int k = 0; k < results; k++) LocalGet(w, slots + k);
                        w.WriteByte(0x0F); // return
                    }
                    else
                    {
                        w.WriteByte(0x0C); // br: past the arms' blocks still open and $fall, to the label
                        w.WriteU32((uint)(exit + exits - t));
                    }
                }
                w.WriteByte(0x0B); // end of $fall
            }
            if (run.EndsDead) w.WriteByte(0x00); // the run never falls through: nor does its call
        }

        private OutlinedPart EmitPart(RunInfo run)
        {
            var map = new Dictionary<int, int>();
            var parameters = new List<ValType>();
            foreach (int l in run.Params)
            {
                map[l] = parameters.Count;
                parameters.Add(scan.LocalTypes[l]);
            }
            int code = parameters.Count;   // the exit code
            int select = code + 1;         // a br_table's operand, kept while its trampolines open
            int slots = code + 2;          // the function's results, for a return
            var resultTypes = new List<ValType>();
            if (run.Exits.Count > 0) resultTypes.Add(ValType.I32);
            foreach (int l in run.Results) resultTypes.Add(scan.LocalTypes[l]);
            bool returns = ReturnsValues(run);
            if (returns) resultTypes.AddRange(type.Results);
            // The touched locals not passed in are the part's own (zero on entry, which nothing reads: not live).
            int own = slots + (returns ? type.Results.Count : 0);
            var ownTypes = new List<ValType>();
            foreach (int l in run.Touched)
            {
                if (map.ContainsKey(l)) continue;
                map[l] = own + ownTypes.Count;
                ownTypes.Add(scan.LocalTypes[l]);
            }

            var w = new WasmWriter((scan.Start[run.End] - scan.Start[run.First]) + 32);
            w.WriteByte(0x02); w.WriteByte(0x40); // block $exit
            int CodeOf(int exit) => run.Exits.IndexOf(exit) + 1;
            for (int i = run.First; i < run.End; i++)
            {
                int n = scan.Depth[i] - run.Depth;
                switch (scan.Op[i])
                {
                    case Opcode.LocalGet:
                        LocalGet(w, map[(int)scan.Index[i]]);
                        continue;
                    case Opcode.LocalSet:
                        LocalSet(w, map[(int)scan.Index[i]]);
                        continue;
                    case Opcode.LocalTee:
                        w.WriteByte(0x22);
                        w.WriteU32((uint)map[(int)scan.Index[i]]);
                        continue;
                    case Opcode.Return:
                        if (returns)
                        {
                            for (int k = type.Results.Count - 1; k >= 0; k--) LocalSet(w, slots + k);
                        }
                        SetCode(w, code, CodeOf(-1));
                        Br(w, n);
                        continue;
                    case Opcode.Br when scan.Index[i] >= n:
                        SetCode(w, code, CodeOf((int)scan.Index[i] - n));
                        Br(w, n);
                        continue;
                    case Opcode.BrIf when scan.Index[i] >= n:
                        w.WriteByte(0x04); w.WriteByte(0x40); // if
                        SetCode(w, code, CodeOf((int)scan.Index[i] - n));
                        Br(w, n + 1);
                        w.WriteByte(0x0B);
                        continue;
                    case Opcode.BrTable:
                        var (labels, _) = scan.Tables[i];
                        var outer = labels.Where(l => l >= n).Distinct().ToList();
                        if (outer.Count == 0) break;
                        // One trampoline block per outer label: the table goes to it, it sets the code and leaves.
                        int m = outer.Count;
                        LocalSet(w, select);
                        for (int k = 0; k < m; k++) { w.WriteByte(0x02); w.WriteByte(0x40); }
                        LocalGet(w, select);
                        uint Remap(uint l) => l < n ? l + (uint)m : (uint)outer.IndexOf(l);
                        w.WriteByte(0x0E);
                        w.WriteU32((uint)(labels.Length - 1));
                        for (int t = 0; t < labels.Length - 1; t++) w.WriteU32(Remap(labels[t]));
                        w.WriteU32(Remap(labels[^1]));
                        for (int k = 0; k < m; k++)
                        {
                            w.WriteByte(0x0B);
                            SetCode(w, code, CodeOf((int)outer[k] - n));
                            Br(w, n + m - 1 - k);
                        }
                        continue;
                }
                Copy(w, i);
            }
            w.WriteByte(0x0B); // end $exit
            if (run.Exits.Count > 0) LocalGet(w, code);
            foreach (int l in run.Results) LocalGet(w, map[l]);
            if (returns)
            {
                for (int k = 0; k < type.Results.Count; k++) LocalGet(w, slots + k);
            }
            w.WriteByte(0x0B); // end of the function
            var locals = new List<LocalDecl> { new(2, ValType.I32) };
            if (returns)
            {
                foreach (var t in type.Results) locals.Add(new LocalDecl(1, t));
            }
            foreach (var t in ownTypes) locals.Add(new LocalDecl(1, t));
            return new OutlinedPart(new FuncType([.. parameters], [.. resultTypes]), new FunctionBody([.. locals], w.ToArray()));
        }

        private static void SetCode(WasmWriter w, int local, int code)
        {
            w.WriteByte(0x41); // i32.const
            w.WriteS32(code);
            LocalSet(w, local);
        }

        private static void Br(WasmWriter w, int depth)
        {
            w.WriteByte(0x0C);
            w.WriteU32((uint)depth);
        }

        private static void LocalGet(WasmWriter w, int local)
        {
            w.WriteByte(0x20);
            w.WriteU32((uint)local);
        }

        private static void LocalSet(WasmWriter w, int local)
        {
            w.WriteByte(0x21);
            w.WriteU32((uint)local);
        }
    }
}
