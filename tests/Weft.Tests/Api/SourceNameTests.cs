namespace Weft.Tests.Api;

/// <summary>The documented <c>sourceName</c> (and a file's path) reaches load errors' messages; the Reason stays the spec's words.</summary>
public sealed class SourceNameTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("weft-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TextErrorsNameTheirSource()
    {
        var malformed = Assert.Throws<MalformedModuleException>(() => WasmModule.FromText("(module\n  (func (i32.bogus)))", "app.wat"));
        Assert.StartsWith("app.wat:2:", malformed.Message);
        Assert.Equal(2, malformed.Line);
        Assert.StartsWith("unknown operator", malformed.Reason);
        Assert.DoesNotContain("app.wat", malformed.Reason);

        var invalid = Assert.Throws<InvalidModuleException>(() => WasmModule.FromText("(module (func (result i32) (i64.const 1)))", "types.wat"));
        Assert.StartsWith("types.wat: type mismatch", invalid.Message);
        Assert.StartsWith("type mismatch", invalid.Reason);
        Assert.DoesNotContain("types.wat", invalid.Reason);
    }

    [Fact]
    public void FileErrorsNameTheFile()
    {
        string binary = Path.Combine(_folder, "bad.wasm");
        File.WriteAllBytes(binary, [0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 0x01]);
        var malformed = Assert.Throws<MalformedModuleException>(() => WasmModule.FromFile(binary));
        Assert.StartsWith($"{binary}: ", malformed.Message);
        Assert.Contains("(at byte offset", malformed.Message);

        string text = Path.Combine(_folder, "bad.wat");
        File.WriteAllText(text, "(module (func (result i32) (i64.const 1)))");
        var invalid = Assert.Throws<InvalidModuleException>(() => WasmModule.FromFile(text));
        Assert.StartsWith($"{text}: type mismatch", invalid.Message);
    }

    [Fact]
    public void BytesWithoutANameKeepTheirMessage()
    {
        var malformed = Assert.Throws<MalformedModuleException>(() => WasmModule.FromBytes([0, (byte)'a', (byte)'s', (byte)'m', 1, 0, 0, 0, 0x01]));
        Assert.StartsWith(malformed.Reason, malformed.Message);
    }
}
