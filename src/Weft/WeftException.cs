namespace Weft;

/// <summary>The base of every exception Weft throws; nothing else escapes the public API.</summary>
public abstract class WeftException : Exception
{
    /// <summary>Creates an exception whose <see cref="Reason"/> is also its message.</summary>
    protected WeftException(string reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>The error in the spec's own words (e.g. "unexpected end"), without any location.</summary>
    public string Reason { get; }
}
