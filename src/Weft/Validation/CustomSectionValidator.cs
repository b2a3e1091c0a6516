using System.Diagnostics.CodeAnalysis;
using Weft.Binary;
using Weft.Syntax;

namespace Weft.Validation;

/// <summary>
/// Checks the custom sections Weft knows against the module they describe: today the branch hint section. The spec
/// forbids letting a custom section make a module invalid, so <see cref="Validator"/> never calls this; it serves
/// tools and the script runner's <c>assert_invalid_custom</c>, like the reference's custom section handlers' check.
/// </summary>
internal static class CustomSectionValidator
{
    // The reference's check words its messages this way, for sections and annotations alike.
    private const string BranchHintPrefix = "@metadata.code.branch_hint annotation: ";

    /// <summary>Checks every known custom section of a (well-formed, usually validated) module.</summary>
    /// <exception cref="MalformedModuleException">A known custom section does not follow its grammar.</exception>
    /// <exception cref="InvalidModuleException">A known custom section does not fit the module.</exception>
    public static void Validate(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var section in module.CustomSections)
        {
            if (section.Name == BranchHintSection.Name) CheckBranchHints(module, BranchHintSection.Decode(section.Data.Span));
        }
    }

    /// <summary>
    /// Branch hints: each names a function the module defines, functions in increasing index order, and within one
    /// function the offsets increase and each is where a <c>br_if</c> or an <c>if</c> starts.
    /// </summary>
    private static void CheckBranchHints(Module module, IReadOnlyList<BranchHintSection.Function> functions)
    {
        int imported = module.ImportCount(ExternKind.Func);
        long previous = -1;
        foreach (var function in functions)
        {
            long index = function.FunctionIndex;
            if (index < imported || index - imported >= module.Codes.Count) Fail("invalid function index", -1, index);
            if (index <= previous) Fail("invalid order", -1, index);
            previous = index;
            CheckFunctionHints(module.Codes[(int)(index - imported)], function);
        }
    }

    private static void CheckFunctionHints(FunctionBody body, BranchHintSection.Function function)
    {
        int localsSize = BranchHintSection.LocalsSize(body);
        var reader = new InstructionReader(body.Code.Span, Math.Max(body.Offset, 0));
        var instruction = default(Instruction);
        bool started = false; // whether `instruction` holds the last instruction read
        long previous = -1;
        foreach (var hint in function.Hints)
        {
            long at = (long)hint.Offset - localsSize;
            if (hint.Offset <= previous) Fail("invalid order", ModuleOffset(body, at), function.FunctionIndex);
            previous = hint.Offset;

            // Offsets increase, so one pass over the body finds every target.
            while ((!started || instruction.Position < at) && !reader.AtEnd)
            {
                reader.Read(out instruction);
                started = true;
            }
            if (!started || instruction.Position != at) Fail("invalid offset", ModuleOffset(body, at), function.FunctionIndex);
            if (instruction.Opcode is not (Opcode.If or Opcode.BrIf)) Fail("invalid target", ModuleOffset(body, at), function.FunctionIndex);
        }
    }

    // Where an instruction offset lands in the module binary, when the body came from one.
    private static long ModuleOffset(FunctionBody body, long at) => body.Offset >= 0 && at >= 0 ? body.Offset + at : -1;

    [DoesNotReturn]
    private static void Fail(string what, long offset, long function) =>
        throw new InvalidModuleException(BranchHintPrefix + what, offset, $"function {function}");
}
