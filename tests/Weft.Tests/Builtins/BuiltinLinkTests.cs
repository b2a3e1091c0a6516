namespace Weft.Tests.Builtins;

/// <summary>
/// Builtin imports are checked when the module is created (the JS API's eager link check, a CompileError there, a
/// <see cref="LinkException"/> "incompatible import type" here), and string constants are global imports whose name
/// is the string (JS API importedStringConstants: immutable, a supertype of <c>(ref extern)</c>).
/// </summary>
public sealed class BuiltinLinkTests
{
    private static readonly WasmModuleOptions All = new()
    {
        Builtins = new HashSet<string> { WasmModuleOptions.JsString, WasmModuleOptions.TextDecoder, WasmModuleOptions.TextEncoder },
    };

    public static TheoryData<string, string> Builtins()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, p, r) in JsStringModule.Builtins) data.Add(name, $"(param {p}) (result {r})");
        return data;
    }

    [Theory]
    [MemberData(nameof(Builtins))]
    public void TheRightTypeInANontrivialRecGroupIsRejected(string name, string signature)
    {
        // As the JS API's "Incorrect types" test: the same signature, but in a recursion group with a struct.
        string text = $$"""
            (module
              (type $a16 (array (mut i16)))
              (rec (type $f (func {{signature}})) (type (struct)))
              (import "wasm:js-string" "{{name}}" (func (type $f))))
            """;
        var e = Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, All));
        Assert.Equal("incompatible import type", e.Reason);
        Assert.Contains($"\"wasm:js-string\" \"{name}\"", e.Message);
        // Without the option it is an ordinary import.
        Assert.Single(WasmModule.FromText(text).Imports);
    }

    [Theory]
    [InlineData("length", "(param externref) (result i64)")]
    [InlineData("length", "(param anyref) (result i32)")]
    [InlineData("length", "(param (ref extern)) (result i32)")]
    [InlineData("cast", "(param externref) (result externref)")]
    [InlineData("charCodeAt", "(param externref i64) (result i32)")]
    [InlineData("fromCharCodeArray", "(param (ref null $a8) i32 i32) (result (ref extern))")]
    [InlineData("fromCharCodeArray", "(param (ref null $i16) i32 i32) (result (ref extern))")]
    public void AWrongSignatureIsRejected(string name, string signature)
    {
        string text = $$"""
            (module
              (type $a8 (array (mut i8)))
              (type $i16 (array i16))
              (import "wasm:js-string" "{{name}}" (func {{signature}})))
            """;
        Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, All)).Reason);
    }

    [Fact]
    public void ABuiltinImportedAsAnotherKindIsRejected()
    {
        const string text = """(module (import "wasm:js-string" "length" (global i32)))""";
        Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, All));
    }

    [Fact]
    public void AnUnknownNameOfABuiltinModuleStaysAnOrdinaryImport()
    {
        const string text = """
            (module
              (import "wasm:js-string" "length" (func (param externref) (result i32)))
              (import "wasm:js-string" "toUpperCase" (func (param externref) (result externref))))
            """;
        var module = WasmModule.FromText(Engine.Default, text, All);
        var import = Assert.Single(module.Imports);
        Assert.Equal("toUpperCase", import.Name);
    }

    [Fact]
    public void UnknownSetNamesAreIgnored()
    {
        var options = new WasmModuleOptions { Builtins = new HashSet<string> { "no-such-set", WasmModuleOptions.JsString } };
        const string text = """(module (import "wasm:js-string" "length" (func (param externref) (result i32))))""";
        Assert.Empty(WasmModule.FromText(Engine.Default, text, options).Imports);
    }

    [Fact]
    public void ARejectedModuleLeavesNoTypesBehind()
    {
        using var engine = new Engine();
        const string text = """(module (type (struct (field i64 f32))) (import "wasm:js-string" "length" (func (param externref) (result i64))))""";
        int before = engine.Types.Count;
        Assert.Throws<LinkException>(() => WasmModule.FromText(engine, text, All));
        Assert.Throws<LinkException>(() => WasmModule.FromText(engine, text, All));
        // The builtins' own types (canonicalized once per engine) may stay; the module's struct type must not.
        Assert.True(engine.Types.Count - before <= 3, $"{engine.Types.Count - before} types stayed");
    }

    public static TheoryData<string, string> GoodConstantTypes() => new()
    {
        { "externref", "" }, { "(ref extern)", "" }, { "externref", "'" }, { "(ref extern)", "'" }, { "externref", "strings" },
    };

    [Theory]
    [MemberData(nameof(GoodConstantTypes))]
    public void StringConstantsAreTheirImportNames(string type, string ns)
    {
        string[] constants = ["", "\0", "0", new('0', 100_000), "\uD83D\uDE00", "h\u00e9llo"];
        var text = new System.Text.StringBuilder("(module\n");
        for (int i = 0; i < constants.Length; i++)
        {
            text.Append($"  (import \"{Escape(ns)}\" \"{Escape(constants[i])}\" (global $g{i} {type}))\n");
            text.Append($"  (export \"g{i}\" (global $g{i}))\n");
        }
        text.Append(")");
        var module = WasmModule.FromText(Engine.Default, text.ToString(), new WasmModuleOptions { ImportedStringConstants = ns });
        Assert.Empty(module.Imports);
        var store = new Store();
        var instance = module.Instantiate(store, []);
        for (int i = 0; i < constants.Length; i++)
        {
            Assert.Equal(constants[i], ((Global)instance.GetExport($"g{i}")!).Value.AsReference());
        }
    }

    [Theory]
    [InlineData("anyref")]
    [InlineData("(ref any)")]
    [InlineData("funcref")]
    [InlineData("(mut externref)")]
    [InlineData("(mut (ref extern))")]
    [InlineData("i32")]
    [InlineData("(ref noextern)")]
    public void AStringConstantOfAnotherTypeIsRejected(string type)
    {
        string text = $"""(module (import "'" "constant" (global {type})))""";
        var e = Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, new WasmModuleOptions { ImportedStringConstants = "'" }));
        Assert.Equal("incompatible import type", e.Reason);
    }

    [Fact]
    public void AFunctionImportFromTheConstantsModuleIsRejected()
    {
        const string text = """(module (import "'" "f" (func)))""";
        Assert.Throws<LinkException>(() => WasmModule.FromText(Engine.Default, text, new WasmModuleOptions { ImportedStringConstants = "'" }));
    }

    [Fact]
    public void ConstantsAndBuiltinsTogetherLeaveOnlyOrdinaryImports()
    {
        // As the JS API's imports.any.js: imports referring to a builtin module are suppressed from the imports.
        const string text = """
            (module
              (import "constants" "constant" (global externref))
              (import "wasm:js-string" "test" (func (param externref) (result i32)))
              (import "env" "f" (func)))
            """;
        var module = WasmModule.FromText(Engine.Default, text, new WasmModuleOptions { Builtins = All.Builtins, ImportedStringConstants = "constants" });
        var import = Assert.Single(module.Imports);
        Assert.Equal(("env", "f", 0), (import.Module, import.Name, import.Index));
        var wrongCount = Assert.Throws<LinkException>(() => module.Instantiate(new Store(), []));
        Assert.Equal("unknown import", wrongCount.Reason);
    }

    [Fact]
    public void EachInstanceGetsItsOwnBuiltinFunctionObjects()
    {
        const string text = """(module (import "wasm:js-string" "length" (func $l (param externref) (result i32))) (export "length" (func $l)))""";
        var module = WasmModule.FromText(Engine.Default, text, All);
        var store = new Store();
        var a = module.Instantiate(store, []).GetFunction("length");
        var b = module.Instantiate(store, []).GetFunction("length");
        Assert.NotSame(a, b);
        Assert.Equal(3, a!.AsFunc<object?, int>()("abc"));
    }

    // The text format's string escapes: every character as \u{...} so that NUL and quotes survive.
    private static string Escape(string s) => string.Concat(s.EnumerateRunes().Select(r => $"\\u{{{r.Value:x}}}"));
}
