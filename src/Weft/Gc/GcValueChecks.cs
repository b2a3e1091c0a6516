using Weft.Syntax;

namespace Weft.Gc;

/// <summary>
/// Checks of values that the host stores into GC objects. Compiled code trusts the static types validation proved
/// (it reads a field of a <c>(ref $t)</c> without a cast), so a value may only enter wasm's world if it matches the
/// declared type.
/// </summary>
internal static class GcValueChecks
{
    /// <summary>Throws unless <paramref name="value"/> may be stored in a field or element of <paramref name="storage"/> type.</summary>
    public static void CheckStorable(WasmValue value, StorageType storage, string parameter)
    {
        var type = storage.Type;
        if (value.Kind != type.Kind)
        {
            throw new ArgumentException($"a {storage} field or element cannot hold a {value.Kind.ToString().ToLowerInvariant()} value", parameter);
        }
        if (type.IsRef && !GcCasts.Matches(value.AsReference(), type))
        {
            throw new ArgumentException($"the reference does not match the type {type}", parameter);
        }
    }
}
