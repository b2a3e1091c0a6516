using Weft.Binary;
using Weft.Syntax;
using static Weft.Tests.Binary.Wasm;

namespace Weft.Tests.Binary;

/// <summary>The branch hint section's encoding, and where the writer puts it.</summary>
public sealed class BranchHintSectionTests
{
    // "metadata.code.branch_hint" as a name: its length, then its UTF-8 bytes.
    private static readonly string s_name = "19" + Convert.ToHexString("metadata.code.branch_hint"u8);

    [Fact]
    public void EncodesFunctionsThenOffsetSizeAndHintPerHint()
    {
        byte[] content = BranchHintSection.Encode(
        [
            new BranchHintSection.Function(1, [new BranchHintSection.Hint(5, false), new BranchHintSection.Hint(200, true)]),
            new BranchHintSection.Function(3, [new BranchHintSection.Hint(2, true)]),
        ]);
        // 2 functions; function 1 with 2 hints (5 size 1 unlikely; 200 = c8 01 size 1 likely); function 3 with one.
        Assert.Equal(Hex("02  01 02 05 01 00 c801 01 01  03 01 02 01 01"), content);
    }

    [Fact]
    public void DecodesWhatItEncodes()
    {
        var functions = BranchHintSection.Decode(Hex("02  01 02 05 01 00 c801 01 01  03 01 02 01 01"));
        Assert.Equal(2, functions.Count);
        Assert.Equal(1u, functions[0].FunctionIndex);
        Assert.Equal([new BranchHintSection.Hint(5, false), new BranchHintSection.Hint(200, true)], functions[0].Hints);
        Assert.Equal(3u, functions[1].FunctionIndex);
        Assert.Equal([new BranchHintSection.Hint(2, true)], functions[1].Hints);
        Assert.Empty(BranchHintSection.Decode(Hex("00")));
    }

    [Theory]
    [InlineData("", "unexpected end")]
    [InlineData("01 00 01 05 01", "unexpected end")]
    [InlineData("01 00 01 05 02 00", "missing reserved byte")]
    [InlineData("01 00 01 05 01 02", "invalid hint value")]
    [InlineData("01 00 01 80808080 10 01 00", "integer too large")]
    [InlineData("01 00 01 05 01 00 00", "unexpected content after the last function")]
    [InlineData("05 00", "length out of bounds")]
    public void RejectsContentOutsideTheGrammar(string content, string reason)
    {
        var e = Assert.Throws<MalformedModuleException>(() => BranchHintSection.Decode(Hex(content)));
        Assert.StartsWith("@metadata.code.branch_hint section: " + reason, e.Reason);
    }

    [Fact]
    public void LocalsSizeIsAsReadFromABinaryAndCanonicalOtherwise()
    {
        // Two runs of locals, the first count padded to two bytes (81 00): 02 81 00 7f 01 7e, 6 bytes as read.
        var read = ModuleReader.Read(Function("02 8100 7f 01 7e 0b"));
        Assert.Equal(6, BranchHintSection.LocalsSize(read.Codes[0]));
        var built = new FunctionBody([new LocalDecl(1, ValType.I32), new LocalDecl(1, ValType.I64)], Hex("0b"));
        Assert.Equal(5, BranchHintSection.LocalsSize(built));
        Assert.Equal(1, BranchHintSection.LocalsSize(new FunctionBody([], Hex("0b"))));
    }

    [Fact]
    public void WriterPutsTheSectionBeforeTheCodeSectionWhereverItWasRecorded()
    {
        var module = ModuleReader.Read(Function("00 01 0b"));
        var misplaced = new Module
        {
            RecGroups = module.RecGroups,
            Functions = module.Functions,
            Codes = module.Codes,
            CustomSections =
            [
                new CustomSection("a", Hex("01"), 10),
                new CustomSection(BranchHintSection.Name, Hex("01 00 01 01 01 01"), 11),
            ],
        };
        byte[] expected = Module(VoidType, OneFunction, Section(0, s_name + "01 00 01 01 01 01"), Code("00 01 0b"), Section(0, "01 61 01"));
        byte[] written = ModuleWriter.Write(misplaced);
        Assert.Equal(expected, written);
        Assert.Equal(written, ModuleWriter.Write(ModuleReader.Read(written)));
    }
}
