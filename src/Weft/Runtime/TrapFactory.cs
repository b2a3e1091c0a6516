using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// Creates trap exceptions that compiled code and inlined helpers <c>throw</c> themselves. A <c>throw</c> in the
/// code tells RyuJIT the path never returns, so it moves it out of line and keeps values in registers around it; a
/// call to a method that throws inside would not (and every value live across it would spill in loops).
/// </summary>
internal static class TrapFactory
{
    /// <summary>A trap of a kind, with the spec's message.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Create(TrapKind kind) => new TrapException(kind);

    /// <summary>"uninitialized element N".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception UninitializedElement(ulong index) =>
        new TrapException(TrapKind.UninitializedElement, $"uninitialized element {index}");

    /// <summary>A trap for the <c>unreachable</c> instruction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Unreachable() => new TrapException(TrapKind.Unreachable);

    /// <summary>"integer divide by zero".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception DivideByZero() => new TrapException(TrapKind.IntegerDivideByZero);

    /// <summary>"integer overflow".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception IntegerOverflow() => new TrapException(TrapKind.IntegerOverflow);

    /// <summary>"invalid conversion to integer".</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception InvalidConversion() => new TrapException(TrapKind.InvalidConversionToInteger);
}
