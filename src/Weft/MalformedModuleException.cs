using System.Globalization;

namespace Weft;

/// <summary>A module's binary or text could not be decoded or parsed (the spec's "malformed").</summary>
public sealed class MalformedModuleException : WeftException
{
    /// <summary>A binary decoding error at a byte offset.</summary>
    public MalformedModuleException(string reason, long offset)
        : base(reason, offset >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{reason} (at byte offset {offset})") : reason)
    {
        Offset = offset;
    }

    /// <summary>A text parsing error at a line and column (both 1-based).</summary>
    public MalformedModuleException(string reason, int line, int column, string? source = null)
        : base(reason, string.Create(CultureInfo.InvariantCulture, $"{source}{(source is null ? "" : ":")}{line}:{column}: {reason}"))
    {
        Offset = -1;
        Line = line;
        Column = column;
    }

    private MalformedModuleException(MalformedModuleException error, string source)
        : base(error.Reason, error.Line > 0 ? $"{source}:{error.Message}" : $"{source}: {error.Message}", error)
    {
        Offset = error.Offset;
        Line = error.Line;
        Column = error.Column;
    }

    /// <summary>
    /// The same error with the name of its source in front of the message (<c>app.wat:3:5: ...</c>,
    /// <c>app.wasm: ... (at byte offset 8)</c>); the original is the inner exception.
    /// </summary>
    internal MalformedModuleException WithSource(string source) => new(this, source);

    /// <summary>The byte offset of a binary error, or -1.</summary>
    public long Offset { get; }

    /// <summary>The 1-based line of a text error, or 0.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of a text error, or 0.</summary>
    public int Column { get; }
}
