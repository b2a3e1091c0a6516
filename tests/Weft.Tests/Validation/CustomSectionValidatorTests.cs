using System.Text;
using Weft.Binary;
using Weft.Syntax;
using Weft.Text;
using Weft.Validation;
using static Weft.Tests.Binary.Wasm;

namespace Weft.Tests.Validation;

/// <summary>The custom section checker: branch hints must name defined functions and point at br_if or if.</summary>
public sealed class CustomSectionValidatorTests
{
    // "metadata.code.branch_hint" as a name: its length, then its UTF-8 bytes.
    private static readonly string s_hintName = "19" + Convert.ToHexString("metadata.code.branch_hint"u8);

    // A body without locals: i32.const 1 (offsets 1-2), if (3-4), end (5), end (6); offsets count from the locals.
    private const string IfBody = "00 41 01 04 40 0b 0b";

    private static Module WithHints(string hints, params string[] bodies) =>
        ModuleReader.Read(Module(VoidType, Section(3, Leb(bodies.Length) + string.Concat(bodies.Select(_ => "00"))),
            Section(0, s_hintName + hints), Code(bodies)));

    private static string Invalid(Module module)
    {
        Validator.Validate(module); // the module itself is valid
        return Assert.Throws<InvalidModuleException>(() => CustomSectionValidator.Validate(module)).Reason;
    }

    [Fact]
    public void AcceptsHintsOnIfAndBrIf()
    {
        // block (offsets 1-2), i32.const 0 (3-4), br_if 0 (5-6), end (7), end (8)
        string brIf = "00 02 40 41 00 0d 00 0b 0b";
        CustomSectionValidator.Validate(WithHints("02  00 01 03 01 01  01 01 05 01 00", IfBody, brIf));
        CustomSectionValidator.Validate(WithHints("00", IfBody));
        CustomSectionValidator.Validate(ModuleReader.Read(Function(IfBody)));
    }

    [Theory]
    [InlineData("01 00 01 01 01 01", "invalid target")]   // i32.const
    [InlineData("01 00 01 05 01 01", "invalid target")]   // end
    [InlineData("01 00 01 02 01 01", "invalid offset")]   // inside i32.const
    [InlineData("01 00 01 00 01 01", "invalid offset")]   // the local declarations
    [InlineData("01 00 01 07 01 01", "invalid offset")]   // past the body
    [InlineData("01 00 02 03 01 01 03 01 00", "invalid order")]
    [InlineData("01 01 01 03 01 01", "invalid function index")]
    public void RejectsHintsThatDoNotFitTheCode(string hints, string reason) =>
        Assert.Equal("@metadata.code.branch_hint annotation: " + reason, Invalid(WithHints(hints, IfBody)));

    [Fact]
    public void FunctionsMustComeInIncreasingOrder() =>
        Assert.Equal("@metadata.code.branch_hint annotation: invalid order",
            Invalid(WithHints("02  01 01 03 01 01  00 01 03 01 01", IfBody, IfBody)));

    [Fact]
    public void ImportedFunctionsHaveNoHints()
    {
        const string Import = "02 07 01 01 6d 01 66 00 00";
        string functions = Section(3, "01 00");
        var module = ModuleReader.Read(Module(VoidType, Import, functions, Section(0, s_hintName + "01 00 01 03 01 01"), Code(IfBody)));
        Assert.Equal("@metadata.code.branch_hint annotation: invalid function index", Invalid(module));
        var defined = ModuleReader.Read(Module(VoidType, Import, functions, Section(0, s_hintName + "01 01 01 03 01 01"), Code(IfBody)));
        CustomSectionValidator.Validate(defined);
    }

    [Fact]
    public void OffsetsCountFromTheLocalDeclarationsAsEncoded()
    {
        // One run of one i32 local, its count padded to two bytes: the declarations take 4 bytes, so the if is at 6.
        string body = "01 8100 7f 41 01 04 40 0b 0b";
        CustomSectionValidator.Validate(WithHints("01 00 01 06 01 01", body));
        Assert.Equal("@metadata.code.branch_hint annotation: invalid offset", Invalid(WithHints("01 00 01 05 01 01", body)));
    }

    [Fact]
    public void UndecodableSectionsAreMalformed()
    {
        var module = WithHints("01 00 01 03 02 01", IfBody);
        var e = Assert.Throws<MalformedModuleException>(() => CustomSectionValidator.Validate(module));
        Assert.Equal("@metadata.code.branch_hint section: missing reserved byte", e.Reason);
    }

    [Fact]
    public void OtherCustomSectionsAreNotLookedAt()
    {
        var module = ModuleReader.Read(Function(IfBody, Section(0, "01 61 ff ff")));
        CustomSectionValidator.Validate(module);
    }

    [Fact]
    public void ChecksTheSectionTheTextParserMakes()
    {
        var valid = WatParser.ParseModule(Encoding.UTF8.GetBytes("""
            (module
              (func (param i32) (local i64)
                (@metadata.code.branch_hint "\01") (if (local.get 0) (then))
                (block (@metadata.code.branch_hint "\00") (br_if 0 (local.get 0))))
              (func (param i32) (local.get 0) (@metadata.code.branch_hint "\00") if end))
            """));
        CustomSectionValidator.Validate(valid);

        var invalid = WatParser.ParseModule(Encoding.UTF8.GetBytes("""
            (module (func (param i32) (@metadata.code.branch_hint "\01") (drop (local.get 0))))
            """));
        Assert.Equal("@metadata.code.branch_hint annotation: invalid target", Invalid(invalid));
    }

    [Fact]
    public void ValidationItselfIgnoresCustomSections() =>
        Validator.Validate(WithHints("01 00 01 01 01 01", IfBody));
}
