using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Weft.Runtime;

/// <summary>
/// Throw helpers for traps, called from compiled code and the runtime. Each is a tiny non-inlined method so the
/// throwing code stays out of hot paths and RyuJIT moves the call to a cold block.
/// </summary>
internal static class Traps
{
    /// <summary>Throws a trap of a kind.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(TrapKind kind) => throw new TrapException(kind);

    /// <summary>"unreachable".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Unreachable() => throw new TrapException(TrapKind.Unreachable);

    /// <summary>"integer divide by zero".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DivideByZero() => throw new TrapException(TrapKind.IntegerDivideByZero);

    /// <summary>"integer overflow".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void IntegerOverflow() => throw new TrapException(TrapKind.IntegerOverflow);

    /// <summary>"invalid conversion to integer".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidConversion() => throw new TrapException(TrapKind.InvalidConversionToInteger);

    /// <summary>"out of bounds memory access".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfBoundsMemory() => throw new TrapException(TrapKind.OutOfBoundsMemoryAccess);

    /// <summary>"out of bounds table access".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfBoundsTable() => throw new TrapException(TrapKind.OutOfBoundsTableAccess);

    /// <summary>"undefined element".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void UndefinedElement() => throw new TrapException(TrapKind.UndefinedElement);

    /// <summary>"uninitialized element N" (the reference interpreter names the table index).</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void UninitializedElement(ulong index) =>
        throw new TrapException(TrapKind.UninitializedElement, $"uninitialized element {index}");

    /// <summary>"indirect call type mismatch".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void IndirectCallTypeMismatch() => throw new TrapException(TrapKind.IndirectCallTypeMismatch);

    /// <summary>"null function reference".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullFunctionReference() => throw new TrapException(TrapKind.NullFunctionReference);

    /// <summary>"null reference".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullReference() => throw new TrapException(TrapKind.NullReference);

    /// <summary>"null structure reference".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullStructure() => throw new TrapException(TrapKind.NullStructureReference);

    /// <summary>"null array reference".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullArray() => throw new TrapException(TrapKind.NullArrayReference);

    /// <summary>"null i31 reference".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void NullI31() => throw new TrapException(TrapKind.NullI31Reference);

    /// <summary>"out of bounds array access".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfBoundsArray() => throw new TrapException(TrapKind.OutOfBoundsArrayAccess);

    /// <summary>"cast failure".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CastFailure() => throw new TrapException(TrapKind.CastFailure);

    /// <summary>"call stack exhausted".</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void StackExhausted() => throw new TrapException(TrapKind.CallStackExhausted);
}
