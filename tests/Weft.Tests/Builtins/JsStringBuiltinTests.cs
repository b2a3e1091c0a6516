namespace Weft.Tests.Builtins;

/// <summary>
/// The <c>wasm:js-string</c> builtins as the JS API specifies them (JS String Builtins, Overview), over .NET strings:
/// each one called directly from wasm (compiled inline) and through its re-exported function object, which must
/// agree; edge cases (surrogates, unsigned indices, ranges, null, non-strings) with the expected values and traps.
/// </summary>
public sealed class JsStringBuiltinTests
{
    private readonly Instance _instance;

    public JsStringBuiltinTests()
    {
        var module = WasmModule.FromText(Engine.Default, JsStringModule.Text(), BuiltinOptionsTests.JsString);
        Assert.Empty(module.Imports);
        _instance = module.Instantiate(new Store(), []);
    }

    // Calls the inlined path and the function-object path; both must give the same result or the same trap.
    private T Call<T>(string name, params WasmValue[] args)
    {
        WasmValue[]? inline = null, viaObject = null;
        TrapException? inlineTrap = null, objectTrap = null;
        try { inline = _instance.GetFunction(name)!.Invoke(args); } catch (TrapException e) { inlineTrap = e; }
        try { viaObject = _instance.GetFunction(name + "_ref")!.Invoke(args); } catch (TrapException e) { objectTrap = e; }
        Assert.Equal(inlineTrap?.Kind, objectTrap?.Kind);
        if (inlineTrap is not null) throw inlineTrap;
        var a = inline![0];
        var b = viaObject![0];
        object? value = typeof(T) == typeof(int) ? a.AsInt32() : a.AsReference();
        object? other = typeof(T) == typeof(int) ? b.AsInt32() : b.AsReference();
        Assert.Equal(value, other);
        return (T)value!;
    }

    private static WasmValue S(object? value) => WasmValue.FromReference(value);
    private static WasmValue I(int value) => WasmValue.FromInt32(value);

    private TrapKind Trap(string name, params WasmValue[] args) => Assert.Throws<TrapException>(() => Call<object>(name, args)).Kind;

    public static TheoryData<object?> NonStrings() => new() { null, 42, new object(), new[] { "abracadabra" }, 'c', new System.Text.StringBuilder("sb") };

    [Theory]
    [MemberData(nameof(NonStrings))]
    public void EveryBuiltinTakingAStringTrapsOnNullAndNonStringsExceptEquals(object? value)
    {
        Assert.Equal(0, Call<int>("test", S(value)));
        Assert.Equal(TrapKind.NotAString, Trap("cast", S(value)));
        Assert.Equal(TrapKind.NotAString, Trap("charCodeAt", S(value), I(0)));
        Assert.Equal(TrapKind.NotAString, Trap("codePointAt", S(value), I(0)));
        Assert.Equal(TrapKind.NotAString, Trap("length", S(value)));
        Assert.Equal(TrapKind.NotAString, Trap("concat", S(value), S("x")));
        Assert.Equal(TrapKind.NotAString, Trap("concat", S("x"), S(value)));
        Assert.Equal(TrapKind.NotAString, Trap("substring", S(value), I(0), I(0)));
        Assert.Equal(TrapKind.NotAString, Trap("compare", S(value), S("x")));
        Assert.Equal(TrapKind.NotAString, Trap("compare", S("x"), S(value)));
        var array = _instance.GetFunction("newArray")!.Invoke(I(10))[0];
        Assert.Equal(TrapKind.NotAString, Trap("intoCharCodeArray", S(value), array, I(0)));
        if (value is null)
        {
            Assert.Equal(1, Call<int>("equals", S(null), S(null)));
            Assert.Equal(0, Call<int>("equals", S(null), S("")));
        }
        else
        {
            Assert.Equal(TrapKind.NotAString, Trap("equals", S(value), S("x")));
            Assert.Equal(TrapKind.NotAString, Trap("equals", S(null), S(value)));
        }
    }

    [Fact]
    public void TestAndCastAcceptStrings()
    {
        Assert.Equal(1, Call<int>("test", S("")));
        Assert.Equal(1, Call<int>("test", S("hi")));
        Assert.Equal("hi", Call<object>("cast", S("hi")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("hello, world")]
    [InlineData("☺☺")]
    [InlineData("\uD800\uDC00\uD800\uDC01")]
    [InlineData("lone surrogates")]
    public void LengthCharCodeAtAndCodePointAtFollowUtf16(string s)
    {
        // Lone surrogates do not survive xunit's serialization of theory data: made here.
        if (s == "lone surrogates") s = "\uDC00\uD800x\uD800";
        Assert.Equal(s.Length, Call<int>("length", S(s)));
        for (int i = 0; i < s.Length; i++)
        {
            Assert.Equal(s[i], Call<int>("charCodeAt", S(s), I(i)));
            int expected = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
            Assert.Equal(expected, Call<int>("codePointAt", S(s), I(i)));
        }
        Assert.Equal(TrapKind.StringOffsetOutOfBounds, Trap("charCodeAt", S(s), I(s.Length)));
        Assert.Equal(TrapKind.StringOffsetOutOfBounds, Trap("codePointAt", S(s), I(s.Length)));
        // Indices are unsigned: -1 is 4294967295, past any end.
        Assert.Equal(TrapKind.StringOffsetOutOfBounds, Trap("charCodeAt", S(s), I(-1)));
        Assert.Equal(s.Select(c => (int)c).Sum(), _instance.GetFunction<object?, int>("sum")!(s));
        Assert.Equal(s.Length, _instance.GetFunction<object?, int>("tailLength")!(s));
    }

    [Fact]
    public void CodePointAtReadsAPairWholeAndALoneSurrogateAsItself()
    {
        Assert.Equal(0x1F600, Call<int>("codePointAt", S("\uD83D\uDE00"), I(0)));
        Assert.Equal(0xDE00, Call<int>("codePointAt", S("\uD83D\uDE00"), I(1)));
        Assert.Equal(0xD83D, Call<int>("codePointAt", S("\uD83Dx"), I(0)));
        Assert.Equal(0xD83D, Call<int>("codePointAt", S("\uD83D"), I(0)));
    }

    [Theory]
    [InlineData(1, "\u0001")]
    [InlineData(0x7F, "\u007F")]
    [InlineData(0xFFFF, "\uFFFF")]
    [InlineData(0x1_0041, "A")]         // ToUint16: the low 16 bits
    [InlineData(-1, "\uFFFF")]
    public void FromCharCodeTakesTheLow16Bits(int code, string expected) => Assert.Equal(expected, Call<object>("fromCharCode", I(code)));

    [Fact]
    public void LoneSurrogatesAreValidCodeUnitsAndCodePoints()
    {
        // Lone surrogates do not survive xunit's serialization of theory data, so these are facts.
        Assert.Equal("\uD800", Call<object>("fromCharCode", I(0xD800)));
        Assert.Equal("\uDC00", Call<object>("fromCodePoint", I(0xDC00)));  // JS allows it; .NET's ConvertFromUtf32 would not
        Assert.Equal("\uDE00", Call<object>("substring", S("\uD83D\uDE00"), I(1), I(2)));
        Assert.Equal("\uD83D", Call<object>("substring", S("\uD83D\uDE00"), I(0), I(1)));
    }

    [Theory]
    [InlineData(0x41, "A")]
    [InlineData(0xFFFE, "\uFFFE")]
    [InlineData(0x10000, "\uD800\uDC00")]
    [InlineData(0x1F600, "\uD83D\uDE00")]
    [InlineData(0x10FFFF, "\uDBFF\uDFFF")]
    public void FromCodePointEncodesUtf16(int code, string expected) => Assert.Equal(expected, Call<object>("fromCodePoint", I(code)));

    [Theory]
    [InlineData(0x110000)]
    [InlineData(-1)]
    public void FromCodePointAboveTheLastCodePointTraps(int code) => Assert.Equal(TrapKind.InvalidCodePoint, Trap("fromCodePoint", I(code)));

    [Theory]
    [InlineData("hello", 1, 3, "el")]
    [InlineData("hello", 0, 5, "hello")]
    [InlineData("hello", 2, 99, "llo")]   // end clamped
    [InlineData("hello", 3, 1, "")]       // start > end: empty, not swapped as JS substring would
    [InlineData("hello", 6, 7, "")]       // start past the end
    [InlineData("hello", -1, 2, "")]      // unsigned: start 4294967295 > end
    [InlineData("hello", 1, -1, "ello")]  // unsigned: end 4294967295, clamped
    public void SubstringFollowsTheJsApisOrderOfChecks(string s, int start, int end, string expected) =>
        Assert.Equal(expected, Call<object>("substring", S(s), I(start), I(end)));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("a", "b", -1)]
    [InlineData("b", "a", 1)]
    [InlineData("ab", "a", 1)]
    [InlineData("a", "ab", -1)]
    [InlineData("Z", "a", -1)]                  // ordinal, not culture
    [InlineData("\uFF61", "\uD83D\uDE00", 1)]   // by UTF-16 code units: U+FF61 > the high surrogate D83D
    public void CompareIsOrdinalOverCodeUnits(string a, string b, int expected)
    {
        Assert.Equal(expected, Call<int>("compare", S(a), S(b)));
        Assert.Equal(expected == 0 ? 1 : 0, Call<int>("equals", S(a), S(b)));
        Assert.Equal(a + b, Call<object>("concat", S(a), S(b)));
    }

    [Fact]
    public void EqualsComparesContentsNotIdentity()
    {
        string a = new('x', 3), b = new('x', 3);
        Assert.NotSame(a, b);
        Assert.Equal(1, Call<int>("equals", S(a), S(b)));
    }

    [Fact]
    public void CharCodeArraysRoundTripAndCheckTheirRanges()
    {
        const string s = "a☺\uD83D\uDE00";
        var array = _instance.GetFunction("newArray")!.Invoke(I(s.Length + 2))[0];
        Assert.Equal(s.Length, Call<int>("intoCharCodeArray", S(s), array, I(2)));
        var get = _instance.GetFunction("arrayGet")!;
        for (int i = 0; i < s.Length; i++) Assert.Equal(s[i], get.Invoke(array, I(i + 2))[0].AsInt32());
        Assert.Equal(s, Call<object>("fromCharCodeArray", array, I(2), I(2 + s.Length)));
        Assert.Equal("", Call<object>("fromCharCodeArray", array, I(3), I(3)));
        // [start, end): start > end, end past the length, unsigned indices.
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Trap("fromCharCodeArray", array, I(3), I(2)));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Trap("fromCharCodeArray", array, I(0), I(s.Length + 3)));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Trap("fromCharCodeArray", array, I(-1), I(0)));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Trap("intoCharCodeArray", S(s), array, I(3)));
        Assert.Equal(TrapKind.OutOfBoundsArrayAccess, Trap("intoCharCodeArray", S(s), array, I(-1)));
        Assert.Equal(0, Call<int>("intoCharCodeArray", S(""), array, I(s.Length + 2)));
        Assert.Equal(TrapKind.NullArrayReference, Trap("fromCharCodeArray", S(null), I(0), I(0)));
        // A null array traps before the string is looked at (the JS API checks the array first).
        Assert.Equal(TrapKind.NullArrayReference, Trap("intoCharCodeArray", S(42), S(null), I(0)));
    }

    [Fact]
    public void TrapsHaveTheirMessages()
    {
        var e = Assert.Throws<TrapException>(() => _instance.GetFunction<object?, int, int>("charCodeAt")!("ab", 2));
        Assert.Equal("string offset out of bounds", e.Reason);
        e = Assert.Throws<TrapException>(() => _instance.GetFunction<object?, int>("length")!(null));
        Assert.Equal("not a string", e.Reason);
    }
}
