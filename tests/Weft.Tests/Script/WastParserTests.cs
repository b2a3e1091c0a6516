using System.Text;
using Weft.Script;
using Weft.Syntax;

namespace Weft.Tests.Script;

public class WastParserTests
{
    private static WastScript Parse(string text) => WastParser.Parse(Encoding.UTF8.GetBytes(text), "test.wast");

    [Fact]
    public void ParsesModuleForms()
    {
        var script = Parse("""
            (module $M binary "\00asm" "\01\00\00\00")
            (module quote "(func)")
            (module definition $D binary "\00asm\01\00\00\00")
            (module instance $I $D)
            (module instance $D)
            (register "m" $M)
            """);
        var binary = Assert.IsType<ModuleCommand>(script.Commands[0]);
        Assert.Equal("M", binary.Module.Name);
        Assert.Equal(ScriptModuleKind.Binary, binary.Module.Kind);
        Assert.Equal(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }, binary.Module.Bytes);
        var quote = Assert.IsType<ModuleCommand>(script.Commands[1]);
        Assert.Equal("(func)", Encoding.UTF8.GetString(quote.Module.Bytes!));
        Assert.True(Assert.IsType<ModuleCommand>(script.Commands[2]).Module.IsDefinition);
        var instance = Assert.IsType<ModuleInstanceCommand>(script.Commands[3]);
        Assert.Equal(("I", "D"), (instance.InstanceName, instance.DefinitionName));
        var single = Assert.IsType<ModuleInstanceCommand>(script.Commands[4]);
        Assert.Equal((null, "D"), (single.InstanceName, single.DefinitionName));
        var register = Assert.IsType<RegisterCommand>(script.Commands[5]);
        Assert.Equal(("m", "M"), (register.As, register.ModuleName));
        Assert.Equal(6, register.Line);
    }

    [Fact]
    public void ParsesArgumentsAndResults()
    {
        var script = Parse("""
            (assert_return (invoke $M "f" (i32.const -1) (i64.const 0x10) (f32.const -0.0) (f64.const inf)
                            (ref.null extern) (ref.extern 7) (ref.host 3) (v128.const i16x8 1 2 3 4 5 6 7 -1))
              (f32.const nan:canonical) (f64.const nan:arithmetic) (i32.const 4294967295)
              (ref.null) (ref.null func) (ref.func) (ref.extern) (ref.extern 2) (ref.struct) (ref.array) (ref.i31) (ref.eq)
              (v128.const f32x4 1 nan:canonical -inf nan:arithmetic)
              (either (i32.const 1) (i32.const 2)))
            """);
        var command = Assert.IsType<AssertReturnCommand>(Assert.Single(script.Commands));
        var invoke = Assert.IsType<InvokeAction>(command.Action);
        Assert.Equal(("M", "f"), (invoke.ModuleName, invoke.Name));
        Assert.Equal(new ScriptValue(ScriptValueKind.I32, 0xFFFF_FFFF), invoke.Args[0]);
        Assert.Equal(new ScriptValue(ScriptValueKind.I64, 16), invoke.Args[1]);
        Assert.Equal(new ScriptValue(ScriptValueKind.F32, 0x8000_0000), invoke.Args[2]);
        Assert.Equal(new ScriptValue(ScriptValueKind.F64, 0x7FF0_0000_0000_0000), invoke.Args[3]);
        Assert.Equal(new ScriptValue(ScriptValueKind.RefNull, 0, 0, HeapType.Extern), invoke.Args[4]);
        Assert.Equal(new ScriptValue(ScriptValueKind.RefExtern, 7), invoke.Args[5]);
        Assert.Equal(new ScriptValue(ScriptValueKind.RefHost, 3), invoke.Args[6]);
        Assert.Equal(new ScriptValue(ScriptValueKind.V128, 0x0004_0003_0002_0001, 0xFFFF_0007_0006_0005), invoke.Args[7]);

        var r = command.Expected;
        Assert.Equal((ResultKind.F32Nan, NanPattern.Canonical), (r[0].Kind, r[0].Nan));
        Assert.Equal((ResultKind.F64Nan, NanPattern.Arithmetic), (r[1].Kind, r[1].Nan));
        Assert.Equal(0xFFFF_FFFFUL, r[2].Value.Bits);
        Assert.Equal((ResultKind.RefNull, (HeapType?)null), (r[3].Kind, r[3].Heap));
        Assert.Equal((ResultKind.RefNull, (HeapType?)HeapType.Func), (r[4].Kind, r[4].Heap));
        Assert.Equal(ResultKind.RefFunc, r[5].Kind);
        Assert.Equal((ResultKind.RefExtern, (uint?)null), (r[6].Kind, r[6].HostIndex));
        Assert.Equal((ResultKind.RefExtern, (uint?)2), (r[7].Kind, r[7].HostIndex));
        Assert.Equal([ResultKind.RefStruct, ResultKind.RefArray, ResultKind.RefI31, ResultKind.RefEq], r.Skip(8).Take(4).Select(p => p.Kind));
        var v = r[12];
        Assert.Equal((ResultKind.V128Lanes, V128Shape.F32x4), (v.Kind, v.Shape));
        Assert.Equal(new LanePattern(0x3F80_0000, NanPattern.None), v.Lanes[0]);
        Assert.Equal(NanPattern.Canonical, v.Lanes[1].Nan);
        Assert.Equal(new LanePattern(0xFF80_0000, NanPattern.None), v.Lanes[2]);
        Assert.Equal(NanPattern.Arithmetic, v.Lanes[3].Nan);
        Assert.Equal(2, r[13].Alternatives.Count);
    }

    [Fact]
    public void ParsesAssertions()
    {
        var script = Parse("""
            (assert_trap (invoke "f") "unreachable")
            (assert_trap (module binary "") "out of bounds")
            (assert_exhaustion (invoke "g") "call stack exhausted")
            (assert_exception (invoke "h"))
            (assert_malformed (module quote "(func") "unexpected token")
            (assert_invalid (module binary "") "type mismatch")
            (assert_unlinkable (module binary "") "unknown import")
            (assert_malformed_custom (module quote "(@custom)") "@custom annotation")
            (assert_invalid_custom (module quote "") "x")
            (get "g")
            (invoke "f")
            """);
        var c = script.Commands;
        Assert.NotNull(Assert.IsType<AssertTrapCommand>(c[0]).Action);
        Assert.NotNull(Assert.IsType<AssertTrapCommand>(c[1]).Module);
        Assert.Equal("call stack exhausted", Assert.IsType<AssertExhaustionCommand>(c[2]).Message);
        Assert.IsType<AssertExceptionCommand>(c[3]);
        Assert.Equal(
            [ModuleAssertion.Malformed, ModuleAssertion.Invalid, ModuleAssertion.Unlinkable, ModuleAssertion.MalformedCustom, ModuleAssertion.InvalidCustom],
            c.Skip(4).Take(5).Select(x => Assert.IsType<AssertModuleCommand>(x).Assertion));
        Assert.IsType<GetAction>(Assert.IsType<ActionCommand>(c[9]).Action);
        Assert.IsType<InvokeAction>(Assert.IsType<ActionCommand>(c[10]).Action);
    }

    [Theory]
    [InlineData("(assert_return (invoke \"f\") (i32.const 4294967296))", "constant out of range")]
    [InlineData("(assert_return (invoke \"f\") (v128.const i32x4 1 2 3))", "wrong number of lane literals")]
    [InlineData("(assert_return (invoke \"f\") (i32.const nan:canonical))", "unexpected token")]
    [InlineData("(assert_return (invoke \"f\") (foo.bar))", "unknown operator foo.bar")]
    [InlineData("(invoke \"\\ff\")", "malformed UTF-8 encoding")]
    [InlineData("(module", "unexpected token")]
    public void RejectsMalformedScripts(string text, string reason)
    {
        var e = Assert.Throws<MalformedModuleException>(() => Parse(text));
        Assert.StartsWith(reason, e.Reason);
    }

    [Fact]
    public void KeepsTextModuleErrorsWithTheModule()
    {
        var script = Parse("(module (func (i32.foo)))\n(invoke \"f\")");
        var module = Assert.IsType<ModuleCommand>(script.Commands[0]).Module;
        Assert.Equal(ScriptModuleKind.Text, module.Kind);
        Assert.NotNull(module.ParseError);
        Assert.Null(module.Parsed);
        Assert.Equal(2, script.Commands[1].Line);
    }
}
