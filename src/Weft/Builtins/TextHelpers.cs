using System.Text;
using Weft.Gc;
using Weft.Runtime;
using Weft.Validation;

namespace Weft.Builtins;

/// <summary>
/// The UTF-8 builtins of <c>wasm:text-decoder</c> and <c>wasm:text-encoder</c> (JS String Builtins, "Encoding API";
/// what V8 provides and wasm_of_ocaml uses) over <c>(array (mut i8))</c>. Decoding is the WHATWG UTF-8 decoder with
/// <c>fatal: false, ignoreBOM: false</c>: a leading BOM is dropped and each maximal invalid subpart becomes U+FFFD
/// (.NET's UTF8Encoding substitutes the same way). Encoding is TextEncoder's: a lone surrogate becomes U+FFFD.
/// </summary>
internal static class TextHelpers
{
    // Replacement fallbacks on both sides: never throws, substitutes U+FFFD as TextDecoder/TextEncoder do.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>"decodeStringFromUTF8Array": the bytes <c>[start, end)</c> decoded.</summary>
    public static object DecodeStringFromUTF8Array(object? array, int start, int end)
    {
        if (array is null) Traps.NullArray();
        var elements = ((GcArray<byte>)array).Elements;
        if ((uint)start > (uint)end || (uint)end > (uint)elements.Length) Traps.OutOfBoundsArray();
        var bytes = elements.AsSpan(start, end - start);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        return Utf8.GetString(bytes);
    }

    /// <summary>"measureStringAsUTF8": the UTF-8 length (an i32 read as unsigned; a .NET string's never exceeds 2^32 - 1).</summary>
    public static int MeasureStringAsUTF8(object? value) => Utf8.GetByteCount(value as string ?? JsStringHelpers.NotAString());

    /// <summary>"encodeStringIntoUTF8Array": writes the UTF-8 bytes at <c>start</c>; returns their number.</summary>
    public static int EncodeStringIntoUTF8Array(object? value, object? array, int start)
    {
        if (array is null) Traps.NullArray();
        var s = value as string ?? JsStringHelpers.NotAString();
        var elements = ((GcArray<byte>)array).Elements;
        int count = Utf8.GetByteCount(s);
        if ((ulong)(uint)start + (ulong)(uint)count > (ulong)elements.Length) Traps.OutOfBoundsArray();
        return Utf8.GetBytes(s, elements.AsSpan((int)(uint)start));
    }

    /// <summary>"encodeStringToUTF8Array": a new <c>(array (mut i8))</c> of the UTF-8 bytes (<paramref name="arrayType"/> is that type, canonical).</summary>
    public static object EncodeStringToUTF8Array(object? value, DefinedType arrayType) =>
        GcArrays.Wrap(Utf8.GetBytes(value as string ?? JsStringHelpers.NotAString()), arrayType);
}
