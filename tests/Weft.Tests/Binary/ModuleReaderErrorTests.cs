using Weft.Binary;
using static Weft.Tests.Binary.Wasm;

namespace Weft.Tests.Binary;

/// <summary>Every way decoding fails, with the reference decoder's message (matched by prefix, as the suite does).</summary>
public sealed class ModuleReaderErrorTests
{
    private static void AssertMalformed(byte[] bytes, string reason)
    {
        var e = Assert.Throws<MalformedModuleException>(() => ModuleReader.Read(bytes));
        Assert.StartsWith(reason, e.Reason, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, bytes.Length);
    }

    [Theory]
    [InlineData("", "unexpected end")]
    [InlineData("00 61 73", "unexpected end")]
    [InlineData("00 61 73 6e 01 00 00 00", "magic header not detected")]
    [InlineData("00 61 73 6d 02 00 00 00", "unknown binary version")]
    [InlineData("00 61 73 6d 01 00", "unexpected end")]
    public void RejectsABadHeader(string hex, string reason) => AssertMalformed(Hex(hex), reason);

    public static TheoryData<string, string> SectionErrors => new()
    {
        { "0e 00", "malformed section id" },
        { "08 01 00 08 01 00", "unexpected content after last section" },              // two start sections
        { "06 01 00 05 01 00", "unexpected content after last section" },              // memory after global
        { "0d 01 00 05 01 00", "unexpected content after last section" },              // memory after tag
        { "01 06 01 60 00 00", "length out of bounds" },                               // section longer than the module
        { "01 05 01 60 00 00", "section size mismatch" },                             // overrun by less than the size's own LEB
        { "01 05 01 60 00 00 00 00 00", "section size mismatch" },                     // section content shorter than its size
        { "01 ff ff ff ff 0f", "length out of bounds" },
        { "01 06 ff ff ff ff 0f 60", "length out of bounds" },                         // huge vector count
        { "00 01 05", "length out of bounds" },                                        // custom section name past the module
        { "00 01 01 61", "unexpected end" },                                          // custom section name past its size
        { "00 02 01 ff", "malformed UTF-8 encoding" },
        { "01 03 01 5d 00", "malformed definition type" },
        { "01 04 01 5f 01 40", "malformed storage type" },
        { "01 05 01 5f 01 7f 02", "malformed mutability" },
        { "01 05 01 60 01 40 00", "malformed reference type" },
        { "01 06 01 60 01 63 40 00", "malformed heap type" },
        { "01 0a 01 50 01 80 80 80 80 08 5f 00", "malformed type index" },
        { "01 03 01 e0 7f", "integer representation too long" },
        { "02 06 01 00 00 05 00 00", "malformed import kind" },
        { "02 06 01 00 00 04 01 00", "zero byte expected" },                             // tag attribute
        { "04 04 01 70 02 00", "malformed limits flags" },                              // tables cannot be shared
        { "05 03 01 10 00", "malformed limits flags" },
        { "05 03 01 08 00", "unexpected end" },                                       // custom-page-sizes: a log2 must follow
        { "04 04 01 7f 00 00", "malformed reference type" },
        { "04 05 01 40 01 70 00", "malformed reference type" },                         // 0x40 not followed by 0x00
        { "04 08 01 40 00 70 00 01 ff 0b", "malformed reference type" },                // any error in the init form
        { "06 04 01 7f 02 0b", "malformed mutability" },
        { "07 05 01 01 66 05 00", "malformed export kind" },
        { "09 03 01 08 00", "malformed elements segment kind" },
        { "09 04 01 01 01 00", "malformed element kind" },
        { "0b 03 01 03 00", "malformed data segment kind" },
        { "0b 07 01 00 41 00 0b 02 61", "unexpected end" },                               // data shorter than its length
        { "0c 01 01", "data count and data section have inconsistent lengths" },
        { "0a 04 01 02 00 0b", "function and code section have inconsistent lengths" },
    };

    [Theory]
    [MemberData(nameof(SectionErrors))]
    public void RejectsMalformedSections(string sections, string reason) =>
        AssertMalformed(Module(sections), reason);

    public static TheoryData<string, string> BodyErrors => new()
    {
        { "00 41 00", "unexpected end of section or function" },
        { "00 27 0b", "illegal opcode 27" },
        { "00 fc 7f 0b", "illegal opcode fc 7f" },
        { "00 fd 80 04 0b", "illegal opcode fd 200" },
        { "00 fc 87 80 80 80 80 00 0b", "integer representation too long" },
        { "00 02 40 05 0b 0b", "END opcode expected" },                                  // else in a block
        { "00 04 40 05 05 0b 0b", "END opcode expected" },                               // two elses
        { "00 07 00 0b", "END opcode expected" },                                        // catch outside try
        { "00 06 40 19 07 00 0b 0b", "END opcode expected" },                            // catch after catch_all
        { "00 06 40 07 00 18 00 0b", "END opcode expected" },                            // delegate after catch
        { "00 18 00 0b", "END opcode expected" },                                        // delegate outside try
        { "00 41 00 28 80 01 00 1a 0b", "malformed memop flags" },
        { "00 fb 18 04 00 6e 6e 0b", "malformed br_on_cast flags" },
        { "00 1f 40 01 04 00 0b 0b", "malformed catch clause" },
        { "00 1c 01 40 0b", "malformed reference type" },                                // typed select with a bad type
        { "00 02 41 0b 0b", "malformed reference type" },                                // a negative one-byte block type
        { "00 02 80 80 80 80 80 01 0b 0b", "integer representation too long" },
        { "00 0e ff ff ff ff 0f 0b", "length out of bounds" },                           // br_table count
        { "02 ff ff ff ff 0f 7f 01 7e 0b", "too many locals" },
        { "01 80 80 80 80 10 7f 0b", "integer too large" },
        { "01 01 40 0b", "malformed reference type" },
    };

    [Theory]
    [MemberData(nameof(BodyErrors))]
    public void RejectsMalformedFunctionBodies(string body, string reason) =>
        AssertMalformed(Function(body, Section(5, "01 00 01")), reason);

    [Fact]
    public void RejectsABodyThatOverrunsItsSize()
    {
        // the body's size says 3 but its end is the 4th byte: read on, then found to mismatch
        AssertMalformed(Module(VoidType, OneFunction, Section(10, "01 03 00 41 00 0b")), "section size mismatch");
    }

    [Fact]
    public void RejectsABodyWithContentAfterItsEnd() =>
        AssertMalformed(Module(VoidType, OneFunction, Section(10, "01 03 00 0b 01")), "section size mismatch");

    [Theory]
    [InlineData("41 00 41 00 41 00 fc 08 00 00")]     // memory.init
    [InlineData("fc 09 00")]                          // data.drop
    [InlineData("41 00 41 00 fb 09 00 00 1a")]        // array.new_data
    public void RequiresADataCountSectionForDataInstructions(string code)
    {
        AssertMalformed(
            Module(VoidType, OneFunction, Section(5, "01 00 01"), Code("00 " + code + " 0b"), Section(11, "01 01 00")),
            "data count section required");
    }

    [Fact]
    public void ReportsStructuralErrorsBeforeCountMismatches()
    {
        // a section out of order wins over a missing code section
        AssertMalformed(Module(VoidType, OneFunction, VoidType), "unexpected content after last section");
    }
}
