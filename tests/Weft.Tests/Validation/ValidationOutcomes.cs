using Weft.Binary;
using Weft.Validation;

namespace Weft.Tests.Validation;

/// <summary>
/// The outcome of validating or decoding as one comparable string ("valid", or the exception kind, reason and offset),
/// and the two ways of validating function 0 that the fast-path tests compare: FunctionValidator.Validate, and the
/// compiler's way (InstructionReader + Step, instruction by instruction).
/// </summary>
internal static class ValidationOutcomes
{
    /// <summary>"valid" when <paramref name="validate"/> returns, else the error it raised.</summary>
    public static string Of(Action validate) => Of(() =>
    {
        validate();
        return "valid";
    });

    /// <summary>What <paramref name="run"/> returns, else the validation or decoding error it raised.</summary>
    public static string Of(Func<string> run)
    {
        try
        {
            return run();
        }
        catch (InvalidModuleException e)
        {
            return $"invalid: {e.Reason} @ {e.Offset}";
        }
        catch (MalformedModuleException e)
        {
            return $"malformed: {e.Reason} @ {e.Offset}";
        }
    }

    /// <summary>Function 0 validated by FunctionValidator.Validate (with its fast paths).</summary>
    public static string Fast(ValidModule valid) => Of(() => new FunctionValidator(valid).Validate(0));

    /// <summary>Function 0 validated instruction by instruction, as the compiler drives the validator.</summary>
    public static string Stepwise(ValidModule valid) => Of(() =>
    {
        var checker = new FunctionValidator(valid);
        checker.Begin(0);
        var reader = new InstructionReader(checker.Code, (int)checker.CodeOffset);
        while (!reader.AtEnd)
        {
            reader.Read(out var instruction);
            checker.Step(instruction);
        }
        checker.End();
    });
}
