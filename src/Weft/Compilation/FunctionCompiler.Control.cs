using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

// Structured control: blocks, branches, returns. Branches that must drop operands below the carried values spill
// the carried values to temporaries, pop the rest and reload; when nothing lies below, they branch directly.
internal sealed partial class FunctionCompiler
{

    private (StackKind[] Params, StackKind[] Results) KindsOf(BlockType blockType) => blockType.Kind switch
    {
        BlockTypeKind.Empty => ([], []),
        BlockTypeKind.Value => ([], [ClrTypes.KindOf(blockType.Type)]),
        _ => KindsOf(_module.FuncTypeAt(blockType.TypeIndex)),
    };

    private static (StackKind[] Params, StackKind[] Results) KindsOf(FuncType type) =>
        (type.Params.Select(ClrTypes.KindOf).ToArray(), type.Results.Select(ClrTypes.KindOf).ToArray());

    private ControlFrame PushFrame(FrameKind kind, BlockType blockType)
    {
        var (ps, rs) = KindsOf(blockType);
        var frame = new ControlFrame
        {
            Kind = kind,
            Params = ps,
            Results = rs,
            End = _il.DefineLabel(),
            Height = _stack.Count - ps.Length,
            RegionDepth = _regions.Count,
            IlDepth = IlDepth,
        };
        _frames.Add(frame);
        return frame;
    }

    private void EmitUnreachable()
    {
        EmitTrap(TrapKind.Unreachable);
        Top.Unreachable = true;
    }

    private void EmitBlock(BlockType blockType) => PushFrame(FrameKind.Block, blockType);

    private void EmitLoop(BlockType blockType)
    {
        var frame = PushFrame(FrameKind.Loop, blockType);
        frame.Head = _il.DefineLabel();
        _il.MarkLabel(frame.Head);
        EmitExecutionChecks(); // every back-edge comes through the head
    }

    // Fuel and interrupt checks (function entries and loop heads), emitted only when the options ask for them.
    private void EmitExecutionChecks()
    {
        if (_module.Options.ConsumeFuel)
        {
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStore);
            Call(RuntimeMembers.ConsumeFuel);
        }
        if (_module.Options.Interruptible)
        {
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStore);
            Call(RuntimeMembers.CheckInterrupt);
        }
    }

    private void EmitIf(BlockType blockType)
    {
        Pop();
        var frame = PushFrame(FrameKind.If, blockType);
        frame.Else = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, frame.Else);
    }

    private void EmitElse()
    {
        var frame = Top;
        if (!frame.Unreachable)
        {
            _il.Emit(OpCodes.Br, frame.End);
            frame.Branched = true;
        }
        _il.MarkLabel(frame.Else);
        ResetStack(frame.Height, frame.Params);
        frame.Kind = FrameKind.Else;
        frame.Unreachable = false;
    }

    private void EmitEnd()
    {
        var frame = Top;
        bool reachable;
        switch (frame.Kind)
        {
            case FrameKind.Function:
                if (!frame.Unreachable) EmitReturnValues();
                _frames.RemoveAt(_frames.Count - 1);
                return;
            case FrameKind.If:
                // No else clause: the false condition arrives with the parameters, which are the results.
                if (!frame.Unreachable) _il.Emit(OpCodes.Br, frame.End);
                _il.MarkLabel(frame.Else);
                _il.MarkLabel(frame.End);
                reachable = true;
                break;
            case FrameKind.Loop:
                reachable = !frame.Unreachable;
                break;
            case FrameKind.TryTable:
            case FrameKind.Try:
            case FrameKind.Catch:
                EmitEndTry(frame);
                return;
            default:
                if (frame.Branched) _il.MarkLabel(frame.End);
                reachable = !frame.Unreachable || frame.Branched;
                break;
        }
        _frames.RemoveAt(_frames.Count - 1);
        ResetStack(frame.Height, frame.Results);
        if (!reachable) Top.Unreachable = true;
    }

    private void ResetStack(int height, StackKind[] kinds)
    {
        _stack.RemoveRange(height, _stack.Count - height);
        if (height + kinds.Length > MaxStackHeight) throw StackTooDeep();
        _stack.AddRange(kinds);
    }

    private ControlFrame FrameAt(uint depth) => _frames[_frames.Count - 1 - (int)depth];

    private void EmitBr(uint depth)
    {
        EmitBranchTo(FrameAt(depth));
        Top.Unreachable = true;
    }

    /// <summary>Emits an unconditional branch to a frame; the mirrored stack is left as it was.</summary>
    private void EmitBranchTo(ControlFrame target)
    {
        if (target.Kind == FrameKind.Function)
        {
            EmitReturnKeepingStack();
            return;
        }
        if (target.IlDepth < IlDepth)
        {
            EmitLeaveTo(target);
            return;
        }
        var saved = _stack.ToArray();
        var kinds = target.LabelKinds;
        int extra = _stack.Count - kinds.Length - target.Height;
        if (extra > 0)
        {
            var temps = SpillTop(kinds.Length);
            for (int i = 0; i < extra; i++)
            {
                Pop();
                _il.Emit(OpCodes.Pop);
            }
            Reload(temps, kinds);
        }
        _il.Emit(OpCodes.Br, target.BranchTarget);
        if (target.Kind != FrameKind.Loop) target.Branched = true;
        _stack.Clear();
        _stack.AddRange(saved);
    }

    private bool BranchesDirectly(ControlFrame target) =>
        target.Kind != FrameKind.Function && target.IlDepth == IlDepth && _stack.Count - target.LabelKinds.Length == target.Height;

    private void EmitBrIf(uint depth)
    {
        Pop();
        var target = FrameAt(depth);
        if (BranchesDirectly(target))
        {
            _il.Emit(OpCodes.Brtrue, target.BranchTarget);
            if (target.Kind != FrameKind.Loop) target.Branched = true;
            return;
        }
        var skip = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, skip);
        EmitBranchTo(target);
        _il.MarkLabel(skip);
    }

    private void EmitBrTable(in Instruction ins)
    {
        Pop();
        var depths = InstructionReader.BrTableTargets(Code, ins);
        var labels = new Label[depths.Length];
        var trampolines = new List<(Label Label, ControlFrame Target)>();
        var byDepth = new Dictionary<uint, Label>();
        Label LabelFor(uint depth)
        {
            if (byDepth.TryGetValue(depth, out var known)) return known;
            var target = FrameAt(depth);
            Label label;
            if (BranchesDirectly(target))
            {
                label = target.BranchTarget;
                if (target.Kind != FrameKind.Loop) target.Branched = true;
            }
            else
            {
                label = _il.DefineLabel();
                trampolines.Add((label, target));
            }
            byDepth[depth] = label;
            return label;
        }
        for (int i = 0; i < depths.Length; i++) labels[i] = LabelFor(depths[i]);
        var fallback = LabelFor(ins.Index);
        if (labels.Length > 0) _il.Emit(OpCodes.Switch, labels);
        else _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Br, fallback);
        foreach (var (label, target) in trampolines)
        {
            _il.MarkLabel(label);
            EmitBranchTo(target);
        }
        Top.Unreachable = true;
    }

    private void EmitReturn()
    {
        EmitReturnKeepingStack();
        Top.Unreachable = true;
    }

    private void EmitReturnKeepingStack()
    {
        var saved = _stack.ToArray();
        EmitReturnValues();
        _stack.Clear();
        _stack.AddRange(saved);
    }

    /// <summary>Returns the top values as the function's results, dropping anything below them.</summary>
    private void EmitReturnValues()
    {
        if (InRegion)
        {
            EmitLeaveToReturn();
            return;
        }
        var kinds = _functionResults;
        int extra = _stack.Count - kinds.Length;
        if (extra > 0)
        {
            var temps = SpillTop(kinds.Length);
            for (int i = 0; i < extra; i++)
            {
                Pop();
                _il.Emit(OpCodes.Pop);
            }
            Reload(temps, kinds);
        }
        if (kinds.Length > 1) EmitPackTuple(kinds.Select(ClrTypes.Of).ToArray());
        _il.Emit(OpCodes.Ret);
        Pop(kinds.Length);
    }

    private void EmitSelect()
    {
        Pop();
        var kind = Pop();
        Pop();
        var takeSecond = _il.DefineLabel();
        var done = _il.DefineLabel();
        _il.Emit(OpCodes.Brfalse, takeSecond);
        _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(takeSecond);
        var temp = Temp(kind);
        _il.Emit(OpCodes.Stloc, temp);
        _il.Emit(OpCodes.Pop);
        _il.Emit(OpCodes.Ldloc, temp);
        Free(temp);
        _il.MarkLabel(done);
        Push(kind);
    }

    // ---- multiple results travel as ValueTuples

    /// <summary>Packs the top values (of the given CLR types, first deepest) into a ValueTuple.</summary>
    private void EmitPackTuple(Type[] types) => ClrTypes.EmitPackTuple(_il, types);

    /// <summary>
    /// Replaces a tuple on the stack by its elements. Each nested tuple is reached through a managed pointer of its
    /// own, so the IL is linear in the element count and nothing is copied (a chain of ldflda per element would be
    /// quadratic IL; copying each level out, quadratic bytes).
    /// </summary>
    private void EmitUnpackTuple(StackKind[] kinds)
    {
        var types = kinds.Select(ClrTypes.Of).ToArray();
        var layout = TupleLayout.Of(types);
        var tuple = Temp(layout.Root);
        _il.Emit(OpCodes.Stloc, tuple);
        var pointers = ClrTypes.EmitNodePointers(_il, layout, tuple, Temp);
        foreach (var (node, field) in layout.Elements)
        {
            ClrTypes.EmitNodeAddress(_il, tuple, pointers, node);
            _il.Emit(OpCodes.Ldfld, field);
        }
        Free(tuple);
        foreach (var pointer in pointers)
        {
            if (pointer is not null) Free(pointer);
        }
        foreach (var k in kinds) Push(k);
    }
}
