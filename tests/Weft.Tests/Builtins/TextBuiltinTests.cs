namespace Weft.Tests.Builtins;

/// <summary>
/// <c>wasm:text-decoder</c> and <c>wasm:text-encoder</c> (JS String Builtins, "Encoding API"): TextDecoder's UTF-8
/// (BOM dropped, U+FFFD for invalid bytes) and TextEncoder's (U+FFFD for lone surrogates) over <c>(array (mut i8))</c>.
/// </summary>
public sealed class TextBuiltinTests
{
    private const string Text = """
        (module
          (type $a8 (array (mut i8)))
          (import "wasm:text-decoder" "decodeStringFromUTF8Array" (func $decode (param (ref null $a8) i32 i32) (result (ref extern))))
          (import "wasm:text-encoder" "measureStringAsUTF8" (func $measure (param externref) (result i32)))
          (import "wasm:text-encoder" "encodeStringIntoUTF8Array" (func $into (param externref (ref null $a8) i32) (result i32)))
          (import "wasm:text-encoder" "encodeStringToUTF8Array" (func $to (param externref) (result (ref $a8))))
          (func (export "decode") (param (ref null $a8) i32 i32) (result (ref extern)) (call $decode (local.get 0) (local.get 1) (local.get 2)))
          (func (export "measure") (param externref) (result i32) (call $measure (local.get 0)))
          (func (export "into") (param externref (ref null $a8) i32) (result i32) (call $into (local.get 0) (local.get 1) (local.get 2)))
          (func (export "to") (param externref) (result (ref $a8)) (call $to (local.get 0)))
          (export "to_ref" (func $to))
          (func (export "len") (param (ref $a8)) (result i32) (array.len (local.get 0)))
          (func (export "roundTrip") (param externref) (result (ref extern))
            (local $a (ref $a8))
            (local.set $a (call $to (local.get 0)))
            (call $decode (local.get $a) (i32.const 0) (array.len (local.get $a)))))
        """;

    private static readonly WasmModuleOptions Options = new() { Builtins = new HashSet<string> { WasmModuleOptions.TextDecoder, WasmModuleOptions.TextEncoder } };

    private readonly Instance _instance = WasmModule.FromText(Engine.Default, Text, Options).Instantiate(new Store(), []);

    private GcArray Bytes(params byte[] bytes)
    {
        var array = (GcArray)_instance.GetFunction<object?, object>("to")!(new string('\0', bytes.Length));
        for (int i = 0; i < bytes.Length; i++) array.SetInt32(i, bytes[i]);
        return array;
    }

    private string Decode(GcArray array, int start, int end) => (string)_instance.GetFunction<object?, int, int, object>("decode")!(array, start, end);

    [Theory]
    [InlineData(new byte[] { 0x68, 0x69 }, "hi")]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x68 }, "h")]                   // ignoreBOM: false drops a leading BOM
    [InlineData(new byte[] { 0x68, 0xEF, 0xBB, 0xBF }, "h\uFEFF")]             // ...only a leading one
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, "\uD83D\uDE00")]
    [InlineData(new byte[] { 0xFF, 0x41 }, "\uFFFDA")]                         // fatal: false
    [InlineData(new byte[] { 0xF0, 0x9F, 0x41 }, "\uFFFDA")]                   // a truncated sequence is one U+FFFD (maximal subpart)
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD")]        // an encoded surrogate is invalid UTF-8
    [InlineData(new byte[] { 0xC0, 0x80 }, "\uFFFD\uFFFD")]                    // overlong
    public void DecodingIsTextDecodersUtf8(byte[] bytes, string expected) => Assert.Equal(expected, Decode(Bytes(bytes), 0, bytes.Length));

    [Fact]
    public void DecodingChecksItsRange()
    {
        var array = Bytes(0x61, 0x62, 0x63);
        Assert.Equal("b", Decode(array, 1, 2));
        Assert.Equal("", Decode(array, 3, 3));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => Decode(array, 2, 1)).Kind);
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => Decode(array, 0, 4)).Kind);
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => Decode(array, -1, 1)).Kind);
        Assert.Equal(TrapKind.NullArrayReference, Assert.Throws<TrapException>(() => Decode(null!, 0, 0)).Kind);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("é", 2)]
    [InlineData("☺", 3)]
    [InlineData("\uD83D\uDE00", 4)]
    [InlineData("lone high", 3)]         // a lone surrogate is encoded as U+FFFD
    [InlineData("reversed pair", 6)]
    public void MeasureIsTheEncodedLength(string s, int expected)
    {
        // Lone surrogates do not survive xunit's serialization of theory data: made here.
        s = s switch { "lone high" => "\uD83D", "reversed pair" => "\uDE00\uD83D", _ => s };
        Assert.Equal(expected, _instance.GetFunction<object?, int>("measure")!(s));
        var array = (GcArray)_instance.GetFunction<object?, object>("to")!(s);
        Assert.Equal(expected, array.Length);
        var viaObject = (GcArray)_instance.GetFunction<object?, object>("to_ref")!(s);
        Assert.Equal(expected, viaObject.Length);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s)), _instance.GetFunction<object?, object>("roundTrip")!(s));
    }

    [Fact]
    public void EncodingIntoAnArrayWritesAtTheStartAndChecksTheFit()
    {
        var into = _instance.GetFunction<object?, object?, int, int>("into")!;
        var array = Bytes(0, 0, 0, 0, 0, 0);
        Assert.Equal(4, into("a\u00e9z", array, 1));
        Assert.Equal(new[] { 0, 0x61, 0xC3, 0xA9, 0x7A, 0 }, Enumerable.Range(0, 6).Select(array.GetInt32));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => into("abc", array, 4)).Kind);
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Assert.Throws<TrapException>(() => into("a", array, -1)).Kind);
        Assert.Equal(0, into("", array, 6));
        Assert.Equal(TrapKind.NullArrayReference, Assert.Throws<TrapException>(() => into(7, null, 0)).Kind);
        Assert.Equal(TrapKind.NotAString, Assert.Throws<TrapException>(() => into(7, array, 0)).Kind);
        Assert.Equal(TrapKind.NotAString, Assert.Throws<TrapException>(() => _instance.GetFunction<object?, int>("measure")!(null)).Kind);
        Assert.Equal(TrapKind.NotAString, Assert.Throws<TrapException>(() => _instance.GetFunction<object?, object>("to")!(null)).Kind);
    }

    [Fact]
    public void TheNewArrayIsOfTheModulesArrayType()
    {
        var array = (GcArray)_instance.GetFunction<object?, object>("to")!("xyz");
        Assert.Equal(3, _instance.GetFunction<object?, int>("len")!(array));
    }
}
