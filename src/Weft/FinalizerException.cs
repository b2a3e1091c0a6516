namespace Weft;

/// <summary>
/// One or more host finalizer callbacks (see <see cref="Store.RegisterFinalizer(object, Action)"/>) threw. Every
/// other queued callback still ran; the exceptions are in <see cref="InnerExceptions"/>, in the order they occurred.
/// </summary>
public sealed class FinalizerException : WeftException
{
    internal FinalizerException(IReadOnlyList<Exception> failures)
        : base("finalizer failed", $"{failures.Count} finalizer callback(s) failed; the first: {failures[0].GetType().Name}: {failures[0].Message}", failures[0])
    {
        InnerExceptions = failures;
    }

    /// <summary>The exceptions the callbacks threw.</summary>
    public IReadOnlyList<Exception> InnerExceptions { get; }
}
