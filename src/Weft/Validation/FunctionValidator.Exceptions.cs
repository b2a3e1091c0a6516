using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

internal sealed partial class FunctionValidator
{
    /// <summary>Spec 3.4.9 throw: the tag's parameters are the payload.</summary>
    private void Throw(uint tag)
    {
        var type = TagAt(tag);
        Pop(type.Params);
        SetUnreachable();
    }

    /// <summary>Spec 3.4.9 throw_ref.</summary>
    private void ThrowRef()
    {
        Pop(ValType.ExnRef);
        SetUnreachable();
    }

    /// <summary>
    /// Spec 3.4.9 try_table: each catch clause branches, relative to the labels outside the try_table, with the tag's
    /// payload (plus the exnref for the _ref forms).
    /// </summary>
    private void TryTable(in Instruction instruction)
    {
        ResolveBlockType(instruction.BlockType, out var start, out var end);
        var reader = new WasmReader(Code) { Position = instruction.VectorOffset };
        for (uint i = 0; i < instruction.VectorCount; i++)
        {
            var kind = (CatchKind)reader.ReadByte();
            uint tag = kind is CatchKind.Catch or CatchKind.CatchRef ? reader.ReadU32() : 0;
            int depth = Label(reader.ReadU32());
            var payload = kind is CatchKind.Catch or CatchKind.CatchRef ? TagAt(tag).Params : default;
            CheckCatch(payload, withExnRef: kind is CatchKind.CatchRef or CatchKind.CatchAllRef, LabelTypes(depth));
        }
        Pop(start);
        PushFrame(FrameKind.TryTable, start, end, instruction.Position);
    }

    private void CheckCatch(ReadOnlySpan<ValType> payload, bool withExnRef, ReadOnlySpan<ValType> label)
    {
        var exnRef = ValType.Ref(HeapType.Exn, nullable: false);
        bool ok = withExnRef
            ? label.Length == payload.Length + 1 && Subtyping.Matches(payload, label[..^1]) && Subtyping.Matches(exnRef, label[^1])
            : Subtyping.Matches(payload, label);
        if (!ok)
        {
            ReadOnlySpan<ValType> handler = withExnRef ? [.. payload, exnRef] : payload;
            throw ValidationErrors.Mismatch("catch handler", label, "label", handler, _module, ErrorOffset);
        }
    }

    /// <summary>Legacy exception handling (spec legacy appendix): try opens a block that catch handlers may follow.</summary>
    private void Try(in Instruction instruction)
    {
        ResolveBlockType(instruction.BlockType, out var start, out var end);
        Pop(start);
        PushFrame(FrameKind.Try, start, end, instruction.Position);
    }

    /// <summary>Legacy catch x: ends the previous arm; the handler starts with the tag's payload.</summary>
    private void Catch(in Instruction instruction)
    {
        var kind = _frames[_frameCount - 1].Kind;
        if (kind is not (FrameKind.Try or FrameKind.Catch)) Malformed("misplaced CATCH opcode");
        var frame = PopFrame();
        var tag = TagAt(instruction.Index);
        PushFrame(FrameKind.Catch, tag.Params, EndTypes(frame), frame.Position);
    }

    /// <summary>Legacy catch_all: the last handler, starting empty.</summary>
    private void CatchAll()
    {
        var kind = _frames[_frameCount - 1].Kind;
        if (kind is not (FrameKind.Try or FrameKind.Catch)) Malformed("misplaced CATCH_ALL opcode");
        var frame = PopFrame();
        PushFrame(FrameKind.CatchAll, [], EndTypes(frame), frame.Position);
    }

    /// <summary>Legacy delegate l: ends a try without handlers; l counts labels outside the try.</summary>
    private void Delegate(uint label)
    {
        if (_frames[_frameCount - 1].Kind != FrameKind.Try) Malformed("misplaced DELEGATE opcode");
        var frame = PopFrame();
        Label(label);
        Push(EndTypes(frame));
    }

    /// <summary>Legacy rethrow l: l must be a catch or catch_all handler.</summary>
    private void Rethrow(uint label)
    {
        int depth = Label(label);
        if (Frame(depth).Kind is not (FrameKind.Catch or FrameKind.CatchAll)) throw Error("invalid rethrow label");
        SetUnreachable();
    }
}
