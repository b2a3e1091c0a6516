using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Exception handling (spec 4.4.9; legacy try/catch/delegate/rethrow: the 3.0 appendix). A wasm exception is a
// WasmException object, which is also the exnref value. Each try_table or legacy try body becomes an IL protected
// region whose only handler catches WasmException (never a trap), stores it and leaves to the region's
// "dispatch" code, placed after the region: there the catch clauses compare tags by identity and branch like br.
// Everything else is ordinary code outside any handler, so legacy catch bodies may branch, return and nest freely.
//
// IL rules shape the rest:
// - a region is entered with an empty stack: the stack is spilled to the region's saved locals first;
// - nothing may branch out of a region but leave, which empties the stack: a branch to an outer label stores its
//   values in a landing pad's locals and leaves to the pad (emitted after the region), which reloads the values
//   below the target from the saved locals; returns leave to one return pad at the end of the method;
// - no ret and no tail. call inside a region: a return_call leaves first and calls from a pad at the end of the
//   method, which is also the semantics (the callee's exceptions are not this frame's to catch).
// A throw whose handler is in the same function does not go through .NET's exception machinery at all: the new
// exception is stored in the handler's local and the code leaves to its dispatch. Only exceptions that cross a
// call are thrown, so a .NET throw happens once per function activation the exception leaves.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_createException = RuntimeMembers.Method(typeof(WasmException), nameof(WasmException.Create));
    private static readonly FieldInfo s_exceptionTag = typeof(WasmException).GetField(nameof(WasmException.TagField), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly FieldInfo s_exceptionValues = typeof(WasmException).GetField(nameof(WasmException.Values), BindingFlags.NonPublic | BindingFlags.Instance)!;
    private static readonly MethodInfo s_emptyPayload = typeof(Array).GetMethod(nameof(Array.Empty))!.MakeGenericMethod(typeof(WasmValue));

    /// <summary>The frames whose IL protected region is open, outermost first.</summary>
    private readonly List<ControlFrame> _regions = [];

    /// <summary>Code emitted after the whole body, outside every region: return, rethrow-to-caller and tail-call pads.</summary>
    private readonly List<Action> _functionPads = [];

    private (int Index, LocalBuilder Shadow)[] _shadows = [];
    private (int Index, LocalBuilder Shadow)[] _parameterShadows = [];
    private LocalBuilder? _contextShadow;
    private Label? _returnPad;
    private LocalBuilder[] _returnValues = [];
    private Label? _callerPad;
    private LocalBuilder? _callerException;

    /// <summary>Whether the code being emitted is inside an IL protected region (no ret, no tail call, leave to get out).</summary>
    private bool InRegion => _inFlatRegion || _regions.Count > 0;

    /// <summary>Whether a wasm try body is open here: exceptions raised here go to its handlers.</summary>
    private bool InTry => _regions.Count > 0;

    /// <summary>How many IL regions enclose the code here: labels at another depth need leave and a pad.</summary>
    private int IlDepth => _flat ? 0 : _regions.Count;

    /// <summary>
    /// A function with more try blocks than this compiles in flat mode (see <see cref="BeginFlatRegion"/>); below,
    /// each try block is an IL region of its own (locals stay in registers: the tuned fast path). RyuJIT's time
    /// grows with the square of a method's exception clauses, nested or not: 512 nested cost about 0.05 s of JIT,
    /// 1,000 0.4 s, 2,000 4.6 s; flat mode costs about 0.1 ms per try block (docs/RATIONALE.md, "Compiler limits").
    /// </summary>
    internal const int FlatTryThreshold = 512;

    /// <summary>
    /// Tests only: when set (it flows to threads the setter starts), every function with a try block compiles in
    /// flat mode, so that the exception spec scripts check it.
    /// </summary>
    internal static readonly AsyncLocal<bool> ForceFlat = new();

    /// <summary>
    /// The most try blocks one function may have. Even in flat mode RyuJIT's time grows faster than linearly with
    /// them (measured: 8,000 nested try_table 0.7 s, 16,000 3.2 s, 32,000 10 s; legacy try 8,000 3.2 s, 16,000
    /// 14 s), so beyond this a module is refused with a CompilationException rather than compiled for minutes.
    /// </summary>
    internal const int MaxTries = 10_000;

    // Flat mode: one IL region for the whole body; the handler records the exception and re-enters the region, whose
    // first instruction jumps to the dispatch of the try block that the state local names.
    private bool _flat;

    // Whether code is being emitted inside the flat region: false again for the function pads after it (a tail
    // call's pad that thought itself in a region would add a pad for itself, forever).
    private bool _inFlatRegion;
    private LocalBuilder? _flatState;
    private LocalBuilder? _flatException;
    private readonly List<Label> _flatDispatches = [];
    private readonly List<Action> _flatDeferred = [];
    private Label _flatReenter;
    private Label _flatSwitch;

    private bool TryEmitException(in Instruction ins)
    {
        switch (ins.Opcode)
        {
            case Opcode.Throw: EmitThrow(ins.Index); return true;
            case Opcode.ThrowRef: EmitThrowRef(); return true;
            case Opcode.TryTable: EmitTryTable(ins); return true;
            case Opcode.Try: OpenRegion(PushFrame(FrameKind.Try, ins.BlockType)); return true;
            case Opcode.Catch: EmitCatch(ins.Index); return true;
            case Opcode.CatchAll: EmitCatch(null); return true;
            case Opcode.Delegate: EmitDelegate(ins.Index); return true;
            case Opcode.Rethrow: EmitRethrow(ins.Index); return true;
            default: return false;
        }
    }

    // ---- raising

    /// <summary>Spec 4.4.9 throw: a new exception of tag x with the top values as payload.</summary>
    private void EmitThrow(uint tagIndex)
    {
        var parameters = _module.TagTypes[tagIndex].Params;
        if (parameters.Count == 0)
        {
            Call(s_emptyPayload);
        }
        else
        {
            var kinds = _stack.GetRange(_stack.Count - parameters.Count, parameters.Count);
            var temps = SpillTop(parameters.Count);
            _il.Emit(OpCodes.Ldc_I4, parameters.Count);
            _il.Emit(OpCodes.Newarr, typeof(WasmValue));
            for (int i = 0; i < temps.Length; i++)
            {
                _il.Emit(OpCodes.Dup);
                _il.Emit(OpCodes.Ldc_I4, i);
                _il.Emit(OpCodes.Ldloc, temps[i]);
                Call(ValueMarshal.Writer(kinds[i]));
                _il.Emit(OpCodes.Stelem, typeof(WasmValue));
                Free(temps[i]);
            }
        }
        EmitLoadTag(tagIndex);
        Call(s_createException);
        EmitRaise();
        Top.Unreachable = true;
    }

    /// <summary>Spec 4.4.9 throw_ref: raise the exception again; null traps.</summary>
    private void EmitThrowRef()
    {
        Pop();
        var notNull = _il.DefineLabel();
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Brtrue, notNull);
        EmitTrap(TrapKind.NullExceptionReference);
        _il.MarkLabel(notNull);
        _il.Emit(OpCodes.Castclass, typeof(WasmException));
        EmitRaise();
        Top.Unreachable = true;
    }

    /// <summary>Legacy rethrow l: raise again the exception that the catch arm at l caught.</summary>
    private void EmitRethrow(uint depth)
    {
        _il.Emit(OpCodes.Ldloc, FrameAt(depth).Region!.Exception);
        EmitRaise();
        Top.Unreachable = true;
    }

    /// <summary>Raises the exception on the IL stack here: to the innermost open region's handlers, or to the caller.</summary>
    private void EmitRaise() => EmitDeliver(InTry ? _regions[^1] : null);

    /// <summary>
    /// Hands the exception on the IL stack to the handlers of a frame's region (whose dispatch lies outside every
    /// region that encloses this point), or to the caller when <paramref name="handler"/> is null. Leaves the
    /// mirrored stack and reachability alone: callers in dispatch code are not in the frame they branch from.
    /// </summary>
    private void EmitDeliver(ControlFrame? handler)
    {
        if (handler is not null)
        {
            _il.Emit(OpCodes.Stloc, handler.Region!.Exception);
            _il.Emit(OpCodes.Leave, handler.Region.Caught);
            return;
        }
        if (_protocol)
        {
            EmitLeavePending();
            return;
        }
        if (!InRegion)
        {
            _il.Emit(OpCodes.Throw);
            return;
        }
        // A throw here would be caught by the enclosing regions' handlers: throw from outside all of them.
        if (_callerPad is null)
        {
            var pad = _il.DefineLabel();
            var exception = _il.DeclareLocal(typeof(WasmException));
            _callerPad = pad;
            _callerException = exception;
            _functionPads.Add(() =>
            {
                _il.MarkLabel(pad);
                _il.Emit(OpCodes.Ldloc, exception);
                _il.Emit(OpCodes.Throw);
            });
        }
        _il.Emit(OpCodes.Stloc, _callerException!);
        _il.Emit(OpCodes.Leave, _callerPad.Value);
    }

    // ---- the pending-exception protocol (PendingExceptions)

    /// <summary>Whether this method is a protocol body: an exception leaving it is stored in the context and it returns.</summary>
    private bool _protocol;

    private Label? _pendingPad;

    /// <summary>
    /// Hands the exception on the IL stack to the caller the protocol's way: stored in the context's pending field,
    /// then a return of default results (the caller tests the field before it looks at them). Leaves the mirrored
    /// stack alone, like <see cref="EmitDeliver"/>.
    /// </summary>
    private void EmitLeavePending()
    {
        var exception = Temp(typeof(WasmException));
        _il.Emit(OpCodes.Stloc, exception);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldloc, exception);
        _il.Emit(OpCodes.Stfld, PendingExceptions.Field);
        Free(exception);
        EmitReturnPending();
    }

    /// <summary>Returns default results with whatever is on the IL stack dropped (the mirrored stack says what).</summary>
    private void EmitReturnPending()
    {
        if (InRegion)
        {
            // leave empties the stack; ret is not allowed in a region, so the return is a pad after the body.
            if (_pendingPad is null)
            {
                var pad = _il.DefineLabel();
                _pendingPad = pad;
                _functionPads.Add(() =>
                {
                    _il.MarkLabel(pad);
                    EmitDefaultResults();
                    _il.Emit(OpCodes.Ret);
                });
            }
            _il.Emit(OpCodes.Leave, _pendingPad.Value);
            return;
        }
        for (int i = 0; i < _stack.Count; i++) _il.Emit(OpCodes.Pop);
        EmitDefaultResults();
        _il.Emit(OpCodes.Ret);
    }

    private LocalBuilder? _defaultResults;

    private void EmitDefaultResults()
    {
        var type = ClrTypes.ReturnType(_type.Results);
        if (type == typeof(void)) return;
        // A local never stored to: zero (locals are zero-initialized), whatever the type (tuples, v128).
        _defaultResults ??= _il.DeclareLocal(type);
        _il.Emit(OpCodes.Ldloc, _defaultResults);
    }

    /// <summary>
    /// After a call to a protocol body (its results pushed, memory caches reloaded): if it left an exception
    /// pending, take it to this function's innermost handler like a throw here, or leave it pending for the caller.
    /// </summary>
    private void EmitPendingTest()
    {
        var none = _il.DefineLabel();
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, PendingExceptions.Field);
        _il.Emit(OpCodes.Brfalse, none);
        if (InTry)
        {
            PendingExceptions.EmitTake(_il, _paramCount);
            EmitDeliver(_regions[^1]);
        }
        else
        {
            EmitReturnPending();
        }
        _il.MarkLabel(none);
    }

    // ---- regions

    private void EmitTryTable(in Instruction ins)
    {
        var frame = PushFrame(FrameKind.TryTable, ins.BlockType);
        OpenRegion(frame);
        frame.Region!.Clauses = Binary.InstructionReader.CatchClauses(Code, ins);
    }

    /// <summary>Spills the stack, opens the IL region and reloads the block's parameters inside it.</summary>
    private void OpenRegion(ControlFrame frame)
    {
        if (_flat)
        {
            OpenFlatTry(frame);
            return;
        }
        // Fresh locals, each set once: RyuJIT keeps a local that lives into a handler in a register only then.
        var kinds = _stack.ToArray();
        var saved = new LocalBuilder[kinds.Length];
        for (int i = kinds.Length - 1; i >= 0; i--)
        {
            saved[i] = _il.DeclareLocal(ClrTypes.Of(kinds[i]));
            _il.Emit(OpCodes.Stloc, saved[i]);
        }
        _stack.Clear();
        frame.Region = new TryRegion
        {
            Saved = saved,
            SavedKinds = kinds,
            Exception = _il.DeclareLocal(typeof(WasmException)),
            Dispatch = _il.DefineLabel(),
            Caught = _il.DefineLabel(),
        };
        // Labels marked just before (a loop head, an else) must not point at the region's first instruction.
        _il.Emit(OpCodes.Nop);
        _il.BeginExceptionBlock();
        _regions.Add(frame);
        for (int i = frame.Height; i < saved.Length; i++)
        {
            _il.Emit(OpCodes.Ldloc, saved[i]);
            Push(kinds[i]);
        }
    }

    /// <summary>
    /// Ends the body of a region: its fall-through leaves to the block's end, its handler stores the exception and
    /// leaves to the dispatch; then the landing pads of branches that left the region are emitted.
    /// </summary>
    private void CloseRegion(ControlFrame frame)
    {
        var region = frame.Region!;
        if (!frame.Unreachable) EmitBranchTo(frame);
        if (_flat)
        {
            _regions.RemoveAt(_regions.Count - 1);
            region.Open = false;
            _stack.Clear();
            return;
        }
        _il.BeginCatchBlock(typeof(WasmException));
        _il.Emit(OpCodes.Stloc, region.Exception);
        _il.Emit(OpCodes.Leave, region.Dispatch);
        _il.EndExceptionBlock();
        _regions.RemoveAt(_regions.Count - 1);
        region.Open = false;
        foreach (var pad in region.Pads)
        {
            _il.MarkLabel(pad.Label);
            for (int i = 0; i < pad.Target.Height; i++) _il.Emit(OpCodes.Ldloc, region.Saved[i]);
            foreach (var value in pad.Carried) _il.Emit(OpCodes.Ldloc, value);
            _il.Emit(OpCodes.Br, pad.Target.BranchTarget);
        }
        _stack.Clear();
    }

    /// <summary>Emits a branch from inside one or more regions to a label outside: store the values, leave to a pad.</summary>
    private void EmitLeaveTo(ControlFrame target)
    {
        var region = _regions[target.RegionDepth].Region!;
        var pad = region.Pads.Find(p => p.Target == target);
        if (pad is null)
        {
            pad = new BranchPad
            {
                Target = target,
                Carried = target.LabelKinds.Select(k => _il.DeclareLocal(ClrTypes.Of(k))).ToArray(),
                Label = _il.DefineLabel(),
            };
            region.Pads.Add(pad);
        }
        for (int i = pad.Carried.Length - 1; i >= 0; i--) _il.Emit(OpCodes.Stloc, pad.Carried[i]);
        _il.Emit(OpCodes.Leave, pad.Label);
        if (target.Kind != FrameKind.Loop) target.Branched = true;
    }

    /// <summary>A return from inside a region: store the results, leave to the return pad at the end of the method.</summary>
    private void EmitLeaveToReturn()
    {
        var kinds = _functionResults;
        if (_returnPad is null)
        {
            var pad = _il.DefineLabel();
            var values = kinds.Select(k => _il.DeclareLocal(ClrTypes.Of(k))).ToArray();
            _returnPad = pad;
            _returnValues = values;
            _functionPads.Add(() =>
            {
                _il.MarkLabel(pad);
                foreach (var value in values) _il.Emit(OpCodes.Ldloc, value);
                if (values.Length > 1) EmitPackTuple(kinds.Select(ClrTypes.Of).ToArray());
                _il.Emit(OpCodes.Ret);
            });
        }
        for (int i = _returnValues.Length - 1; i >= 0; i--) _il.Emit(OpCodes.Stloc, _returnValues[i]);
        _il.Emit(OpCodes.Leave, _returnPad.Value);
        _stack.Clear();
    }

    /// <summary>
    /// A return_call inside a region: the arguments go to locals, the code leaves every region and the call is
    /// made from a pad at the end of the method. The mirrored stack is left as it was (the caller pops it).
    /// </summary>
    private void EmitTailCallFromRegion(int argumentCount, Action emitCall)
    {
        var arguments = new LocalBuilder[argumentCount];
        for (int i = argumentCount - 1; i >= 0; i--)
        {
            arguments[i] = Temp(Peek(argumentCount - 1 - i));
            _il.Emit(OpCodes.Stloc, arguments[i]);
        }
        // Nothing runs between these stores and the pad, so the temporaries may be reused by later code.
        foreach (var argument in arguments) Free(argument);
        var pad = _il.DefineLabel();
        _il.Emit(OpCodes.Leave, pad);
        _functionPads.Add(() =>
        {
            _il.MarkLabel(pad);
            foreach (var argument in arguments) _il.Emit(OpCodes.Ldloc, argument);
            emitCall();
            _il.Emit(OpCodes.Ret);
        });
    }

    /// <summary>Emits the pads that must lie outside every region; called after the function's last instruction.</summary>
    private void EmitFunctionPads()
    {
        // A pad may add another (a tail call's pad never does today, but keep the loop honest).
        for (int i = 0; i < _functionPads.Count; i++) _functionPads[i]();
    }

    // ---- handlers

    /// <summary>Ends a try_table, a legacy try or its last catch arm (called by <see cref="EmitEnd"/>).</summary>
    private void EmitEndTry(ControlFrame frame)
    {
        var region = frame.Region!;
        if (region.Open)
        {
            // try_table, or a legacy try without catch arms: the clauses are matched at the dispatch.
            if (_flat)
            {
                EndFlatTry(frame);
                return;
            }
            CloseRegion(frame);
            _frames.RemoveAt(_frames.Count - 1);
            EmitDispatchEntry(region);
            if (!EmitClauses(region, FrameAt)) EmitPassOutward(region);
        }
        else
        {
            // Legacy try after its catch arms: the last arm ends, then the tests that choose an arm.
            if (!frame.Unreachable) EmitBranchTo(frame);
            _frames.RemoveAt(_frames.Count - 1);
            _il.MarkLabel(region.Tests);
            _stack.Clear();
            bool caughtAll = false;
            foreach (var (tag, start) in region.Arms)
            {
                if (tag is { } t)
                {
                    EmitTagIs(region, t);
                    _il.Emit(OpCodes.Brtrue, start);
                    continue;
                }
                _il.Emit(OpCodes.Br, start);
                caughtAll = true;
                break;
            }
            if (!caughtAll) EmitPassOutward(region);
        }
        FinishTry(frame);
    }

    /// <summary>Matches the try_table's catch clauses in order; returns whether one catches everything.</summary>
    private bool EmitClauses(TryRegion region, Func<uint, ControlFrame> frameAt)
    {
        foreach (var clause in region.Clauses)
        {
            bool hasTag = clause.Kind is CatchKind.Catch or CatchKind.CatchRef;
            var next = _il.DefineLabel();
            if (hasTag)
            {
                EmitTagIs(region, clause.Tag);
                _il.Emit(OpCodes.Brfalse, next);
            }
            var target = frameAt(clause.Label);
            if (target.Kind != FrameKind.Function && target.IlDepth == IlDepth)
            {
                for (int i = 0; i < target.Height; i++)
                {
                    _il.Emit(OpCodes.Ldloc, region.Saved[i]);
                    Push(region.SavedKinds[i]);
                }
            }
            if (hasTag) EmitPushPayload(region.Exception, clause.Tag);
            if (clause.Kind is CatchKind.CatchRef or CatchKind.CatchAllRef)
            {
                _il.Emit(OpCodes.Ldloc, region.Exception);
                Push(StackKind.Ref);
            }
            EmitBranchTo(target);
            _stack.Clear();
            if (!hasTag) return true;
            _il.MarkLabel(next);
        }
        return false;
    }

    /// <summary>No handler of the region matched: the exception goes on to the enclosing region or the caller.</summary>
    private void EmitPassOutward(TryRegion region)
    {
        _il.Emit(OpCodes.Ldloc, region.Exception);
        EmitRaise();
    }

    /// <summary>Legacy catch x / catch_all: closes the region at the first arm, then starts an arm.</summary>
    private void EmitCatch(uint? tag)
    {
        var frame = Top;
        var region = frame.Region!;
        if (region.Open)
        {
            CloseRegion(frame);
            EmitDispatchEntry(region);
            region.Tests = _il.DefineLabel();
            _il.Emit(OpCodes.Br, region.Tests);
        }
        else if (!frame.Unreachable)
        {
            EmitBranchTo(frame);
        }
        var start = _il.DefineLabel();
        _il.MarkLabel(start);
        region.Arms.Add((tag, start));
        _stack.Clear();
        for (int i = 0; i < frame.Height; i++)
        {
            _il.Emit(OpCodes.Ldloc, region.Saved[i]);
            Push(region.SavedKinds[i]);
        }
        if (tag is { } t) EmitPushPayload(region.Exception, t);
        frame.Kind = FrameKind.Catch;
        frame.Unreachable = false;
    }

    /// <summary>
    /// Legacy delegate l: the try's exceptions go to the handlers that enclose label l: l's own when l is a try
    /// (or try_table) still in its body, else those of the region around l, else the caller.
    /// </summary>
    private void EmitDelegate(uint label)
    {
        var frame = Top;
        var region = frame.Region!;
        CloseRegion(frame);
        _frames.RemoveAt(_frames.Count - 1);
        EmitDispatchEntry(region);
        var target = FrameAt(label);
        ControlFrame? handler = target.Region is { Open: true } ? target
            : target.RegionDepth > 0 ? _regions[target.RegionDepth - 1]
            : null;
        _il.Emit(OpCodes.Ldloc, region.Exception);
        EmitDeliver(handler);
        FinishTry(frame);
    }

    /// <summary>After the dispatch: the block's end, where every way out of the try arrives with the results.</summary>
    private void FinishTry(ControlFrame frame)
    {
        var region = frame.Region!;
        if (frame.Branched) _il.MarkLabel(frame.End);
        _stack.Clear();
        _stack.AddRange(region.SavedKinds.AsSpan(0, frame.Height));
        _stack.AddRange(frame.Results);
        if (!frame.Branched) Top.Unreachable = true;
    }

    /// <summary>
    /// Where the catch block leaves to: the locals and the memory caches get their values back (see
    /// <see cref="PrepareShadows"/>; the callee may have grown memory), and exceptions raised directly in this
    /// function join at <see cref="TryRegion.Caught"/>.
    /// </summary>
    private void EmitDispatchEntry(TryRegion region)
    {
        _il.MarkLabel(region.Dispatch);
        if (_flat && region.Exception != _flatException)
        {
            _il.Emit(OpCodes.Ldloc, _flatException!);
            _il.Emit(OpCodes.Stloc, region.Exception);
        }
        if (_contextShadow is not null)
        {
            _il.Emit(OpCodes.Ldloc, _contextShadow);
            _il.Emit(OpCodes.Starg, _paramCount);
        }
        foreach (var (index, shadow) in _shadows.Concat(_parameterShadows))
        {
            _il.Emit(OpCodes.Ldloc, shadow);
            if (index < _paramCount) _il.Emit(OpCodes.Starg, index);
            else _il.Emit(OpCodes.Stloc, _locals[index]!);
        }
        for (int m = 0; m < _memories.Length; m++)
        {
            if (_memories[m] is { } cache) EmitFillCache((uint)m, cache);
        }
        _il.MarkLabel(region.Caught);
    }

    /// <summary>
    /// RyuJIT keeps a local that is live into or out of a handler on the stack (for the whole method, unless it is
    /// set only once, and even then it reloads it at uses). Wasm locals are typically set many times (loop
    /// counters, accumulators), so the dispatch reads none of them: each local the function sets has a shadow,
    /// copied from the local before every call inside a region (the only place a caught exception can come from:
    /// traps are not caught, throws in this function arrive by ordinary flow) and back at the dispatch; parameters
    /// the function never sets, the context among them, are copied once here. The locals stay in registers, and a
    /// call inside a region pays one store per local the function sets.
    /// </summary>
    private void PrepareShadows()
    {
        var assigned = new bool[_localKinds.Length];
        int tries = 0;
        var reader = new Binary.InstructionReader(Code);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            if (ins.Opcode is Opcode.LocalSet or Opcode.LocalTee) assigned[ins.Index] = true;
            else if (ins.Opcode is Opcode.Try or Opcode.TryTable) tries++;
        }
        if (tries == 0) return;
        if (tries > MaxTries)
        {
            throw new CompilationException($"function {_functionIndex} has {tries} try blocks, more than the {MaxTries} one function may have (the JIT's time grows faster than their number)");
        }
        _flat = tries > FlatTryThreshold || ForceFlat.Value;
        if (_flat)
        {
            // Optimized, RyuJIT's time on a flat method is still quadratic in its try blocks until it gives up
            // optimizing by itself (about 2,000 basic blocks): 1,800 nested try_table took 5.6 s, 0.05 s unoptimized.
            _module.Bodies[_functionIndex - _module.ImportedFunctionCount]!.SetImplementationFlags(MethodImplAttributes.NoOptimization);
        }
        // In flat mode the JIT keeps every local live into the one handler in memory anyway, which is correct
        // without shadows; restoring them at each of thousands of dispatches would give the JIT thousands of
        // definitions of each local to merge.
        if (_flat) return;
        var shadows = new List<(int, LocalBuilder)>();
        var parameterShadows = new List<(int, LocalBuilder)>();
        for (int i = 0; i < assigned.Length; i++)
        {
            if (assigned[i])
            {
                shadows.Add((i, _il.DeclareLocal(ClrTypes.Of(_localKinds[i]))));
            }
            else if (i < _paramCount)
            {
                var shadow = _il.DeclareLocal(ClrTypes.Of(_localKinds[i]));
                _il.Emit(OpCodes.Ldarg, i);
                _il.Emit(OpCodes.Stloc, shadow);
                parameterShadows.Add((i, shadow));
            }
        }
        _shadows = [.. shadows];
        _parameterShadows = [.. parameterShadows];
        _contextShadow = _il.DeclareLocal(_module.ContextType);
        EmitLoadContext();
        _il.Emit(OpCodes.Stloc, _contextShadow);
    }

    /// <summary>
    /// Before a (non-tail) call: in flat mode the state names the try block whose handlers get the call's exceptions
    /// (0: none, the caller's); inside a try block the shadows take the locals' current values.
    /// </summary>
    private void EmitBeforeCall()
    {
        if (_flat)
        {
            _il.Emit(OpCodes.Ldc_I4, InTry ? _regions[^1].Region!.Id : 0);
            _il.Emit(OpCodes.Stloc, _flatState!);
        }
        if (!InTry) return;
        foreach (var (index, shadow) in _shadows)
        {
            if (index < _paramCount) _il.Emit(OpCodes.Ldarg, index);
            else _il.Emit(OpCodes.Ldloc, _locals[index]!);
            _il.Emit(OpCodes.Stloc, shadow);
        }
    }

    /// <summary>
    /// Flat mode, for functions with many try blocks: the whole body (after the prologue) is one IL protected region
    /// whose handler, for an exception from a call made inside a try block, stores it and leaves to just before the
    /// region; the region's first instruction sends control to that try's dispatch, named by a state local that
    /// every call sets. Try blocks are then ordinary code: nothing to spill on entry but the values their handlers'
    /// targets need, no nested IL regions, one exception clause per method. Exceptions from calls outside any try
    /// block are rethrown to the caller.
    /// </summary>
    private void BeginFlatRegion()
    {
        _flatState = _il.DeclareLocal(typeof(int));
        _flatException = _il.DeclareLocal(typeof(WasmException));
        _flatReenter = _il.DefineLabel();
        _flatSwitch = _il.DefineLabel();
        _il.MarkLabel(_flatReenter);
        _il.Emit(OpCodes.Nop);
        _il.BeginExceptionBlock();
        _inFlatRegion = true;
        _il.Emit(OpCodes.Ldloc, _flatState);
        _il.Emit(OpCodes.Brtrue, _flatSwitch);
    }

    /// <summary>
    /// Flat mode, the end of a try_table (or a legacy try without arms): the body falls through to the end, and the
    /// dispatch is emitted after the whole body (with the clauses' targets resolved now). Inline, each dispatch
    /// would sit between a body's end and the block's end label, and nested try_tables would give RyuJIT chains
    /// of jumps to thread, quadratic in the depth.
    /// </summary>
    private void EndFlatTry(ControlFrame frame)
    {
        var region = frame.Region!;
        if (!frame.Unreachable) frame.Branched = true; // the fall-through arrives at End, marked by FinishTry
        _regions.RemoveAt(_regions.Count - 1);
        region.Open = false;
        _stack.Clear();
        _frames.RemoveAt(_frames.Count - 1);
        var targets = new Dictionary<uint, ControlFrame>();
        foreach (var clause in region.Clauses)
        {
            var target = FrameAt(clause.Label);
            targets[clause.Label] = target;
            if (target.Kind is not (FrameKind.Function or FrameKind.Loop)) target.Branched = true;
        }
        var handler = InTry ? _regions[^1] : null;
        _flatDeferred.Add(() =>
        {
            _stack.Clear();
            EmitDispatchEntry(region);
            if (!EmitClauses(region, label => targets[label]))
            {
                _il.Emit(OpCodes.Ldloc, region.Exception);
                EmitDeliver(handler);
            }
            _stack.Clear();
        });
        FinishTry(frame);
    }

    /// <summary>Ends the flat region: the switch to the dispatches, and the handler (after the body's last instruction).</summary>
    private void EndFlatRegion()
    {
        for (int i = 0; i < _flatDeferred.Count; i++) _flatDeferred[i]();
        _il.MarkLabel(_flatSwitch);
        _il.Emit(OpCodes.Ldloc, _flatState!);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Switch, _flatDispatches.ToArray());
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Throw); // unreachable: the state names an opened try block
        _il.BeginCatchBlock(typeof(WasmException));
        _il.Emit(OpCodes.Stloc, _flatException!);
        var toTry = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _flatState!);
        _il.Emit(OpCodes.Brtrue, toTry);
        _il.Emit(OpCodes.Rethrow);
        _il.MarkLabel(toTry);
        _il.Emit(OpCodes.Leave, _flatReenter);
        _il.EndExceptionBlock();
        _inFlatRegion = false;
        // The region's end label needs an instruction after it even when no pad follows.
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Throw);
    }

    /// <summary>
    /// Flat mode: a try block opens no IL region. Its dispatch arrives with an empty IL stack, so the values below
    /// the block go to locals set once; those below the enclosing open try block are already in its locals (a value
    /// below an open block cannot change), so each value is copied about once however deep the nesting.
    /// </summary>
    private void OpenFlatTry(ControlFrame frame)
    {
        int height = frame.Height;
        var outer = InTry ? _regions[^1].Region! : null;
        int reuse = outer is null ? 0 : Math.Min(outer.Saved.Length, height);
        var saved = new LocalBuilder[height];
        if (outer is not null) Array.Copy(outer.Saved, saved, reuse);
        int count = _stack.Count;
        var copies = new LocalBuilder[count - reuse];
        for (int i = count - 1; i >= reuse; i--)
        {
            var kind = _stack[i];
            var local = i < height ? _il.DeclareLocal(ClrTypes.Of(kind)) : Temp(kind);
            if (i < height) saved[i] = local;
            copies[i - reuse] = local;
            _il.Emit(OpCodes.Stloc, local);
        }
        for (int i = reuse; i < count; i++)
        {
            _il.Emit(OpCodes.Ldloc, copies[i - reuse]);
            if (i >= height) Free(copies[i - reuse]);
        }
        var dispatch = _il.DefineLabel();
        _flatDispatches.Add(dispatch);
        frame.Region = new TryRegion
        {
            Saved = saved,
            SavedKinds = _stack.GetRange(0, height).ToArray(),
            // A try_table's exception lives only from its dispatch to its clauses' branches, so all share the
            // flat one (thousands of reference locals cost the JIT); a legacy try keeps its own for rethrow.
            Exception = frame.Kind == FrameKind.TryTable ? _flatException! : _il.DeclareLocal(typeof(WasmException)),
            Dispatch = dispatch,
            Caught = _il.DefineLabel(),
            Id = _flatDispatches.Count,
        };
        _regions.Add(frame);
    }

    /// <summary>Pushes (as an i32) whether the region's exception has tag x; tags are compared by identity.</summary>
    private void EmitTagIs(TryRegion region, uint tagIndex)
    {
        _il.Emit(OpCodes.Ldloc, region.Exception);
        _il.Emit(OpCodes.Ldfld, s_exceptionTag);
        EmitLoadTag(tagIndex);
        _il.Emit(OpCodes.Ceq);
    }

    private void EmitPushPayload(LocalBuilder exception, uint tagIndex)
    {
        var parameters = _module.TagTypes[tagIndex].Params;
        for (int i = 0; i < parameters.Count; i++)
        {
            var kind = ClrTypes.KindOf(parameters[i]);
            _il.Emit(OpCodes.Ldloc, exception);
            _il.Emit(OpCodes.Ldfld, s_exceptionValues);
            _il.Emit(OpCodes.Ldc_I4, i);
            Call(ValueMarshal.Reader(kind));
            Push(kind);
        }
    }

    private void EmitLoadTag(uint tagIndex)
    {
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextTags);
        _il.Emit(OpCodes.Ldc_I4, (int)tagIndex);
        _il.Emit(OpCodes.Ldelem_Ref);
    }
}
