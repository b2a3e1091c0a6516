using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Validation;

/// <summary>
/// The decode+validate fast paths widened in issue 17's second look: three-byte LEB128 immediates (function indices of
/// modules with more than 16,384 functions, larger constants and offsets), br_table, and the saturating truncations
/// (0xFC 0..7), in FunctionValidator.Validate and in ExpressionScanner. Validate must agree with InstructionReader +
/// Step on outcome, reason and offset (as FastValidationPathTests), and the scanner must end where the body ends or
/// fail with InstructionReader's error for the same bytes.
/// </summary>
public sealed class WiderFastDecodeTests
{
    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "valid br_table", [0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B, 0x0B, 0x0B] },
        { "valid br_table, padded labels", [0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x80, 0x80, 0x80, 0x80, 0x00, 0x80, 0x00, 0x0B, 0x0B] },
        { "valid br_table, three-byte count of none", [0x02, 0x40, 0x20, 0x00, 0x0E, 0x80, 0x80, 0x00, 0x00, 0x0B, 0x0B] },
        { "br_table unknown label", [0x20, 0x00, 0x0E, 0x01, 0x05, 0x00, 0x0B] },
        { "br_table unknown default", [0x20, 0x00, 0x0E, 0x01, 0x00, 0x07, 0x0B] },
        { "br_table arity mismatch", [0x02, 0x7F, 0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0x00, 0x0B, 0x1A, 0x0B] },
        { "br_table without an operand", [0x0E, 0x00, 0x00, 0x0B] },
        { "br_table cut short", [0x20, 0x00, 0x0E, 0x02, 0x00] },
        { "br_table count cut short", [0x20, 0x00, 0x0E, 0x80] },
        { "br_table huge count", [0x20, 0x00, 0x0E, 0xFF, 0xFF, 0x7F, 0x00, 0x0B] },
        { "valid trunc_sat", [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xFC, 0x02, 0x1A, 0x43, 0, 0, 0, 0, 0xFC, 0x05, 0x1A, 0x0B] },
        { "valid trunc_sat, padded sub-opcode", [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xFC, 0x82, 0x00, 0x1A, 0x0B] },
        { "trunc_sat type mismatch", [0x41, 0x00, 0xFC, 0x02, 0x1A, 0x0B] },
        { "trunc_sat on empty stack", [0xFC, 0x07, 0x1A, 0x0B] },
        { "valid memory.fill after the truncations", [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x00, 0x0B] },
        { "prefix cut short", [0xFC] },
        { "unknown function, three-byte index", [0x10, 0x80, 0x80, 0x01, 0x0B] },
        { "valid local, three-byte index", [0x20, 0x81, 0x80, 0x00, 0x1A, 0x0B] },
        { "unknown local, three-byte index", [0x20, 0x81, 0x80, 0x01, 0x1A, 0x0B] },
        { "local cut short in three bytes", [0x20, 0x80, 0x80] },
        { "valid i32.const, three bytes", [0x41, 0xFF, 0xFF, 0x7F, 0x1A, 0x0B] },
        { "valid i64.const, three bytes", [0x42, 0x80, 0x80, 0x40, 0x1A, 0x0B] },
        { "valid load, three-byte offset", [0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x04, 0x1A, 0x0B] },
        { "load alignment too large, three-byte offset", [0x41, 0x00, 0x28, 0x03, 0x80, 0x80, 0x04, 0x1A, 0x0B] },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ValidateAgreesWithStepByStep(string name, byte[] code)
    {
        var valid = BuildModule();
        var body = new FunctionBody([new LocalDecl(2, ValType.I32)], code, 100);
        ((List<FunctionBody>)valid.Module.Codes)[0] = body;

        string fast = ValidationOutcomes.Fast(valid);
        string stepwise = ValidationOutcomes.Stepwise(valid);
        Assert.Equal(stepwise, fast);
        Assert.Equal(name.StartsWith("valid ", StringComparison.Ordinal), fast == "valid");
    }

    public static TheoryData<string, byte[]> ScannedBodies => new()
    {
        { "br_table", [0x02, 0x40, 0x20, 0x00, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x0B] },
        { "br_table, padded labels", [0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x80, 0x80, 0x80, 0x80, 0x00, 0x80, 0x00, 0x0B, 0x0B] },
        { "br_table, three-byte labels", [0x02, 0x40, 0x20, 0x00, 0x0E, 0x01, 0x80, 0x80, 0x00, 0x80, 0x80, 0x00, 0x0B, 0x0B] },
        { "br_table cut short", [0x20, 0x00, 0x0E, 0x02, 0x00] },
        { "br_table count cut short", [0x20, 0x00, 0x0E, 0x80] },
        { "br_table huge count", [0x20, 0x00, 0x0E, 0xFF, 0xFF, 0x7F, 0x00, 0x0B] },
        { "br_table label too long", [0x20, 0x00, 0x0E, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00, 0x0B] },
        { "trunc_sat", [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xFC, 0x07, 0x1A, 0x0B] },
        { "trunc_sat, padded", [0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xFC, 0x87, 0x00, 0x1A, 0x0B] },
        { "prefix cut short", [0xFC] },
        { "unknown 0xFC sub-opcode", [0xFC, 0x7F, 0x0B] },
        { "call, three-byte index", [0x10, 0x80, 0x80, 0x01, 0x0B] },
        { "call, cut short", [0x10, 0x80, 0x80] },
    };

    [Theory]
    [MemberData(nameof(ScannedBodies))]
    public void TheScannerEndsWhereTheReaderDoes(string name, byte[] code)
    {
        const int baseOffset = 40;
        Assert.Equal(ReadToEnd(code, baseOffset), ValidationOutcomes.Of(() => ExpressionScanner.Scan(code, baseOffset, out _).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.NotNull(name);
    }

    // The reference: InstructionReader over the same bytes, following block nesting to the final end.
    private static string ReadToEnd(byte[] code, int baseOffset) => ValidationOutcomes.Of(() =>
    {
        var reader = new InstructionReader(code, baseOffset);
        int depth = 1;
        while (true)
        {
            if (reader.AtEnd) throw new MalformedModuleException("unexpected end of section or function", baseOffset + code.Length);
            reader.Read(out var instruction);
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If: depth++; break;
                case Opcode.End when --depth == 0: return reader.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    });

    // One function [] -> [] (its body replaced per case) with two i32 locals, memory 1.
    private static ValidModule BuildModule()
    {
        var b = new ModuleBuilder();
        b.Memory(1);
        b.Function([], [], c => { });
        return Validator.Validate(b.Build());
    }
}
