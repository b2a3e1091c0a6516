namespace Weft;

/// <summary>Wasm code trapped. The store remains usable after a trap.</summary>
public sealed class TrapException : WeftException
{
    /// <summary>Creates a trap of a kind with the spec's message.</summary>
    public TrapException(TrapKind kind, Exception? inner = null)
        : base(MessageOf(kind), inner is null ? MessageOf(kind) : $"{MessageOf(kind)}: {inner.Message}", inner)
    {
        Kind = kind;
    }

    /// <summary>Creates a trap with a custom message (host errors).</summary>
    public TrapException(TrapKind kind, string message, Exception? inner = null)
        : base(message, message, inner)
    {
        Kind = kind;
    }

    /// <summary>Why the code trapped.</summary>
    public TrapKind Kind { get; }

    /// <summary>
    /// The wasm functions that were on the stack where the trap happened, innermost first (see <see cref="WasmFrame"/>).
    /// Read from the exception's stack trace when asked (nothing is recorded when the trap is thrown), so it is
    /// complete only once the exception has been caught; empty for a trap that was never thrown.
    /// </summary>
    public IReadOnlyList<WasmFrame> Frames => Runtime.Backtrace.Of(this);

    /// <summary>The spec's message for a trap kind.</summary>
    public static string MessageOf(TrapKind kind) => kind switch
    {
        TrapKind.Unreachable => "unreachable",
        TrapKind.IntegerDivideByZero => "integer divide by zero",
        TrapKind.IntegerOverflow => "integer overflow",
        TrapKind.InvalidConversionToInteger => "invalid conversion to integer",
        TrapKind.OutOfBoundsMemoryAccess => "out of bounds memory access",
        TrapKind.OutOfBoundsTableAccess => "out of bounds table access",
        TrapKind.UndefinedElement => "undefined element",
        TrapKind.UninitializedElement => "uninitialized element",
        TrapKind.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapKind.NullFunctionReference => "null function reference",
        TrapKind.NullStructureReference => "null structure reference",
        TrapKind.NullArrayReference => "null array reference",
        TrapKind.NullI31Reference => "null i31 reference",
        TrapKind.NullReference => "null reference",
        TrapKind.NullExceptionReference => "null exception reference",
        TrapKind.OutOfBoundsArrayAccess => "out of bounds array access",
        TrapKind.ArrayTooLarge => "array too large",
        TrapKind.CastFailure => "cast failure",
        TrapKind.OutOfBoundsDataAccess => "out of bounds memory access",
        TrapKind.CallStackExhausted => "call stack exhausted",
        TrapKind.OutOfFuel => "out of fuel",
        TrapKind.Interrupted => "interrupted",
        TrapKind.HostError => "host function failed",
        TrapKind.InternalError => "internal error",
        TrapKind.GcAllocationLimitExceeded => "GC allocation limit exceeded",

        TrapKind.UnalignedAtomic => "unaligned atomic",
        TrapKind.ExpectedSharedMemory => "expected shared memory",
        TrapKind.StringOffsetOutOfBounds => "string offset out of bounds",
        TrapKind.InvalidCodePoint => "invalid code point",
        TrapKind.NotAString => "not a string",
        _ => "trap",
    };
}
