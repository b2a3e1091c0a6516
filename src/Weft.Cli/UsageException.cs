namespace Weft.Cli;

/// <summary>A command line that is well-formed but asks for something impossible; reported in one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
