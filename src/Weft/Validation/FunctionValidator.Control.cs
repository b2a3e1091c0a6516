using System.Runtime.InteropServices;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    // Holds the result of a single-value block type so that it can be handed on as a span without allocating.
    private ValType _blockResult;

    /// <summary>Spec 3.2.9 / 3.4.9 block types: [] -> [], [] -> [t], or a function type by index.</summary>
    private void ResolveBlockType(BlockType blockType, out ReadOnlySpan<ValType> start, out ReadOnlySpan<ValType> end)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                start = default;
                end = default;
                break;
            case BlockTypeKind.Value:
                _blockResult = CanonicalValType(blockType.Type);
                start = default;
                end = MemoryMarshal.CreateReadOnlySpan(ref _blockResult, 1);
                break;
            default:
                var type = FuncTypeAt(blockType.TypeIndex);
                start = type.Params;
                end = type.Results;
                break;
        }
    }

    /// <summary>Spec 3.4.9 block.</summary>
    private void Block(in Instruction instruction) => Block(instruction.BlockType, instruction.Position);

    private void Block(BlockType blockType, int position)
    {
        ResolveBlockType(blockType, out var start, out var end);
        Pop(start);
        PushFrame(FrameKind.Block, start, end, position);
    }

    /// <summary>Spec 3.4.9 loop.</summary>
    private void Loop(in Instruction instruction) => Loop(instruction.BlockType, instruction.Position);

    private void Loop(BlockType blockType, int position)
    {
        ResolveBlockType(blockType, out var start, out var end);
        Pop(start);
        PushFrame(FrameKind.Loop, start, end, position);
    }

    /// <summary>Spec 3.4.9 if.</summary>
    private void If(in Instruction instruction) => If(instruction.BlockType, instruction.Position);

    private void If(BlockType blockType, int position)
    {
        ResolveBlockType(blockType, out var start, out var end);
        Pop(ValType.I32);
        Pop(start);
        PushFrame(FrameKind.If, start, end, position);
    }

    /// <summary>The else arm starts again from the if's parameters.</summary>
    private void Else()
    {
        if (_frames[_frameCount - 1].Kind != FrameKind.If) Malformed("misplaced ELSE opcode");
        var frame = PopFrame();
        PushFrame(FrameKind.Else, StartTypes(frame), EndTypes(frame), frame.Position);
    }

    /// <summary>The end of a block; the final one ends the function.</summary>
    private void EndFrame()
    {
        var frame = PopFrame();
        if (frame.Kind == FrameKind.If)
        {
            // An if without else has an empty else arm, which passes the parameters through as the results.
            var start = StartTypes(frame);
            var end = EndTypes(frame);
            if (!Subtyping.Matches(start, end))
            {
                throw ValidationErrors.Mismatch("instruction", end, "stack", start, _module, ErrorOffset);
            }
        }
        if (_frameCount == 0)
        {
            _finished = true;
            return;
        }
        Push(EndTypes(frame));
    }

    /// <summary>Spec 3.4.9 br.</summary>
    private void Br(uint label)
    {
        int depth = Label(label);
        Pop(LabelTypes(depth));
        SetUnreachable();
    }

    /// <summary>Spec 3.4.9 br_if: the label's types stay on the stack when the branch is not taken.</summary>
    private void BrIf(uint label)
    {
        int depth = Label(label);
        Pop(ValType.I32);
        var types = LabelTypes(depth);
        Pop(types);
        Push(types);
    }

    /// <summary>
    /// Spec 3.4.9 br_table: every target has the default's arity, and the operands match every target's label
    /// types (which may differ: each need only be a supertype of the operands).
    /// </summary>
    private void BrTable(in Instruction instruction)
    {
        var code = Code;
        int defaultDepth = Label(instruction.Index);
        int arity = LabelTypes(defaultDepth).Length;
        var reader = new WasmReader(code) { Position = instruction.VectorOffset };
        for (uint i = 0; i < instruction.VectorCount; i++)
        {
            int depth = Label(reader.ReadU32());
            var types = LabelTypes(depth);
            if (types.Length != arity)
            {
                throw Error($"type mismatch: br_table target {depth} has {types.Length} values but the default label has {arity}");
            }
        }
        Pop(ValType.I32);
        reader.Position = instruction.VectorOffset;
        for (uint i = 0; i < instruction.VectorCount; i++) MatchTop(LabelTypes((int)reader.ReadU32()));
        Pop(LabelTypes(defaultDepth));
        SetUnreachable();
    }

    /// <summary>The results of the function, its outermost frame's end types.</summary>
    private ReadOnlySpan<ValType> FunctionResults => EndTypes(_frames[0]);

    /// <summary>Spec 3.4.9 return.</summary>
    private void Return()
    {
        Pop(FunctionResults);
        SetUnreachable();
    }

    /// <summary>Spec 3.4.9 call.</summary>
    private void Call(uint function)
    {
        var type = FunctionAt(function);
        Pop(type.Params);
        Push(type.Results);
    }

    /// <summary>The table of call_indirect must hold function references.</summary>
    private TableType FunctionTableAt(uint table)
    {
        var type = TableAt(table);
        if (!Subtyping.MatchesRef(type.ElementType, ValType.FuncRef))
        {
            throw Error($"type mismatch: instruction requires table of function type but table has element type {Format(type.ElementType)}");
        }
        return type;
    }

    /// <summary>Spec 3.4.9 call_indirect (binary immediates: type, then table).</summary>
    private void CallIndirect(uint typeIndex, uint table)
    {
        var tableType = FunctionTableAt(table);
        var type = FuncTypeAt(typeIndex);
        Pop(tableType.Limits.AddressValType);
        Pop(type.Params);
        Push(type.Results);
    }

    /// <summary>Spec 3.4.9 call_ref.</summary>
    private void CallRef(uint typeIndex)
    {
        var type = FuncTypeAt(typeIndex);
        Pop(type.Ref(nullable: true));
        Pop(type.Params);
        Push(type.Results);
    }

    /// <summary>A tail call's results must match the caller's results (by subtyping: spec 3.4.9 return_call).</summary>
    private void CheckTailCallResults(DefinedType callee)
    {
        if (!Subtyping.Matches(callee.Results, FunctionResults))
        {
            throw Error($"type mismatch: current function requires result type {Format(FunctionResults)} but callee returns {Format(callee.Results)}");
        }
    }

    /// <summary>Spec 3.4.9 return_call.</summary>
    private void ReturnCall(uint function)
    {
        var type = FunctionAt(function);
        CheckTailCallResults(type);
        Pop(type.Params);
        SetUnreachable();
    }

    /// <summary>Spec 3.4.9 return_call_indirect.</summary>
    private void ReturnCallIndirect(uint typeIndex, uint table)
    {
        var tableType = FunctionTableAt(table);
        var type = FuncTypeAt(typeIndex);
        CheckTailCallResults(type);
        Pop(tableType.Limits.AddressValType);
        Pop(type.Params);
        SetUnreachable();
    }

    /// <summary>Spec 3.4.9 return_call_ref.</summary>
    private void ReturnCallRef(uint typeIndex)
    {
        var type = FuncTypeAt(typeIndex);
        CheckTailCallResults(type);
        Pop(type.Ref(nullable: true));
        Pop(type.Params);
        SetUnreachable();
    }
}
