namespace Weft.Runtime;

/// <summary>Turns any exception that reaches the public API into a Weft exception, so no raw .NET exception escapes.</summary>
internal static class ExceptionMapping
{
    public static Exception ToWeft(Exception exception) => exception switch
    {
        WeftException => exception,
        InsufficientExecutionStackException => new TrapException(TrapKind.CallStackExhausted, exception),
        DivideByZeroException => new TrapException(TrapKind.IntegerDivideByZero),
        OverflowException => new TrapException(TrapKind.IntegerOverflow),
        OutOfMemoryException => new TrapException(TrapKind.HostError, "out of memory", exception),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => ToWeft(inner),
        _ => new TrapException(TrapKind.HostError, $"internal error: {exception.GetType().Name}: {exception.Message}", exception),
    };
}
