namespace Weft.Runtime;

/// <summary>Turns any exception that reaches the public API into a Weft exception, so no raw .NET exception escapes.</summary>
/// <remarks>
/// A .NET exception that is no trap and comes out of compiled code or the runtime is Weft's own failure
/// (<see cref="TrapKind.InternalError"/>); host functions' exceptions never get here, their adapters wrap them as
/// <see cref="TrapKind.HostError"/> where they leave the host.
/// </remarks>
internal static class ExceptionMapping
{
    public static Exception ToWeft(Exception exception) => exception switch
    {
        WeftException => exception,
        InsufficientExecutionStackException => new TrapException(TrapKind.CallStackExhausted, exception),
        // The original stays the inner exception: its stack trace holds the wasm frames (Backtrace).
        DivideByZeroException => new TrapException(TrapKind.IntegerDivideByZero, TrapException.MessageOf(TrapKind.IntegerDivideByZero), exception),
        OverflowException => new TrapException(TrapKind.IntegerOverflow, TrapException.MessageOf(TrapKind.IntegerOverflow), exception),
        // Neither is a host function's failure (those are wrapped where they leave the host, HostAdapters.Wrap).
        OutOfMemoryException => new TrapException(TrapKind.InternalError, "out of memory", exception),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => ToWeft(inner),
        _ => new TrapException(TrapKind.InternalError, $"internal error: {exception.GetType().Name}: {exception.Message}", exception),
    };
}
