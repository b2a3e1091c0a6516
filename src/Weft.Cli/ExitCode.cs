namespace Weft.Cli;

/// <summary>The exit codes of <c>weft</c>.</summary>
internal static class ExitCode
{
    /// <summary>Success: the module is valid, every script command passed or was skipped, the output was written.</summary>
    public const int Ok = 0;

    /// <summary>The input was rejected (malformed or invalid module, failed script commands) or an error occurred.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself was wrong: unknown command or option, missing or nonexistent argument.</summary>
    public const int Usage = 2;
}
