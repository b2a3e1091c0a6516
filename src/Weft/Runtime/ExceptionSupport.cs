using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>Runtime helpers for compiled exception handling (throw helpers kept off the hot path).</summary>
internal static class ExceptionSupport
{
    /// <summary>"null exception reference": throw_ref of a null exnref.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullExceptionReference() => throw new TrapException(TrapKind.NullExceptionReference);
}
