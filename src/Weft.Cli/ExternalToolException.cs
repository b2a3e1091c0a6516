namespace Weft.Cli;

/// <summary>An external tool weft runs (crossgen2) failed or could not start; reported in one line, exit code 1.</summary>
internal sealed class ExternalToolException(string message) : Exception(message);
