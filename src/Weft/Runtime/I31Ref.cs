namespace Weft.Runtime;

/// <summary>
/// An i31ref: a 31-bit integer as a reference. Small values come from a shared cache so the common ones never
/// allocate; ref.eq compares i31 references by value.
/// </summary>
internal sealed class I31Ref
{
    private const int CacheMin = -128;
    private const int CacheMax = 1023;
    private static readonly I31Ref[] s_cache = CreateCache();

    private I31Ref(int value) => Value = value;

    /// <summary>The value, sign-extended from 31 bits.</summary>
    public readonly int Value;

    /// <summary>ref.i31: wraps the low 31 bits of an i32.</summary>
    public static I31Ref Create(int value)
    {
        int v = (value << 1) >> 1;
        return v is >= CacheMin and <= CacheMax ? s_cache[v - CacheMin] : new I31Ref(v);
    }

    private static I31Ref[] CreateCache()
    {
        var cache = new I31Ref[CacheMax - CacheMin + 1];
        for (int i = 0; i < cache.Length; i++) cache[i] = new I31Ref(i + CacheMin);
        return cache;
    }

    /// <inheritdoc/>
    public override string ToString() => $"i31 {Value}";
}
