using System.Text;

namespace Weft.Script;

/// <summary>The outcome of one command of a .wast script.</summary>
public sealed class WastCommandResult
{
    internal WastCommandResult(string path, int line, string command, WastCommandStatus status,
        string? expected = null, string? actual = null, string? reason = null)
    {
        Path = path;
        Line = line;
        Command = command;
        Status = status;
        Expected = expected;
        Actual = actual;
        Reason = reason;
    }

    /// <summary>The script file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line the command starts on (0 when the failure concerns the whole script).</summary>
    public int Line { get; }

    /// <summary>The command's keyword, e.g. <c>assert_invalid</c> or <c>module</c>.</summary>
    public string Command { get; }

    /// <summary>Whether it passed, failed or was skipped.</summary>
    public WastCommandStatus Status { get; }

    /// <summary>For a failure: what the script expected, e.g. <c>invalid module "type mismatch"</c>.</summary>
    public string? Expected { get; }

    /// <summary>For a failure: what happened instead.</summary>
    public string? Actual { get; }

    /// <summary>For a skip: why it was skipped. For a failure that is no mismatch (e.g. an unknown module name): what went wrong.</summary>
    public string? Reason { get; }

    /// <summary>One line: <c>path:line: command failed: expected X, got Y</c> (or <c>... skipped: reason</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Path).Append(':').Append(Line).Append(": ").Append(Command).Append(' ')
            .Append(Status switch
            {
                WastCommandStatus.Passed => "passed",
                WastCommandStatus.Failed => "failed",
                _ => "skipped",
            });
        if (Expected is not null || Actual is not null) text.Append(": expected ").Append(Expected).Append(", got ").Append(Actual);
        if (Reason is not null) text.Append(Expected is null && Actual is null ? ": " : "; ").Append(Reason);
        return text.ToString();
    }
}
