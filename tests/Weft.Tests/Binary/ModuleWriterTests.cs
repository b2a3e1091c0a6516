using Weft.Binary;
using Weft.Syntax;
using Weft.Tests.Robustness;
using static Weft.Tests.Binary.Wasm;

namespace Weft.Tests.Binary;

/// <summary>The canonical encoder, and the invariant Write(Read(Write(m))) == Write(m).</summary>
public sealed class ModuleWriterTests
{
    private static byte[] RoundTrip(byte[] bytes) => ModuleWriter.Write(ModuleReader.Read(bytes));

    private static void AssertStable(Module module)
    {
        byte[] once = ModuleWriter.Write(module);
        Assert.Equal(once, RoundTrip(once));
    }

    [Fact]
    public void WritesTheEmptyModule() => Assert.Equal(Module(), ModuleWriter.Write(new Module()));

    [Theory]
    [InlineData(1, 20)]
    [InlineData(2, 200)]
    [InlineData(3, 3)]
    public void SyntheticModulesRoundTrip(int seed, int functions) =>
        AssertStable(SyntheticModules.Generate(seed, functions, 100));

    [Fact]
    public void WritesCanonicalBytesForEverySection()
    {
        // A module that is already canonical is reproduced exactly.
        byte[] bytes = Module(
            Section(0, "01 61"),
            Section(1, "03 60 01 7f 00  4e 02 50 00 5f 01 78 01 4f 01 01 5e 77 00  5f 00"),
            Section(2, "02 01 6d 01 66 00 00  01 6d 01 6d 02 05 00 10"),
            Section(3, "01 00"),
            Section(4, "02 70 00 01  40 00 6f 05 02 03 d0 6f 0b"),
            Section(5, "01 03 01 02"),
            Section(13, "01 00 00"),
            Section(0, "01 62"),
            Section(6, "01 7f 01 41 07 0b"),
            Section(7, "01 01 66 00 01"),
            Section(8, "01"),
            Section(9, "03  00 41 00 0b 01 01  05 6f 01 d0 6f 0b  06 01 41 00 0b 70 01 d2 00 0b"),
            Section(12, "01"),
            Code("01 01 7f 20 00 1a 0b"),
            Section(11, "01 01 01 61"),
            Section(0, "01 63"));
        Assert.Equal(bytes, RoundTrip(bytes));
    }

    [Fact]
    public void ShortensNonCanonicalLebsAndDropsEmptySections()
    {
        byte[] loose = Module(Section(1, "81 00 60 00 00"), Section(3, "01 80 00"), Section(6, "00"), Code("00 0b"));
        byte[] canonical = Module(VoidType, OneFunction, Code("00 0b"));
        Assert.Equal(canonical, RoundTrip(loose));
    }

    [Fact]
    public void PutsCustomSectionsBackWhereTheyStood()
    {
        byte[] bytes = Module(Section(0, "01 61"), VoidType, Section(0, "01 62"), OneFunction, Code("00 0b"), Section(0, "01 63"));
        Assert.Equal(bytes, RoundTrip(bytes));
    }

    [Fact]
    public void KeepsACustomSectionInPlaceWhenItsSectionIsEmpty()
    {
        // After the (empty, so dropped) global section: still after the memory section and before the export section.
        var module = new Module
        {
            Memories = [new MemoryType(new Limits(AddressType.I32, 1, null))],
            Exports = [new Export("m", ExternKind.Memory, 0)],
            CustomSections = [new CustomSection("x", new byte[] { 7 }, After: 6)],
        };
        byte[] bytes = ModuleWriter.Write(module);
        Assert.Equal(Module(Section(5, "01 00 01"), Section(0, "01 78 07"), Section(7, "01 01 6d 02 00")), bytes);
        AssertStable(module);
    }

    [Fact]
    public void ACustomSectionAfterTheDataCountKeepsTheDataCountSection()
    {
        // A text module has no recorded data count; the section the custom one follows is written anyway, so the
        // placement reads back as it was recorded.
        var module = new Module
        {
            Memories = [new MemoryType(new Limits(AddressType.I32, 1, null))],
            CustomSections = [new CustomSection("x", new byte[] { 7 }, After: 12)],
        };
        byte[] bytes = ModuleWriter.Write(module);
        Assert.Equal(Module(Section(5, "01 00 01"), Section(12, "00"), Section(0, "01 78 07")), bytes);
        Assert.Equal(12, ModuleReader.Read(bytes).CustomSections[0].After);
        AssertStable(module);
    }

    public static TheoryData<string, string> ElementForms => new()
    {
        // segment as read -> segment as written
        { "00 41 00 0b 01 00", "00 41 00 0b 01 00" },
        { "04 41 00 0b 01 d2 00 0b", "04 41 00 0b 01 d2 00 0b" },            // (ref null func): no compact form
        { "06 00 41 00 0b 64 70 01 d2 00 0b", "00 41 00 0b 01 00" },          // (ref func) in table 0: compact
        { "02 00 41 00 0b 00 01 00", "00 41 00 0b 01 00" },                   // table 0 needs no index
        { "06 02 41 00 0b 70 01 d2 00 0b", "06 02 41 00 0b 70 01 d2 00 0b" },
        { "05 64 70 01 d2 80 00 0b", "01 00 01 00" },                         // passive (ref func)
        { "07 64 70 02 d2 00 0b d2 01 0b", "03 00 02 00 01" },                // declarative (ref func)
        { "05 64 70 01 d2 00 1a d2 00 0b", "05 64 70 01 d2 00 1a d2 00 0b" }, // not just ref.func
    };

    [Theory]
    [MemberData(nameof(ElementForms))]
    public void WritesTheSmallestElementSegmentForm(string read, string written)
    {
        byte[] bytes = Module(Section(4, "03 70 00 01 70 00 01 70 00 01"), Section(9, "01" + read));
        Assert.Equal(Module(Section(4, "03 70 00 01 70 00 01 70 00 01"), Section(9, "01" + written)), RoundTrip(bytes));
    }

    [Fact]
    public void EncodesNamesWhenThereIsNoNameSection()
    {
        var module = new Module
        {
            Names = new NameSection
            {
                ModuleName = "m",
                FunctionNames = new Dictionary<uint, string> { [1] = "g", [0] = "f" },
                LocalNames = new Dictionary<uint, IReadOnlyDictionary<uint, string>> { [0] = new Dictionary<uint, string> { [0] = "x" } },
            },
        };
        byte[] bytes = ModuleWriter.Write(module);
        var names = ModuleReader.Read(bytes).Names;
        Assert.NotNull(names);
        Assert.Equal("m", names.ModuleName);
        Assert.Equal("f", names.FunctionNames[0]);
        Assert.Equal("x", names.LocalNames[0][0]);
        AssertStable(module);
    }

    [Fact]
    public void WritesDataSegmentsInTheirShortestForm()
    {
        byte[] bytes = Module(Section(5, "02 00 01 00 01"), Section(11, "03 02 00 41 00 0b 00 01 01 61 02 01 41 00 0b 00"));
        byte[] expected = Module(Section(5, "02 00 01 00 01"), Section(11, "03 00 41 00 0b 00 01 01 61 02 01 41 00 0b 00"));
        Assert.Equal(expected, RoundTrip(bytes));
    }

    [Fact]
    public void AddsADataCountSectionWhenCodeUsesData()
    {
        var module = new Module
        {
            RecGroups = [new RecGroup([SubType.Plain(new FuncType([], []))], explicitRec: false)],
            Functions = [0],
            Memories = [new MemoryType(new Limits(AddressType.I32, 1, null))],
            Codes = [new FunctionBody([], Hex("fc 09 00 0b"))],
            Data = [new DataSegment(SegmentMode.Passive, 0, null, new byte[] { 1 })],
        };
        var decoded = ModuleReader.Read(ModuleWriter.Write(module));
        Assert.Equal(1u, decoded.DataCount);
        AssertStable(module);
    }
}
