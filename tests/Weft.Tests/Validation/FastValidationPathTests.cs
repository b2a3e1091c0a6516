using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Validation;

/// <summary>
/// FunctionValidator.Validate checks common one-byte instructions straight from the bytes (issue 17) instead of
/// decoding each into an Instruction for Step. These bodies compare it with the compiler's way of driving the
/// validator (InstructionReader + Step, instruction by instruction): the same outcome, exception type, reason and
/// offset, for valid code, for every kind of error the fast cases can raise, and for immediates in long (padded)
/// forms that the fast cases leave to InstructionReader.
/// </summary>
public sealed class FastValidationPathTests
{
    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "valid mix", [0x20, 0x00, 0x41, 0xFF, 0x00, 0x6A, 0x21, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x01, 0xA0, 0x21, 0x01, 0x0B] },
        { "valid memory", [0x41, 0x00, 0x28, 0x02, 0x10, 0x1A, 0x41, 0x00, 0x41, 0x07, 0x3A, 0x00, 0xE7, 0x07, 0x0B] },
        { "valid blocks", [0x02, 0x7F, 0x41, 0x01, 0x0B, 0x04, 0x40, 0x03, 0x40, 0x0C, 0x01, 0x0B, 0x05, 0x0B, 0x0B] },
        { "valid globals and call", [0x23, 0x00, 0x1A, 0x42, 0x05, 0x24, 0x01, 0x10, 0x00, 0x0B] },
        { "valid unreachable", [0x00, 0x6A, 0x1A, 0x0B] },
        { "valid f32 const", [0x43, 0, 0, 0x80, 0x3F, 0x1A, 0x0B] },
        { "unknown local", [0x20, 0x05, 0x1A, 0x0B] },
        { "unknown local, two-byte index", [0x20, 0x85, 0x01, 0x1A, 0x0B] },
        { "unknown local, padded index", [0x20, 0x85, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B] },
        { "local.set on empty stack", [0x21, 0x00, 0x0B] },
        { "local.tee type mismatch", [0x41, 0x00, 0x22, 0x01, 0x1A, 0x0B] },
        { "immutable global", [0x41, 0x00, 0x24, 0x00, 0x0B] },
        { "unknown global", [0x23, 0x07, 0x1A, 0x0B] },
        { "global.set type mismatch", [0x41, 0x00, 0x24, 0x01, 0x0B] },
        { "unknown label", [0x0C, 0x03, 0x0B] },
        { "br_if without condition", [0x0D, 0x00, 0x0B] },
        { "unknown function", [0x10, 0x09, 0x0B] },
        { "unknown function, padded", [0x10, 0x89, 0x80, 0x80, 0x80, 0x00, 0x0B] },
        { "binary type mismatch", [0x41, 0x01, 0x42, 0x02, 0x6A, 0x1A, 0x0B] },
        { "compare type mismatch", [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x41, 0x00, 0x63, 0x1A, 0x0B] },
        { "conversion type mismatch", [0x41, 0x00, 0xB9, 0x1A, 0x0B] },
        { "alignment too large", [0x41, 0x00, 0x28, 0x03, 0x00, 0x1A, 0x0B] },
        { "alignment too large, padded offset", [0x41, 0x00, 0x28, 0x03, 0x80, 0x80, 0x00, 0x1A, 0x0B] },
        { "store type mismatch", [0x41, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x3A, 0x00, 0x00, 0x0B] },
        { "load without address", [0x29, 0x03, 0x00, 0x1A, 0x0B] },
        { "block result missing", [0x02, 0x7F, 0x0B, 0x1A, 0x0B] },
        { "loop result wrong", [0x03, 0x7E, 0x41, 0x00, 0x0B, 0x1A, 0x0B] },
        { "if without condition", [0x04, 0x40, 0x0B, 0x0B] },
        { "if f64 result without else", [0x41, 0x00, 0x04, 0x7C, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B, 0x1A, 0x0B] },
        { "else without if", [0x05, 0x0B] },
        { "valid return with a value left", [0x41, 0x00, 0x0F, 0x0B] },
        { "select mismatch", [0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x1B, 0x1A, 0x0B] },
        { "drop on empty stack", [0x1A, 0x0B] },
        { "value left at end", [0x41, 0x00, 0x0B] },
        { "bytes after the final end", [0x0B, 0x01] },
        { "const after the final end", [0x0B, 0x41, 0x00] },
        { "i32.const cut short", [0x41, 0x80] },
        { "f64.const cut short", [0x44, 0, 0, 0] },
        { "i32.load cut short", [0x41, 0x00, 0x28, 0x02] },
        { "i32.const too long", [0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B] },
        { "missing end", [0x41, 0x00, 0x1A] },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ValidateAgreesWithStepByStep(string name, byte[] code)
    {
        var valid = BuildModule();
        var body = new FunctionBody([new LocalDecl(1, ValType.I32), new LocalDecl(1, ValType.F64)], code, 100);
        ((List<FunctionBody>)valid.Module.Codes)[0] = body;

        string fast = ValidationOutcomes.Fast(valid);
        string stepwise = ValidationOutcomes.Stepwise(valid);
        Assert.Equal(stepwise, fast);
        // Each case's name says whether it is meant to validate; check that it tests what it says.
        Assert.Equal(name.StartsWith("valid ", StringComparison.Ordinal), fast == "valid");
    }

    // One function [] -> [] (its body replaced per case), memory 1, an immutable i32 global and a mutable i64 one.
    private static ValidModule BuildModule()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        b.Global(ValType.I32, mutable: false, ModuleBuilder.I32Const(0));
        b.Global(ValType.I64, mutable: true, ModuleBuilder.Const(c => c.I64(0)));
        b.Function([], [], c => { });
        return Validator.Validate(b.Build());
    }
}
