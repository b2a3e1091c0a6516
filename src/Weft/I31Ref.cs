using System.Globalization;
using System.Runtime.CompilerServices;

namespace Weft;

/// <summary>
/// An <c>i31ref</c>: a 31-bit integer carried as a reference (spec 2.3.3, <c>ref.i31</c>). Values in a small range
/// around zero come from a shared cache, so the common ones never allocate; larger ones are one small object each.
/// Two i31 references are equal when their values are (which is what <c>ref.eq</c> compares).
/// </summary>
/// <example>
/// <code>
/// var seven = I31Ref.Create(7);
/// fn.Invoke(WasmValue.FromReference(seven));                 // pass it where wasm expects (ref i31) or anyref
/// int back = ((I31Ref)result[0].AsReference()!).Value;       // read one that wasm returned
/// </code>
/// </example>
public sealed class I31Ref : IEquatable<I31Ref>
{
    private const int CacheMin = -1024;
    private const int CacheMax = 65535;
    // Filled on first use of each value (a racing thread may store an equal object: i31 equality is by value).
    private static readonly I31Ref?[] s_cache = new I31Ref?[CacheMax - CacheMin + 1];

    // Compiled code reads this field directly (i31.get_s / i31.get_u).
    internal readonly int SignedValue;

    private I31Ref(int value) => SignedValue = value;

    /// <summary>The value, sign-extended from 31 bits (what <c>i31.get_s</c> returns).</summary>
    public int Value => SignedValue;

    /// <summary>The value, zero-extended from 31 bits (what <c>i31.get_u</c> returns).</summary>
    public int UnsignedValue => SignedValue & 0x7FFF_FFFF;

    /// <summary><c>ref.i31</c>: wraps the low 31 bits of <paramref name="value"/> (bit 31 is dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static I31Ref Create(int value)
    {
        int v = (value << 1) >> 1;
        uint slot = (uint)(v - CacheMin);
        var cache = s_cache;
        if (slot < (uint)cache.Length) return cache[slot] ?? Fill(v);
        return new I31Ref(v);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static I31Ref Fill(int v) => s_cache[v - CacheMin] = new I31Ref(v);

    /// <summary>Whether <see cref="Create"/> returns a shared object for this value (it allocates otherwise).</summary>
    internal static bool IsCached(int value)
    {
        int v = (value << 1) >> 1;
        return v is >= CacheMin and <= CacheMax;
    }

    /// <inheritdoc/>
    public bool Equals(I31Ref? other) => other is not null && other.SignedValue == SignedValue;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is I31Ref other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => SignedValue;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"i31 {SignedValue}");
}
