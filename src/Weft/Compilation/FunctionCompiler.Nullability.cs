using Weft.Binary;
using Weft.Syntax;

namespace Weft.Compilation;

// Null checks left out where the validator's types already say the operand is not null (docs/RATIONALE.md,
// "call_ref: guarded direct calls and replay clones"). Rather than a flag per operand-stack slot, which every block
// end, branch target and spill would have to keep right, the test looks at the instruction emitted just before: an
// instruction that pushes one value leaves it on top, with no label in between (labels come only from control
// instructions), so if its static result type is a non-nullable reference the operand on top is not null. That
// covers the common shapes: struct.get of a (ref $t) local or parameter, call_ref of a non-null field, a cast's
// operand.
internal sealed partial class FunctionCompiler
{
    /// <summary>WEFT_KNOWN_NON_NULL=0 keeps every null check (for A/B measurements).</summary>
    internal static readonly bool KnownNonNullEnabled = Environment.GetEnvironmentVariable("WEFT_KNOWN_NON_NULL") != "0";

    private Instruction _previous;
    private bool _hasPrevious;

    /// <summary>Records the instruction just emitted (or, <paramref name="emitted"/> false, that none was: dead code).</summary>
    private void NotePrevious(in Instruction instruction, bool emitted)
    {
        _previous = instruction;
        _hasPrevious = emitted;
    }

    /// <summary>Whether the reference on top of the operand stack is known not to be null.</summary>
    private bool TopKnownNonNull()
    {
        // Split bodies and their parts are the splitter's rewrites: left as they were.
        if (!KnownNonNullEnabled || !_hasPrevious || _outlined || !ReferenceEquals(_body, _module.Module.Codes[_functionIndex - _module.ImportedFunctionCount])) return false;
        var p = _previous;
        switch (p.Opcode)
        {
            case Opcode.LocalGet or Opcode.LocalTee:
                return LocalType(p.Index) is { IsRef: true, Nullable: false };
            case Opcode.StructGet:
                return TypeAt(p.Index).Fields[(int)p.Index2].Storage.Type is { IsRef: true, Nullable: false };
            case Opcode.ArrayGet:
                return TypeAt(p.Index).Element.Storage.Type is { IsRef: true, Nullable: false };
            // Only the module's own functions: what an import returns is the host's (or another module's) business.
            case Opcode.Call when p.Index >= (uint)_module.ImportedFunctionCount && p.Index < (uint)_module.FunctionTypes.Length:
                return _module.FunctionTypes[p.Index].Results is [{ IsRef: true, Nullable: false }];
            case Opcode.RefAsNonNull or Opcode.RefFunc or Opcode.RefCast or Opcode.RefI31
                or Opcode.StructNew or Opcode.StructNewDefault
                or Opcode.ArrayNew or Opcode.ArrayNewDefault or Opcode.ArrayNewFixed or Opcode.ArrayNewData or Opcode.ArrayNewElem:
                return true;
            default:
                return false;
        }
    }

    private ValType? LocalType(uint index)
    {
        if (index < (uint)_type.Params.Count) return _type.Params[(int)index];
        ulong rest = index - (uint)_type.Params.Count;
        foreach (var decl in _body.Locals)
        {
            if (rest < decl.Count) return decl.Type;
            rest -= decl.Count;
        }
        return null;
    }
}
