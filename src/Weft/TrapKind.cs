namespace Weft;

/// <summary>Why wasm code trapped. Each kind has the spec's message; see <see cref="TrapException"/>.</summary>
public enum TrapKind
{
    /// <summary>"unreachable" executed.</summary>
    Unreachable,
    /// <summary>"integer divide by zero".</summary>
    IntegerDivideByZero,
    /// <summary>"integer overflow" (signed division of the minimum by -1, trapping truncation out of range).</summary>
    IntegerOverflow,
    /// <summary>"invalid conversion to integer" (trapping truncation of NaN).</summary>
    InvalidConversionToInteger,
    /// <summary>"out of bounds memory access".</summary>
    OutOfBoundsMemoryAccess,
    /// <summary>"out of bounds table access".</summary>
    OutOfBoundsTableAccess,
    /// <summary>"undefined element" (call_indirect index outside the table).</summary>
    UndefinedElement,
    /// <summary>"uninitialized element" (call_indirect through a null entry).</summary>
    UninitializedElement,
    /// <summary>"indirect call type mismatch".</summary>
    IndirectCallTypeMismatch,
    /// <summary>"null function reference".</summary>
    NullFunctionReference,
    /// <summary>"null structure reference".</summary>
    NullStructureReference,
    /// <summary>"null array reference".</summary>
    NullArrayReference,
    /// <summary>"null i31 reference".</summary>
    NullI31Reference,
    /// <summary>"null reference" (ref.as_non_null, throw_ref of null).</summary>
    NullReference,
    /// <summary>"null exception reference".</summary>
    NullExceptionReference,
    /// <summary>"out of bounds array access".</summary>
    OutOfBoundsArrayAccess,
    /// <summary>"array too large" / allocation failure.</summary>
    ArrayTooLarge,
    /// <summary>"cast failure".</summary>
    CastFailure,
    /// <summary>"out of bounds data segment access" is reported as memory access; kept for clarity of host errors.</summary>
    OutOfBoundsDataAccess,
    /// <summary>"call stack exhausted".</summary>
    CallStackExhausted,
    /// <summary>"out of fuel".</summary>
    OutOfFuel,
    /// <summary>"deadline exceeded" (wall-clock deadline or cancellation).</summary>
    Interrupted,
    /// <summary>A host function failed with a .NET exception (kept as the inner exception).</summary>
    HostError,
    /// <summary>
    /// "GC allocation limit exceeded": a GC instruction would allocate past the store's
    /// <see cref="StoreLimits.MaxGcAllocatedBytes"/> (see <see cref="Store.GcAllocationBudget"/>).
    /// </summary>
    GcAllocationLimitExceeded,

    /// <summary>"unaligned atomic": an atomic access whose effective address is not a multiple of its size (threads).</summary>
    UnalignedAtomic,
    /// <summary>"expected shared memory": memory.atomic.wait32/64 on an unshared memory (threads).</summary>
    ExpectedSharedMemory,

    /// <summary>
    /// "internal error": Weft's own compiled code or runtime failed with a .NET exception that is no wasm trap (a bug
    /// in Weft, e.g. an <see cref="InvalidProgramException"/>, or the process running out of memory), kept as the
    /// inner exception. A failure of a host function is <see cref="HostError"/> instead.
    /// </summary>
    InternalError,

    /// <summary>
    /// "string offset out of bounds": a string builtin (<c>wasm:js-string</c> <c>charCodeAt</c>, <c>codePointAt</c>) was
    /// given an index at or beyond the string's length.
    /// </summary>
    StringOffsetOutOfBounds,

    /// <summary>"invalid code point": <c>wasm:js-string</c> <c>fromCodePoint</c> of a value above U+10FFFF.</summary>
    InvalidCodePoint,

    /// <summary>
    /// "not a string": a string builtin was given an <c>externref</c> that is null or no .NET <see cref="string"/>
    /// (the JS API's builtins trap when <c>typeof</c> is not "string").
    /// </summary>
    NotAString,
}
