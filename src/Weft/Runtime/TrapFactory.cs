using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// Creates trap exceptions for compiled code to <c>throw</c> itself, where the IL must show that control does not
/// continue (after <c>unreachable</c>), as opposed to <see cref="Traps"/> whose helpers throw inside.
/// </summary>
internal static class TrapFactory
{
    /// <summary>A trap for the <c>unreachable</c> instruction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Unreachable() => new TrapException(TrapKind.Unreachable);
}
