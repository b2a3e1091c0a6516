namespace Weft.Wasi;

/// <summary>
/// The wasm program called WASI <c>proc_exit</c>: its run ends with <see cref="ExitCode"/>. The host process goes on;
/// <see cref="WasiExtensions.RunWasiCommand"/> turns this into its return value.
/// </summary>
public sealed class WasiExitException : WeftException
{
    /// <summary>Creates the exception for an exit code.</summary>
    public WasiExitException(int exitCode)
        : base("exit", $"the program exited with code {exitCode}")
    {
        ExitCode = exitCode;
    }

    /// <summary>The code the program passed to <c>proc_exit</c>.</summary>
    public int ExitCode { get; }
}
