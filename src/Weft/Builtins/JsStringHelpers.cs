using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Weft.Runtime;

namespace Weft.Builtins;

/// <summary>
/// The <c>wasm:js-string</c> builtins (JS API, JS String Builtins) over .NET strings as <c>externref</c>: a JS string
/// is a sequence of UTF-16 code units, exactly what a .NET <see cref="string"/> is, so every builtin is the .NET
/// operation itself. Compiled code calls these helpers directly and RyuJIT inlines the small ones
/// (<see cref="CharCodeAt"/>, <see cref="Length"/>, ...): the type test is one method-table compare (string is
/// sealed). i32 arguments are read as unsigned, as the JS API's <c>&gt;&gt;&gt;= 0</c> does; every failure traps
/// (null or non-string: "not a string"; an index past the end: "string offset out of bounds"; arrays: the array traps).
/// </summary>
internal static class JsStringHelpers
{
    // Single code units below 256 are shared: fromCharCode in a loop over ASCII text allocates nothing.
    private static readonly string[] SmallStrings = CreateSmallStrings();

    /// <summary>"test": 1 for a string, else 0 (null included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Test(object? value) => value is string ? 1 : 0;

    // The failing paths of the small helpers below are `throw` statements: RyuJIT then knows they do not return.

    /// <summary>"cast": the string itself; traps on null or a non-string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object Cast(object? value) => value as string ?? throw TrapFactory.Create(TrapKind.NotAString);

    /// <summary>"fromCharCodeArray": the code units <c>[start, end)</c> of an <c>(array (mut i16))</c>.</summary>
    public static object FromCharCodeArray(object? array, int start, int end)
    {
        if (array is null) Traps.NullArray();
        var elements = ((GcArray<short>)array).Elements;
        if ((uint)start > (uint)end || (uint)end > (uint)elements.Length) Traps.OutOfBoundsArray();
        return new string(MemoryMarshal.Cast<short, char>(elements.AsSpan(start, end - start)));
    }

    /// <summary>"intoCharCodeArray": copies the string's code units into an array at <c>start</c>; returns the length.</summary>
    public static int IntoCharCodeArray(object? value, object? array, int start)
    {
        if (array is null) Traps.NullArray();
        var s = value as string ?? NotAString();
        var elements = ((GcArray<short>)array).Elements;
        if ((ulong)(uint)start + (ulong)s.Length > (ulong)elements.Length) Traps.OutOfBoundsArray();
        s.AsSpan().CopyTo(MemoryMarshal.Cast<short, char>(elements.AsSpan((int)(uint)start)));
        return s.Length;
    }

    /// <summary>"fromCharCode": the one code unit (the low 16 bits, as JS's ToUint16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object FromCharCode(int charCode)
    {
        ushort unit = (ushort)charCode;
        return unit < 256 ? SmallStrings[unit] : new string((char)unit, 1);
    }

    /// <summary>
    /// "fromCodePoint": one code point, as one or two code units. A lone surrogate code point gives that code unit
    /// (JS allows it; .NET's ConvertFromUtf32 would refuse it); above U+10FFFF traps "invalid code point".
    /// </summary>
    public static object FromCodePoint(int codePoint)
    {
        uint cp = (uint)codePoint;
        if (cp > 0x10FFFF) Traps.Throw(TrapKind.InvalidCodePoint);
        if (cp < 0x10000) return FromCharCode((int)cp);
        cp -= 0x10000;
        return string.Create(2, cp, static (span, c) =>
        {
            span[0] = (char)(0xD800 + (c >> 10));
            span[1] = (char)(0xDC00 + (c & 0x3FF));
        });
    }

    /// <summary>"charCodeAt": the code unit at an index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CharCodeAt(object? value, int index)
    {
        // Throws in place (not through a helper call that might return), so RyuJIT keeps a loop's values in registers.
        if (value is not string s) throw TrapFactory.Create(TrapKind.NotAString);
        if ((uint)index >= (uint)s.Length) throw TrapFactory.Create(TrapKind.StringOffsetOutOfBounds);
        return s[index];
    }

    /// <summary>"codePointAt": the code point starting at an index (a surrogate pair read whole, a lone surrogate as itself).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodePointAt(object? value, int index)
    {
        if (value is not string s) throw TrapFactory.Create(TrapKind.NotAString);
        if ((uint)index >= (uint)s.Length) throw TrapFactory.Create(TrapKind.StringOffsetOutOfBounds);
        char c = s[index];
        if (char.IsHighSurrogate(c) && (uint)(index + 1) < (uint)s.Length && char.IsLowSurrogate(s[index + 1]))
        {
            return char.ConvertToUtf32(c, s[index + 1]);
        }
        return c;
    }

    /// <summary>"length": the number of code units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(object? value) => value is string s ? s.Length : throw TrapFactory.Create(TrapKind.NotAString);

    /// <summary>"concat".</summary>
    public static object Concat(object? first, object? second)
    {
        var a = first as string ?? NotAString();
        var b = second as string ?? NotAString();
        return string.Concat(a, b);
    }

    /// <summary>
    /// "substring": code units <c>[start, end)</c>, end clamped to the length; an empty string when
    /// <c>start &gt; end</c> or <c>start</c> is past the end (the JS API's order of checks).
    /// </summary>
    public static object Substring(object? value, int start, int end)
    {
        var s = value as string ?? NotAString();
        uint from = (uint)start, to = (uint)end;
        if (from > to || from > (uint)s.Length) return string.Empty;
        if (to > (uint)s.Length) to = (uint)s.Length;
        return s.Substring((int)from, (int)(to - from));
    }

    /// <summary>"equals": 1 when both are the same code units or both null; a non-null non-string traps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EqualsBuiltin(object? first, object? second)
    {
        if (first is not null and not string || second is not null and not string) throw TrapFactory.Create(TrapKind.NotAString);
        return string.Equals((string?)first, (string?)second, StringComparison.Ordinal) ? 1 : 0;
    }

    /// <summary>"compare": -1, 0 or 1 by code units (JS's <c>&lt;</c> on strings is ordinal UTF-16); null traps.</summary>
    public static int Compare(object? first, object? second)
    {
        var a = first as string ?? NotAString();
        var b = second as string ?? NotAString();
        return Math.Sign(string.CompareOrdinal(a, b));
    }

    /// <summary>Traps "not a string" (typed as a string so that <c>?? NotAString()</c> reads as a cast).</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string NotAString() => throw new TrapException(TrapKind.NotAString);

    private static string[] CreateSmallStrings()
    {
        var strings = new string[256];
        for (int i = 0; i < strings.Length; i++) strings[i] = ((char)i).ToString();
        return strings;
    }
}
