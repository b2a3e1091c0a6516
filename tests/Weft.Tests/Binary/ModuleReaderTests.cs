using Weft.Binary;
using Weft.Syntax;
using static Weft.Tests.Binary.Wasm;

namespace Weft.Tests.Binary;

/// <summary>Decoding of each section into the module model.</summary>
public sealed class ModuleReaderTests
{
    [Fact]
    public void DecodesTheEmptyModule()
    {
        var module = ModuleReader.Read(Module());
        Assert.Empty(module.RecGroups);
        Assert.Empty(module.Codes);
        Assert.Null(module.Start);
        Assert.Null(module.DataCount);
        Assert.Null(module.Names);
    }

    [Fact]
    public void DecodesFunctionStructAndArrayTypes()
    {
        // (func (param i32 (ref null 1)) (result i64)), (struct (field (mut i8)) (field i16) (field f64)), (array (mut (ref 0)))
        var module = ModuleReader.Read(Module(Section(1, "03 60 02 7f 63 01 01 7e  5f 03 78 01 77 00 7c 00  5e 64 00 01")));
        Assert.Equal(3, module.Types.Count);
        var func = Assert.IsType<FuncType>(module.Types[0].Composite);
        Assert.Equal([ValType.I32, ValType.Ref(HeapType.Concrete(1), true)], func.Params);
        Assert.Equal([ValType.I64], func.Results);
        var structType = Assert.IsType<StructType>(module.Types[1].Composite);
        Assert.Equal(new FieldType(StorageType.I8, true), structType.Fields[0]);
        Assert.Equal(new FieldType(StorageType.I16, false), structType.Fields[1]);
        Assert.Equal(new FieldType(StorageType.Of(ValType.F64), false), structType.Fields[2]);
        var array = Assert.IsType<ArrayType>(module.Types[2].Composite);
        Assert.Equal(new FieldType(StorageType.Of(ValType.Ref(HeapType.Concrete(0), false)), true), array.Element);
        Assert.All(module.Types, t => Assert.True(t.IsPlain));
        Assert.All(module.RecGroups, g => Assert.False(g.ExplicitRec));
    }

    [Fact]
    public void DecodesRecursionGroupsAndSubtypes()
    {
        // (rec (type (sub (struct))) (type (sub final 0 (struct (field anyref))))) (type (sub final (func)))
        var module = ModuleReader.Read(Module(Section(1, "02 4e 02 50 00 5f 00 4f 01 00 5f 01 6e 00  4f 00 60 00 00")));
        Assert.Equal(2, module.RecGroups.Count);
        Assert.True(module.RecGroups[0].ExplicitRec);
        Assert.Equal(2, module.RecGroups[0].Types.Count);
        Assert.False(module.Types[0].Final);
        Assert.Empty(module.Types[0].Supertypes);
        Assert.True(module.Types[1].Final);
        Assert.Equal([0u], module.Types[1].Supertypes);
        Assert.True(module.Types[2].IsPlain);
        Assert.Equal(1, module.RecGroupOf(2));
    }

    [Fact]
    public void DecodesAllImportKinds()
    {
        string imports = "05"
            + "01 6d 01 66 00 00"              // func type 0
            + "01 6d 01 74 01 70 01 01 02"     // table funcref 1..2
            + "01 6d 01 6d 02 05 00 10"        // memory i64 0..16
            + "01 6d 01 67 03 7f 01"           // global (mut i32)
            + "01 6d 01 65 04 00 00";          // tag type 0
        var module = ModuleReader.Read(Module(VoidType, Section(2, imports)));
        Assert.Equal(5, module.Imports.Count);
        Assert.Equal(new FuncImportType(0), module.Imports[0].Type);
        Assert.Equal(new TableType(ValType.FuncRef, new Limits(AddressType.I32, 1, 2)), module.Imports[1].Type);
        Assert.Equal(new MemoryType(new Limits(AddressType.I64, 0, 16)), module.Imports[2].Type);
        Assert.Equal(new GlobalType(ValType.I32, true), module.Imports[3].Type);
        Assert.Equal(new TagType(0), module.Imports[4].Type);
        Assert.Equal("m", module.Imports[0].ModuleName);
        Assert.Equal("t", module.Imports[1].Name);
    }

    [Fact]
    public void DecodesFunctionBodiesAsSlicesOfTheInput()
    {
        byte[] bytes = Function("02 01 7f 02 7e 41 2a 1a 0b");
        var module = ModuleReader.Read(bytes);
        var body = Assert.Single(module.Codes);
        Assert.Equal([new LocalDecl(1, ValType.I32), new LocalDecl(2, ValType.I64)], body.Locals);
        Assert.Equal(Hex("41 2a 1a 0b"), body.Code.ToArray());
        Assert.Equal(bytes.Length - 4, body.Offset);
        Assert.Equal([0u], module.Functions);
    }

    [Fact]
    public void CopiesTheInput()
    {
        byte[] bytes = Function("00 41 2a 1a 0b");
        var module = ModuleReader.Read(bytes);
        Array.Clear(bytes);
        Assert.Equal(Hex("41 2a 1a 0b"), module.Codes[0].Code.ToArray());
    }

    [Fact]
    public void DecodesBothTableForms()
    {
        // funcref 1 (no init); (ref null extern) i64 2..3 with init (ref.null extern)
        var module = ModuleReader.Read(Module(Section(4, "02 70 00 01  40 00 63 6f 05 02 03 d0 6f 0b")));
        Assert.Equal(new TableDefinition(new TableType(ValType.FuncRef, new Limits(AddressType.I32, 1, null)), null), module.Tables[0]);
        Assert.Equal(new TableType(ValType.ExternRef, new Limits(AddressType.I64, 2, 3)), module.Tables[1].Type);
        Assert.Equal(Hex("d0 6f 0b"), module.Tables[1].Init!.Code.ToArray());
    }

    [Theory]
    [InlineData("00 01", AddressType.I32, 1ul, null, false)]
    [InlineData("01 01 02", AddressType.I32, 1ul, 2ul, false)]
    [InlineData("03 01 02", AddressType.I32, 1ul, 2ul, true)]
    [InlineData("04 ff ff ff ff ff ff ff ff ff 01", AddressType.I64, ulong.MaxValue, null, false)]
    [InlineData("07 00 80 80 04", AddressType.I64, 0ul, 65536ul, true)]
    public void DecodesMemoryLimits(string limits, AddressType addressType, ulong min, ulong? max, bool shared)
    {
        var module = ModuleReader.Read(Module(Section(5, "01" + limits)));
        Assert.Equal(new Limits(addressType, min, max, shared), module.Memories[0].Limits);
    }

    [Fact]
    public void DecodesTagsGlobalsExportsAndStart()
    {
        var module = ModuleReader.Read(Module(
            VoidType,
            OneFunction,
            Section(13, "01 00 00"),
            Section(6, "02 7f 00 41 07 0b  7d 01 43 00 00 80 3f 0b"),
            Section(7, "03 01 66 00 00  01 67 03 01  01 74 04 00"),
            Section(8, "00"),
            Code("00 0b")));
        Assert.Equal([new TagType(0)], module.Tags);
        Assert.Equal(new GlobalType(ValType.I32, false), module.Globals[0].Type);
        Assert.Equal(Hex("41 07 0b"), module.Globals[0].Init.Code.ToArray());
        Assert.Equal(new GlobalType(ValType.F32, true), module.Globals[1].Type);
        Assert.Equal([new Export("f", ExternKind.Func, 0), new Export("g", ExternKind.Global, 1), new Export("t", ExternKind.Tag, 0)], module.Exports);
        Assert.Equal(0u, module.Start);
    }

    public static TheoryData<string, object, uint, string, string[]> ElementForms => new()
    {
        { "00 41 00 0b 02 00 01", SegmentMode.Active, 0, "(ref func)", ["d2 00 0b", "d2 01 0b"] },
        { "01 00 01 01", SegmentMode.Passive, 0, "(ref func)", ["d2 01 0b"] },
        { "02 01 41 00 0b 00 01 00", SegmentMode.Active, 1, "(ref func)", ["d2 00 0b"] },
        { "03 00 01 00", SegmentMode.Declarative, 0, "(ref func)", ["d2 00 0b"] },
        { "04 41 00 0b 02 d2 00 0b d0 70 0b", SegmentMode.Active, 0, "funcref", ["d2 00 0b", "d0 70 0b"] },
        { "05 6f 01 d0 6f 0b", SegmentMode.Passive, 0, "externref", ["d0 6f 0b"] },
        { "06 01 41 00 0b 64 70 01 d2 00 0b", SegmentMode.Active, 1, "(ref func)", ["d2 00 0b"] },
        { "07 70 01 d2 00 0b", SegmentMode.Declarative, 0, "funcref", ["d2 00 0b"] },
    };

    [Theory]
    [MemberData(nameof(ElementForms))]
    // The mode is an object: SegmentMode is internal and test methods are public.
    public void DecodesEveryElementSegmentForm(string segment, object mode, uint table, string type, string[] items)
    {
        var module = ModuleReader.Read(Module(VoidType, Section(3, "02 00 00"), Section(9, "01" + segment), Code("00 0b", "00 0b")));
        var element = Assert.Single(module.Elements);
        Assert.Equal((SegmentMode)mode, element.Mode);
        Assert.Equal(table, element.TableIndex);
        Assert.Equal(type, element.ElementType.ToString());
        Assert.Equal((SegmentMode)mode == SegmentMode.Active, element.Offset is not null);
        Assert.Equal(items.Select(Hex), element.Items.Select(i => i.Code.ToArray()));
    }

    [Fact]
    public void DecodesEveryDataSegmentForm()
    {
        var module = ModuleReader.Read(Module(
            Section(5, "02 00 01 00 01"),
            Section(12, "03"),
            Section(11, "03  00 41 00 0b 02 61 62  01 01 63  02 01 41 08 0b 00")));
        Assert.Equal(3u, module.DataCount);
        Assert.Equal(SegmentMode.Active, module.Data[0].Mode);
        Assert.Equal("ab"u8.ToArray(), module.Data[0].Bytes.ToArray());
        Assert.Equal(Hex("41 00 0b"), module.Data[0].Offset!.Code.ToArray());
        Assert.Equal(SegmentMode.Passive, module.Data[1].Mode);
        Assert.Null(module.Data[1].Offset);
        Assert.Equal(1u, module.Data[2].MemoryIndex);
        Assert.Empty(module.Data[2].Bytes.ToArray());
    }

    [Fact]
    public void RecordsWhereCustomSectionsStood()
    {
        var module = ModuleReader.Read(Module(
            Section(0, "01 61 01 02"),
            VoidType,
            Section(0, "01 62"),
            Section(0, "01 63 ff"),
            Section(5, "01 00 01"),
            Section(13, "01 00 00"),
            Section(0, "01 64")));
        Assert.Equal(["a", "b", "c", "d"], module.CustomSections.Select(c => c.Name));
        Assert.Equal([(byte)0, (byte)1, (byte)1, (byte)13], module.CustomSections.Select(c => c.After));
        Assert.Equal(Hex("01 02"), module.CustomSections[0].Data.ToArray());
        Assert.Equal(Hex("ff"), module.CustomSections[2].Data.ToArray());
    }

    [Fact]
    public void DecodesTheNameSection()
    {
        // module "m"; functions 0 "f", 1 "g"; locals of 0: 0 "x", 1 "y"; and a label subsection (3) that is skipped
        string names = "04 6e 61 6d 65"
            + "00 02 01 6d"
            + "01 07 02 00 01 66 01 01 67"
            + "02 09 01 00 02 00 01 78 01 01 79"
            + "03 01 00";
        var module = ModuleReader.Read(Module(Section(0, names)));
        Assert.NotNull(module.Names);
        Assert.Equal("m", module.Names.ModuleName);
        Assert.Equal("g", module.Names.FunctionNames[1]);
        Assert.Equal("y", module.Names.LocalNames[0][1]);
        Assert.Single(module.CustomSections);
    }

    [Theory]
    [InlineData("01 05 02 00 01 66")]          // function map count says 2, one given
    [InlineData("00 02 01 ff")]                // module name is not UTF-8
    [InlineData("01 09 01 00 01 66")]          // subsection size past the end
    [InlineData("00 03 01 6d 6d")]             // subsection longer than its content
    public void AMalformedNameSectionIsJustACustomSection(string content)
    {
        var module = ModuleReader.Read(Module(Section(0, "04 6e 61 6d 65" + content)));
        Assert.Null(module.Names);
        Assert.Equal("name", Assert.Single(module.CustomSections).Name);
    }

    [Theory]
    [InlineData("06 40 07 00 00 08 00 0b 0b")]                   // try catch 0 end
    [InlineData("06 40 07 00 07 00 19 00 0b 0b")]                // try catch catch catch_all end
    [InlineData("06 40 01 18 00 0b")]                            // try delegate 0
    [InlineData("06 40 06 40 09 01 18 00 19 0b 0b")]             // nested try with rethrow and delegate
    [InlineData("1f 40 02 00 00 00 02 00 0b 0b")]                // try_table (catch 0 0) (catch_all 0)
    [InlineData("41 00 04 7f 41 01 05 41 02 0b 1a 0b")]          // if/else with a result
    public void DecodesStructuredInstructions(string code)
    {
        var module = ModuleReader.Read(Module(VoidType, OneFunction, Section(13, "01 00 00"), Code("00 " + code)));
        Assert.Equal(Hex(code), module.Codes[0].Code.ToArray());
    }

    [Fact]
    public void DecodesDeeplyNestedBlocksWithoutRecursion()
    {
        const int depth = 100_000;
        string code = string.Concat(Enumerable.Repeat("02 40 ", depth)) + string.Concat(Enumerable.Repeat("0b ", depth + 1));
        var module = ModuleReader.Read(Function("00 " + code));
        Assert.Equal(depth * 3 + 1, module.Codes[0].Code.Length);
    }

    [Fact]
    public void RecordsDataUseWithADataCountSection()
    {
        // memory.init 0 0, data.drop 0, with a data count section: fine
        var module = ModuleReader.Read(Module(
            VoidType, OneFunction, Section(5, "01 00 01"), Section(12, "01"),
            Code("00 41 00 41 00 41 00 fc 08 00 00 fc 09 00 0b"),
            Section(11, "01 01 00")));
        Assert.Equal(1u, module.DataCount);
    }

    [Theory]
    [InlineData("41 00 28 42 01 80 80 04 1a")]                  // i32.load with a memory index and a multi-byte offset
    [InlineData("41 00 28 82 00 00 1a")]                        // alignment flags in two bytes
    [InlineData("41 80 80 80 80 78 1a 42 7f 1a")]               // i32.const INT_MIN, i64.const -1
    [InlineData("43 00 00 80 3f 1a 44 00 00 00 00 00 00 f0 3f 1a")] // f32.const, f64.const
    [InlineData("02 00 0b 02 7b 00 1a 0b")]                     // block of type index 0, block with a v128 result
    [InlineData("41 00 11 00 00")]                              // call_indirect
    [InlineData("fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 1a")] // v128.const
    [InlineData("d0 70 d1 1a fc 10 00 1a")]                      // ref.null, ref.is_null, table.size
    public void DecodesImmediatesOnTheFastAndTheSlowPath(string code)
    {
        string body = "00 " + code + " 0b";
        var module = ModuleReader.Read(Module(
            VoidType, Section(3, "01 00"), Section(4, "01 70 00 01"), Section(5, "02 00 01 00 01"), Code(body)));
        Assert.Equal(Hex(code + " 0b"), module.Codes[0].Code.ToArray());
    }
}
