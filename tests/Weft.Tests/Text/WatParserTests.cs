using System.Text;
using Weft.Syntax;
using Weft.Text;

namespace Weft.Tests.Text;

public class WatParserTests
{
    internal static Module Parse(string text) => WatParser.ParseModule(Encoding.UTF8.GetBytes(text));

    internal static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexString(bytes.Span);

    internal static string Body(string text, int function = 0) => Hex(Parse(text).Codes[function].Code);

    internal static string Fails(string text)
    {
        var e = Assert.Throws<MalformedModuleException>(() => Parse(text));
        return e.Reason;
    }

    [Fact]
    public void ParsesWithAndWithoutModuleWrapper()
    {
        var wrapped = Parse("(module $m (func (result i32) (i32.const 42)))");
        var bare = Parse("(func (result i32) (i32.const 42))");
        foreach (var m in new[] { wrapped, bare })
        {
            var type = Assert.IsType<FuncType>(Assert.Single(m.Types).Composite);
            Assert.Equal([ValType.I32], type.Results);
            Assert.Equal([0u], m.Functions);
            Assert.Equal("412A0B", Hex(m.Codes[0].Code));
        }
        Assert.Empty(Parse("").Functions);
        Assert.Empty(Parse("(module)").Functions);
    }

    [Fact]
    public void TypeUsesFindTheFirstMatchingTypeOrAppendOne()
    {
        // Explicit types are all defined before any use is resolved, so a later (type) still matches.
        var m = Parse("""
            (func (param i32))
            (type $a (func (param i64)))
            (type $b (func (param i32)))
            (type $c (func (param i32)))
            (func (param f32) (result f64))
            (func (type $c))
            (func (type $c) (param i32))
            (func (param f32) (result f64))
            """);
        Assert.Equal([1u, 3u, 2u, 2u, 3u], m.Functions);
        Assert.Equal(4, m.Types.Count);
        Assert.Equal("(func (param f32) (result f64))", m.Types[3].Composite.ToString());
        Assert.False(m.RecGroups[3].ExplicitRec);
    }

    [Fact]
    public void SubTypesAndRecGroupsDoNotSatisfyImplicitTypeUses()
    {
        var m = Parse("""
            (type (sub (func)))
            (rec (type (func)) (type (func)))
            (rec (type (func (param i32))))
            (func)
            (func (param i32))
            """);
        // (sub (func)) is not final; the rec group of two does not count; a rec group of one does.
        Assert.Equal([4u, 3u], m.Functions);
        Assert.True(m.RecGroups[2].ExplicitRec);
    }

    [Theory]
    [InlineData("(type $t (func (param i32))) (func (type $t) (param i64))")]
    [InlineData("(type $t (func (param i32))) (func (type $t) (result i32))")]
    [InlineData("(type $t (func (param i32))) (func (call_indirect (type $t) (param i32) (result i32)))")]
    [InlineData("(type $t (func)) (func (block (type $t) (result i32) (i32.const 0)))")]
    public void InlineTypesMustMatchTheExplicitOne(string text) => Assert.StartsWith("inline function type", Fails(text));

    [Fact]
    public void ParsesGcTypesWithFieldNames()
    {
        var m = Parse("""
            (rec
              (type $node (sub (struct (field $next (ref null $node)) (field $value (mut i32)) (field i8 i16))))
              (type $leaf (sub final $node (struct (field (ref null $node)) (field (mut i32)) (field i8 i16) (field $extra f64)))))
            (type $bytes (array (mut i8)))
            (func (param (ref $leaf)) (result f64 i32)
              (struct.get $leaf $extra (local.get 0))
              (struct.get $node $value (local.get 0)))
            """);
        var node = m.Types[0];
        Assert.False(node.Final);
        var fields = Assert.IsType<StructType>(node.Composite).Fields;
        Assert.Equal(ValType.Ref(HeapType.Concrete(0), true), fields[0].Storage.Type);
        Assert.Equal(new FieldType(StorageType.Of(ValType.I32), true), fields[1]);
        Assert.Equal(PackedType.I8, fields[2].Storage.Packed);
        Assert.Equal(PackedType.I16, fields[3].Storage.Packed);
        Assert.True(m.Types[1].Final);
        Assert.Equal([0u], m.Types[1].Supertypes);
        Assert.Equal(new FieldType(StorageType.I8, true), Assert.IsType<ArrayType>(m.Types[2].Composite).Element);
        // struct.get $leaf $extra = FB 02 01 04; struct.get $node $value = FB 02 00 01
        Assert.Equal("2000FB02010420" + "00FB0200010B", Hex(m.Codes[0].Code));
    }

    [Theory]
    [InlineData("(func $f) (func $f)", "duplicate function $f")]
    [InlineData("(global $g i32 (i32.const 0)) (import \"m\" \"g\" (global $g i32))", "duplicate global $g")]
    [InlineData("(memory $m 1) (memory $m 1)", "duplicate memory $m")]
    [InlineData("(table $t 1 funcref) (table $t 1 funcref)", "duplicate table $t")]
    [InlineData("(func (param $x i32) (local $x i32))", "duplicate local $x")]
    [InlineData("(type (struct (field $a i32) (field $a i32)))", "duplicate field $a")]
    [InlineData("(type $t (func)) (type $t (func))", "duplicate type $t")]
    [InlineData("(elem $e func) (elem $e func)", "duplicate elem segment $e")]
    [InlineData("(data $d \"\") (data $d \"\")", "duplicate data segment $d")]
    [InlineData("(tag $e) (tag $e)", "duplicate tag $e")]
    public void RejectsDuplicateNames(string text, string reason) => Assert.Equal(reason, Fails(text));

    [Theory]
    [InlineData("(func (call $nope))", "unknown function $nope")]
    [InlineData("(func (local.get $x))", "unknown local $x")]
    [InlineData("(func (br $l))", "unknown label $l")]
    [InlineData("(func (global.get $g))", "unknown global $g")]
    [InlineData("(func (drop (ref.null $t)))", "unknown type $t")]
    [InlineData("(type $s (struct)) (func (struct.get $s $f (unreachable)) drop)", "unknown field $f")]
    [InlineData("(func (data.drop $d))", "unknown data segment $d")]
    [InlineData("(func (elem.drop $e))", "unknown elem segment $e")]
    [InlineData("(func (throw $e))", "unknown tag $e")]
    [InlineData("(func (call 4294967296))", "i32 constant out of range")]
    public void RejectsUnknownNames(string text, string reason) => Assert.Equal(reason, Fails(text));

    [Fact]
    public void NumbersLocalsAfterParametersAndMergesLocalDeclarations()
    {
        var m = Parse("""
            (type $t (func (param i32 i64)))
            (func (type $t) (local $a f32) (local f32 f32) (local $b i32) (local.get $b) (drop) (local.get $a) (drop))
            (func (param $x i32) (param f64) (param $y i64) (local.get $y) (drop) (local.get $x) (drop))
            """);
        Assert.Equal([new LocalDecl(3, ValType.F32), new LocalDecl(1, ValType.I32)], m.Codes[0].Locals);
        Assert.Equal("20051A20021A0B", Hex(m.Codes[0].Code));
        Assert.Equal("20021A20001A0B", Hex(m.Codes[1].Code));
    }

    [Fact]
    public void ATypeUseWithoutParametersLooksTheTypeUpOnlyForNamedLocals()
    {
        // A bad type index is a validation matter unless a named local needs the parameter count.
        Assert.Equal([7u], Parse("(func (type 7) (local i32))").Functions);
        Assert.Equal("unknown type 7", Fails("(func (type 7) (local $x i32))"));
    }

    [Fact]
    public void ResolvesLabelsByNameAndDepth()
    {
        string body = Body("""
            (func
              (block $outer
                (loop $inner
                  (block $outer
                    (br $outer) (br $inner) (br 2) (br_if $inner (i32.const 0)) (br_table $outer $inner 2 (i32.const 1))))))
            """);
        Assert.Equal("0240" + "0340" + "0240" + "0C00" + "0C01" + "0C02" + "41000D01" + "41010E02000102" + "0B0B0B0B", body);
    }

    [Theory]
    [InlineData("(func block $a end $b)")]
    [InlineData("(func block end $a)")]
    [InlineData("(func if $a else $b end)")]
    [InlineData("(func i32.const 0 if $a else end $b)")]
    public void RejectsMismatchingLabels(string text) => Assert.Equal("mismatching label", Fails(text));

    [Fact]
    public void FoldedAndPlainFormsEncodeTheSame()
    {
        string folded = Body("""
            (func (param i32) (result i32)
              (if (result i32) (local.get 0)
                (then (i32.add (i32.const 1) (i32.const 2)))
                (else (select (i32.const 3) (i32.const 4) (local.get 0))))
              (block (result i32) (i32.const 5))
              (drop))
            """);
        string plain = Body("""
            (func (param i32) (result i32)
              local.get 0
              if (result i32) i32.const 1 i32.const 2 i32.add else i32.const 3 i32.const 4 local.get 0 select end
              block (result i32) i32.const 5 end
              drop)
            """);
        Assert.Equal(plain, folded);
        Assert.Equal("2000047F41014102" + "6A05410341042000" + "1B0B027F41050B1A0B", plain);
    }

    [Fact]
    public void LeavesOutEmptyElseBranches()
    {
        Assert.Equal(Body("(func (if (i32.const 0) (then nop)))"), Body("(func (if (i32.const 0) (then nop) (else)))"));
        Assert.Equal("410004400B0B", Body("(func i32.const 0 if else end)"));
    }

    [Fact]
    public void BlockTypesUseTypeIndicesForAnythingButOneResult()
    {
        var m = Parse("""
            (type $pair (func (param i32) (result i32 i32)))
            (func (param i32) (result i32 i32) (local.get 0) (block (param i32) (result i32 i32) (i32.const 1)))
            (func (result f32) (block (result f32) (f32.const 0)))
            (func (block (type $pair) (unreachable)))
            """);
        Assert.Equal("2000020041010B0B", Hex(m.Codes[0].Code));
        Assert.Equal("027D43000000000B0B", Hex(m.Codes[1].Code));
        Assert.Equal("0200000B0B", Hex(m.Codes[2].Code));
    }

    [Fact]
    public void ParsesMemoryArguments()
    {
        string body = Body("""
            (memory 1) (memory $two 1)
            (func
              (drop (i32.load (i32.const 0)))
              (drop (i64.load offset=8 align=4 (i32.const 0)))
              (drop (i32.load8_u $two offset=0x10 (i32.const 0)))
              (i64.store32 1 align=1 (i32.const 0) (i64.const 0))
              (drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
              (drop (v128.load8_lane $two 1 (i32.const 0) (v128.const i64x2 0 0)))
              (drop (v128.load16_lane 1 offset=2 3 (i32.const 0) (v128.const i64x2 0 0))))
            """, 0);
        Assert.Equal(
            "41002802001A" + "4100290208" + "1A" + "41002D400110" + "1A" + "41004200" + "3E400100" +
            "4100FD0C" + new string('0', 32) + "FD540000" + "01" + "1A" +
            "4100FD0C" + new string('0', 32) + "FD5440010001" + "1A" +
            "4100FD0C" + new string('0', 32) + "FD55410102" + "03" + "1A" + "0B",
            body);
    }

    [Theory]
    [InlineData("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment must be a power of two")]
    [InlineData("(memory 1) (func (drop (i32.load align=0 (i32.const 0))))", "alignment must be a power of two")]
    [InlineData("(memory 1) (func (drop (i32.load offset=18446744073709551616 (i32.const 0))))", "i64 constant out of range")]
    [InlineData("(memory 1) (func (drop (i32.load offset=-1 (i32.const 0))))", "unknown operator offset=-1")]
    public void RejectsBadMemoryArguments(string text, string reason) => Assert.Equal(reason, Fails(text));

    [Fact]
    public void ParsesConstants()
    {
        Assert.Equal("417F1A" + "428080808080808080807F1A" + "430000C07F1A" + "44000000000000F0BF1A" + "0B",
            Body("(func (drop (i32.const 0xffff_ffff)) (drop (i64.const -0x8000_0000_0000_0000)) (drop (f32.const nan)) (drop (f64.const -1)))"));
        Assert.Equal("constant out of range", Fails("(func (drop (i32.const 0x1_0000_0000)))"));
        Assert.Equal("constant out of range", Fails("(func (drop (i32.const 1.5)))"));
        Assert.Equal("constant out of range", Fails("(func (drop (f32.const 1e40)))"));
        Assert.Equal("constant out of range", Fails("(func (drop (f64.const nan:0x0)))"));
        Assert.Equal("unexpected token", Fails("(func (drop (i32.const $x)))"));
    }

    [Fact]
    public void ParsesVectorConstantsAndShuffles()
    {
        Assert.Equal("FD0C01000000020000000300000004000000" + "1A0B",
            Body("(func (drop (v128.const i32x4 1 2 3 4)))"));
        Assert.Equal("FD0CFF00FFFF000000800000000000000000" + "1A0B",
            Body("(func (drop (v128.const i8x16 -1 0 255 -1 0 0 0 -128 0 0 0 0 0 0 0 0)))"));
        Assert.Equal("FD0C0000803F000000C0" + "0000807F0000C07F" + "1A0B",
            Body("(func (drop (v128.const f32x4 1 -2 inf nan)))"));
        Assert.Equal("wrong number of lane literals", Fails("(func (drop (v128.const i32x4 1 2 3)))"));
        Assert.Equal("constant out of range", Fails("(func (drop (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))"));
        string shuffle = Body("(func (param v128) (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))))");
        Assert.Equal("20002000FD0D000102030405060708090A0B0C0D0E1F1A0B", shuffle);
        Assert.Equal("invalid lane length", Fails("(func (param v128) (drop (i8x16.shuffle 0 1 (local.get 0) (local.get 0))))"));
        Assert.Equal("i8 constant out of range", Fails("(func (param v128) (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1 (local.get 0) (local.get 0))))"));
        Assert.Equal("i8 constant out of range", Fails("(func (param v128) (drop (i8x16.extract_lane_s 256 (local.get 0))))"));
    }

    [Fact]
    public void ParsesReferenceAndGcInstructions()
    {
        string body = Body("""
            (type $s (struct (field i32)))
            (type $a (array i8))
            (func (param anyref) (result anyref)
              (drop (ref.test (ref $s) (local.get 0)))
              (drop (ref.test anyref (local.get 0)))
              (drop (ref.cast (ref null $a) (local.get 0)))
              (drop (ref.cast i31ref (local.get 0)))
              (drop (br_on_cast 0 anyref (ref $s) (local.get 0)))
              (drop (br_on_cast_fail 0 (ref any) (ref null $a) (local.get 0)))
              (drop (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))
              (drop (ref.null none))
              (local.get 0))
            """, 0);
        Assert.Equal(
            "2000FB14001A" + "2000FB156E1A" + "2000FB17011A" + "2000FB176C1A" +
            "2000FB1801006E001A" + "2000FB1902006E011A" + "410141024103FB0801031A" + "D0711A" + "20000B",
            body);
    }

    [Fact]
    public void ResolvesTryTableCatchLabelsOutsideTheBlock()
    {
        string body = Body("""
            (tag $e (param i32))
            (func (result i32)
              (block $h (result i32)
                (try_table $t (catch $e $h) (catch_all 0)
                  (br $t))
                (i32.const 0)))
            """);
        Assert.Equal("027F" + "1F40" + "02" + "000000" + "0200" + "0C00" + "0B" + "41000B0B", body);
    }

    [Fact]
    public void ParsesLegacyTry()
    {
        string plain = Body("""
            (tag $e)
            (func
              try $l
                nop
              catch $e
                rethrow $l
              catch_all
                nop
              end
              try
                nop
              delegate 0)
            """);
        Assert.Equal("0640" + "01" + "0700" + "0900" + "19" + "01" + "0B" + "0640" + "01" + "1800" + "0B", plain);
        string folded = Body("(tag $e) (func (try (do nop) (catch $e (rethrow 0)) (catch_all nop)) (try (do nop) (delegate 0)))");
        Assert.Equal(plain, folded);
    }

    [Fact]
    public void ParsesCallIndirectWithInlineTypes()
    {
        var m = Parse("""
            (type $t (func (param i32) (result i32)))
            (table $tab 1 funcref)
            (table 1 funcref)
            (func (result i32)
              (call_indirect (type $t) (i32.const 1) (i32.const 0))
              (call_indirect 1 (param i32) (result i32) (i32.const 0))
              (return_call_indirect $tab (type $t) (param i32) (result i32) (i32.const 0)))
            """);
        Assert.Equal("41014100110000" + "4100110001" + "4100130000" + "0B", Hex(m.Codes[0].Code));
    }

    [Fact]
    public void ParsesImportsAndExportsInlineAndOutOfLine()
    {
        var m = Parse("""
            (import "m" "f" (func $f (param i32)))
            (func $g (export "g") (export "g2") (import "m" "g") (result i32))
            (global $gl (export "gl") (import "m" "gl") (mut i64))
            (table (export "t") 1 2 externref)
            (memory (export "mem") i64 1)
            (tag (export "e") (param f32))
            (func (export "h") (call $f (i32.const 0)))
            (export "f" (func $f))
            (export "t0" (table 0))
            """);
        Assert.Equal(3, m.Imports.Count);
        Assert.Equal(new Import("m", "g", new FuncImportType(1)), m.Imports[1]);
        Assert.Equal(new Import("m", "gl", new GlobalType(ValType.I64, true)), m.Imports[2]);
        Assert.Equal(
            [("g", ExternKind.Func, 1u), ("g2", ExternKind.Func, 1u), ("gl", ExternKind.Global, 0u), ("t", ExternKind.Table, 0u),
             ("mem", ExternKind.Memory, 0u), ("e", ExternKind.Tag, 0u), ("h", ExternKind.Func, 2u), ("f", ExternKind.Func, 0u),
             ("t0", ExternKind.Table, 0u)],
            m.Exports.Select(e => (e.Name, e.Kind, e.Index)));
        Assert.Equal(new Limits(AddressType.I64, 1, null), m.Memories[0].Limits);
        Assert.Equal(new TableType(ValType.ExternRef, new Limits(AddressType.I32, 1, 2)), m.Tables[0].Type);
    }

    [Theory]
    [InlineData("(func) (import \"m\" \"f\" (func))", "import after function definition")]
    [InlineData("(global i32 (i32.const 0)) (import \"m\" \"f\" (func))", "import after global definition")]
    [InlineData("(memory 1) (func (import \"m\" \"f\"))", "import after memory definition")]
    [InlineData("(table 1 funcref) (global (import \"m\" \"g\") i32)", "import after table definition")]
    [InlineData("(tag) (import \"m\" \"t\" (tag))", "import after tag definition")]
    [InlineData("(func $f) (start $f) (start $f)", "multiple start sections")]
    public void RejectsMisorderedFields(string text, string reason) => Assert.Equal(reason, Fails(text));

    [Fact]
    public void ExpandsInlineElementAndDataSegments()
    {
        var m = Parse("""
            (func $f) (func $g)
            (table $t funcref (elem $f $g $f))
            (table i64 (ref null func) (elem (ref.func $g) (item ref.func $f)))
            (memory $m (data "hello" "!"))
            (data $d "x")
            (func (data.drop $d))
            """);
        Assert.Equal(new Limits(AddressType.I32, 3, 3), m.Tables[0].Type.Limits);
        Assert.Equal(new Limits(AddressType.I64, 2, 2), m.Tables[1].Type.Limits);
        Assert.Equal(2, m.Elements.Count);
        Assert.Equal(SegmentMode.Active, m.Elements[0].Mode);
        Assert.Equal("41000B", Hex(m.Elements[0].Offset!.Code));
        Assert.Equal(["D2000B", "D2010B", "D2000B"], m.Elements[0].Items.Select(i => Hex(i.Code)));
        Assert.Equal(1u, m.Elements[1].TableIndex);
        Assert.Equal("42000B", Hex(m.Elements[1].Offset!.Code));
        Assert.Equal(new Limits(AddressType.I32, 1, 1), m.Memories[0].Limits);
        Assert.Equal("hello!", Encoding.ASCII.GetString(m.Data[0].Bytes.Span));
        // The inline segment takes data index 0, so $d is 1.
        Assert.Equal("FC09010B", Hex(m.Codes[2].Code));
        Assert.Equal(2u, m.DataCount);
    }

    [Fact]
    public void ParsesEveryElementSegmentForm()
    {
        var m = Parse("""
            (table $t 10 funcref)
            (func $f)
            (elem (i32.const 0) $f)
            (elem (table $t) (offset (i32.const 1)) func $f $f)
            (elem (offset (i32.const 2)) funcref (ref.func $f) (ref.null func))
            (elem func $f)
            (elem funcref (item (ref.func $f)))
            (elem declare func $f)
            (elem $e (i32.const 3))
            """);
        var e = m.Elements;
        Assert.Equal([SegmentMode.Active, SegmentMode.Active, SegmentMode.Active, SegmentMode.Passive, SegmentMode.Passive, SegmentMode.Declarative, SegmentMode.Active], e.Select(x => x.Mode));
        Assert.Equal(ValType.Ref(HeapType.Func, false), e[0].ElementType);
        Assert.Equal(ValType.FuncRef, e[2].ElementType);
        Assert.Equal(["D2000B", "D0700B"], e[2].Items.Select(i => Hex(i.Code)));
        Assert.Empty(e[6].Items);
        Assert.Null(m.DataCount);
    }

    [Fact]
    public void ParsesTableInitializers()
    {
        var m = Parse("""
            (func $f)
            (table 1 funcref)
            (table 1 funcref (ref.null func))
            (table 1 (ref func) (ref.func $f))
            """);
        Assert.Null(m.Tables[0].Init);
        Assert.Null(m.Tables[1].Init);
        Assert.Equal("D2000B", Hex(m.Tables[2].Init!.Code));
    }

    [Fact]
    public void ParsesGlobalsWithExtendedConstants()
    {
        var m = Parse("(global $a i32 (i32.const 1)) (global (mut i32) (i32.add (global.get $a) (i32.const 2)))");
        Assert.Equal(new GlobalType(ValType.I32, true), m.Globals[1].Type);
        Assert.Equal("230041026A0B", Hex(m.Globals[1].Init.Code));
    }

    [Theory]
    [InlineData("(func (i32.foo))", "unknown operator i32.foo")]
    [InlineData("(func get_local 0)", "unknown operator get_local")]
    [InlineData("(func (nop) (local i32))", "unexpected token")]
    [InlineData("(func (result i32) (param i32))", "unexpected token")]
    [InlineData("(func", "unexpected token")]
    [InlineData("(func))", "unexpected token")]
    [InlineData("(module (func) (foo))", "unknown operator foo")]
    [InlineData("(func $)", "empty identifier")]
    [InlineData("(func $\"\")", "empty identifier")]
    [InlineData("(func $\"\\ff\")", "malformed UTF-8 encoding")]
    [InlineData("(import \"\\ff\" \"f\" (func))", "malformed UTF-8 encoding")]
    [InlineData("(func \"unclosed)", "unclosed string literal")]
    [InlineData("(@x", "unclosed annotation")]
    [InlineData("(@ x)", "empty annotation id")]
    [InlineData("(func (nop)) \u00e9", "misplaced unicode character")]
    [InlineData("(func (nop)) \u0001", "misplaced control character")]
    [InlineData("(; unclosed", "unclosed comment")]
    public void ReportsTheReferenceErrors(string text, string reason) => Assert.StartsWith(reason, Fails(text));

    [Fact]
    public void CarriesLineAndColumn()
    {
        var e = Assert.Throws<MalformedModuleException>(() => Parse("(module\n  (func\n    (i32.bad)))"));
        Assert.Equal((3, 6), (e.Line, e.Column));
    }

    [Fact]
    public void TurnsCustomAnnotationsIntoSections()
    {
        var m = Parse("""
            (module
              (@custom "a" "x" "y")
              (@custom "b" (before global) "z")
              (@custom "c" (after func) "")
              (@custom "d" (before first))
              (func)
              (@other "ignored"))
            """);
        Assert.Equal(
            [("d", "", (byte)0), ("c", "", (byte)3), ("b", "z", (byte)13), ("a", "xy", (byte)11)],
            m.CustomSections.Select(c => (c.Name, Encoding.ASCII.GetString(c.Data.Span), c.After)));
        Assert.Equal("misplaced @custom annotation", Fails("(func (@custom \"x\"))"));
        Assert.Equal("@custom annotation: missing section name", Fails("(@custom)"));
        Assert.Equal("@custom annotation: malformed section kind", Fails("(@custom \"x\" (after types))"));
        Assert.Equal("@custom annotation: malformed placement", Fails("(@custom \"x\" (type))"));
        Assert.Equal("@custom annotation: unexpected token", Fails("(@custom \"x\" here)"));
    }

    [Fact]
    public void TurnsBranchHintAnnotationsIntoTheirSectionBeforeTheCode()
    {
        var m = Parse("""
            (module
              (@custom "after" (after code) "")
              (@custom "before" (before code) "")
              (func)
              (func (param i32) (result i32) (local i64)
                (@metadata.code.branch_hint "\00")
                (if (result i32) (@metadata.code.branch_hint "\01") (br_if 0 (i32.const 1) (local.get 0))
                  (then (i32.const 2))
                  (else (local.get 0) (@metadata.code.branch_hint "\01") if (result i32) (i32.const 3) else (i32.const 4) end)))
              (@custom "later" (before code) ""))
            """);
        // Sections placed alike keep their source order.
        Assert.Equal(["before", "metadata.code.branch_hint", "later", "after"], m.CustomSections.Select(c => c.Name));
        var hints = m.CustomSections[1];
        Assert.Equal((byte)12, hints.After); // after the data count section, i.e. just before the code section
        // The body of function 1: locals 01 01 7e, then i32.const 1 (3), local.get 0 (5), br_if 0 (7), if (9),
        // i32.const 2 (11), else (13), local.get 0 (14), if (16). The folded if's hint comes first in the source but
        // the br_if among its operands is encoded before it: the section is in offset order.
        Assert.Equal("0101" + "03" + "070101" + "090100" + "100101", Hex(hints.Data));
        Assert.Equal("41012000" + "0D00" + "047F", Hex(m.Codes[1].Code)[..16]);
    }

    [Fact]
    public void ChecksBranchHintAnnotationsAsTheReferenceParserDoes()
    {
        const string Prefix = "@metadata.code.branch_hint annotation: ";
        Assert.Equal(Prefix + "not in a function", Fails("(module (@metadata.code.branch_hint \"\\01\") (func))"));
        Assert.Equal(Prefix + "not in a function", Fails("(global i32 (@metadata.code.branch_hint \"\\01\") (i32.const 0))"));
        Assert.Equal(Prefix + "invalid hint value", Fails("(func (@metadata.code.branch_hint \"\\02\") (if (i32.const 0) (then)))"));
        Assert.Equal(Prefix + "invalid hint value", Fails("(func (@metadata.code.branch_hint \"\\00\\00\") (if (i32.const 0) (then)))"));
        Assert.Equal(Prefix + "unexpected token", Fails("(func (@metadata.code.branch_hint 1) (if (i32.const 0) (then)))"));
        Assert.Equal(Prefix + "invalid placement", Fails("(func (nop) (@metadata.code.branch_hint \"\\01\"))"));
        Assert.Equal(Prefix + "invalid placement", Fails("(func (import \"m\" \"f\") (@metadata.code.branch_hint \"\\01\"))"));
        Assert.Equal(Prefix + "duplicate annotation",
            Fails("(func (@metadata.code.branch_hint \"\\01\") (@metadata.code.branch_hint \"\\01\") (if (i32.const 0) (then)))"));
        // A hint on any instruction parses: whether it may carry one is the custom section checker's business.
        Assert.Single(Parse("(func (@metadata.code.branch_hint \"\\01\") nop)").CustomSections);
        Assert.Empty(Parse("(func (if (i32.const 0) (then)))").CustomSections);
    }

    [Fact]
    public void TakesModuleAndFunctionNamesFromNameAnnotations()
    {
        var m = Parse("""
            (module $m (@name "Mod\u{fc}l")
              (type $t (func))
              (func (@name "first") (type $t))
              (func $second (@name "\u{3bb}") (type $t)))
            """);
        Assert.Equal("Mod\u00fcl", m.Names!.ModuleName);
        Assert.Equal("first", m.Names.FunctionNames[0]);
        Assert.Equal("\u03bb", m.Names.FunctionNames[1]);
        Assert.Null(Parse("(func)").Names);
        Assert.StartsWith("@name annotation: multiple module", Fails("(module (@name \"a\") (@name \"b\"))"));
        Assert.Equal("misplaced @name annotation", Fails("(module (func) (@name \"M\"))"));
        Assert.Equal("misplaced @name annotation", Fails("(module (start $f (@name \"M\")) (func $f))"));
    }

    [Fact]
    public void RefusesNestingDeeperThanTheStackAllows()
    {
        string deep = "(func " + string.Concat(Enumerable.Repeat("(block ", 200_000)) + new string(')', 200_001);
        Assert.Equal("nesting too deep", Fails(deep));
        string deepPlain = "(func " + string.Concat(Enumerable.Repeat("block ", 200_000)) + string.Concat(Enumerable.Repeat("end ", 200_000)) + ")";
        Assert.Equal("nesting too deep", Fails(deepPlain));
        Assert.Equal("nesting too deep", Fails(string.Concat(Enumerable.Repeat("(@a ", 200_000)) + new string(')', 200_000)));
    }
}
