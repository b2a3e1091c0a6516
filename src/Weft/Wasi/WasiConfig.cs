namespace Weft.Wasi;

/// <summary>
/// What a WASI program sees of the world: its arguments and environment, its standard streams and the host
/// directories it may reach (preopens). Nothing else of the host is reachable: paths are resolved inside a
/// preopened directory and can never leave it, whether through <c>..</c>, absolute paths or symbolic links.
/// </summary>
/// <example>
/// <code>
/// var linker = new Linker();
/// linker.AddWasi(new WasiConfig { Args = ["app", "--fast"], InheritStdio = true, Preopens = { ["/data"] = "./data" } });
/// </code>
/// </example>
public sealed class WasiConfig
{
    /// <summary>The program's arguments, the program name first (argv).</summary>
    public IList<string> Args { get; init; } = [];

    /// <summary>The environment variables the program sees (none of the host's unless copied here).</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Directories the program may reach: the guest path it sees (e.g. <c>/data</c> or <c>.</c>) mapped to a host
    /// directory. They become descriptors 3, 4, ... in this order.
    /// </summary>
    public IDictionary<string, string> Preopens { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Use the host process's standard input, output and error where no stream is given below.</summary>
    public bool InheritStdio { get; init; }

    /// <summary>Standard input (descriptor 0); without it and <see cref="InheritStdio"/> the program reads end-of-file.</summary>
    public Stream? Stdin { get; init; }

    /// <summary>Standard output (descriptor 1); without it and <see cref="InheritStdio"/> output is discarded.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>Standard error (descriptor 2); without it and <see cref="InheritStdio"/> output is discarded.</summary>
    public Stream? Stderr { get; init; }
}
