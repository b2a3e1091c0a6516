using System.Runtime.CompilerServices;
using Weft.Validation;

namespace Weft.Runtime;

/// <summary>The slow paths of indirect calls.</summary>
internal static class CallHelpers
{
    /// <summary>
    /// call_indirect's signature check when the function's canonical type is not the expected one itself: a subtype
    /// still matches (spec 4.4.8: the function's type must match the expected type).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CheckIndirectCall(Function function, DefinedType expected)
    {
        if (!function.CanonicalType.IsSubtypeOf(expected)) Traps.IndirectCallTypeMismatch();
    }
}
