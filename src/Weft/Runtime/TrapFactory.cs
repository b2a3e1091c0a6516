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

    /// <summary>
    /// A trap of any kind. Checks on hot paths use it (<c>call</c>, then <c>throw</c>) so that RyuJIT sees the failing
    /// path end: it then drops its own bounds checks after Weft's and keeps a loop free of calls that might return.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Of(TrapKind kind) => new TrapException(kind);
}
