using System.Globalization;

namespace Weft;

/// <summary>A well-formed module broke a validation rule (the spec's "invalid").</summary>
public sealed class InvalidModuleException : WeftException
{
    /// <summary>Creates a validation error.</summary>
    /// <param name="reason">The spec's message, e.g. "type mismatch".</param>
    /// <param name="offset">The byte offset of the offending instruction or section, or -1.</param>
    /// <param name="detail">Extra context appended to the message (e.g. which function).</param>
    public InvalidModuleException(string reason, long offset = -1, string? detail = null)
        : base(reason, Format(reason, offset, detail))
    {
        Offset = offset;
    }

    private InvalidModuleException(InvalidModuleException error, string source)
        : base(error.Reason, $"{source}: {error.Message}", error)
    {
        Offset = error.Offset;
    }

    /// <summary>The same error with the name of its source in front of the message; the original is the inner exception.</summary>
    internal InvalidModuleException WithSource(string source) => new(this, source);

    /// <summary>The byte offset of the error within the module's binary, or -1.</summary>
    public long Offset { get; }

    private static string Format(string reason, long offset, string? detail)
    {
        var text = detail is null ? reason : reason + ": " + detail;
        return offset >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{text} (at byte offset {offset})") : text;
    }
}
