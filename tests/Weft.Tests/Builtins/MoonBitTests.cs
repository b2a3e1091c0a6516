namespace Weft.Tests.Builtins;

/// <summary>
/// MoonBit's wasm-gc output (../shared/real-programs/moonbit-small, read in place) run from C# with only a
/// C# <c>spectest.print_char</c>, as its node runner does (one UTF-16 code unit per call). These programs keep their
/// strings in <c>(array (mut i16))</c> and import no <c>wasm:js-string</c> builtin, so they take the plain path;
/// they run the same with the string builtins enabled (options that resolve nothing change nothing).
/// </summary>
public sealed class MoonBitTests
{
    private static readonly string s_directory =
        Path.GetFullPath(Path.Combine(Conformance.SpecSuite.RepositoryRoot, "..", "shared", "real-programs", "moonbit-small"));

    [Theory]
    [InlineData("hello", false)]
    [InlineData("traits", false)]
    [InlineData("hello", true)]
    [InlineData("traits", true)]
    public void TheProgramPrintsItsExpectedOutput(string program, bool withBuiltins)
    {
        Assert.True(Directory.Exists(s_directory), $"REAL PROGRAMS NOT FOUND at {s_directory}");
        byte[] wasm = File.ReadAllBytes(Path.Combine(s_directory, program + ".wasm"));
        string expected = File.ReadAllText(Path.Combine(s_directory, program + ".expected"));
        var options = withBuiltins ? new WasmModuleOptions { Builtins = WasmModuleOptions.JsStringSets, ImportedStringConstants = "_" } : WasmModuleOptions.Default;
        var module = WasmModule.FromBytes(Engine.Default, wasm, options);
        var output = new System.Text.StringBuilder();
        var linker = new Linker();
        linker.DefineFunction("spectest", "print_char", (int c) => { output.Append((char)c); });
        using var store = new Store();
        var instance = linker.Instantiate(store, module);
        instance.GetAction("_start")!();
        Assert.Equal(expected, output.ToString());
    }
}
