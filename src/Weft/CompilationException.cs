namespace Weft;

/// <summary>A valid module could not be compiled (it uses something this version of Weft does not compile yet).</summary>
public sealed class CompilationException : WeftException
{
    /// <summary>Creates a compilation error.</summary>
    public CompilationException(string reason, Exception? inner = null)
        : base(reason, reason, inner)
    {
    }
}
