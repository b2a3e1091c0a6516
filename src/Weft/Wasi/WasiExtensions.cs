namespace Weft.Wasi;

/// <summary>WASI preview1 for Weft hosts: link it, then run a command module.</summary>
/// <example>
/// <code>
/// var linker = new Linker();
/// linker.AddWasi(new WasiConfig { Args = ["app"], InheritStdio = true, Preopens = { ["."] = "./data" } });
/// using var store = new Store();
/// var instance = linker.Instantiate(store, WasmModule.FromFile("app.wasm"));
/// int exitCode = instance.RunWasiCommand();
/// </code>
/// </example>
public static class WasiExtensions
{
    /// <summary>
    /// Defines every function of <c>wasi_snapshot_preview1</c> on the linker, serving the program described by
    /// <paramref name="config"/>. All instances linked with these definitions share one set of descriptors.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A preopened host directory does not exist.</exception>
    public static Linker AddWasi(this Linker linker, WasiConfig config)
    {
        ArgumentNullException.ThrowIfNull(linker);
        new WasiPreview1(config).Define(linker);
        return linker;
    }

    /// <summary>
    /// Defines on the linker only the <c>wasi_snapshot_preview1</c> functions <paramref name="module"/> imports, for a
    /// host (the CLI's <c>weft run</c>) that instantiates that module alone: the same definitions as
    /// <see cref="AddWasi(Linker, WasiConfig)"/> for that module, without the cost of the rest.
    /// </summary>
    internal static Linker AddWasiFor(this Linker linker, WasiConfig config, WasmModule module)
    {
        ArgumentNullException.ThrowIfNull(linker);
        var imported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var import in module.Syntax.Imports)
        {
            if (import.ModuleName == WasiPreview1.ModuleName) imported.Add(import.Name);
        }
        new WasiPreview1(config).Define(linker, imported.Contains);
        return linker;
    }

    /// <summary>
    /// Runs a WASI command: calls its <c>_start</c> export and returns the exit code, 0 if it returned and the
    /// code it gave to <c>proc_exit</c> otherwise. Traps propagate as <see cref="TrapException"/>.
    /// </summary>
    /// <exception cref="LinkException">The instance has no <c>_start</c> function taking and returning nothing.</exception>
    public static int RunWasiCommand(this Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var start = instance.GetFunction("_start");
        if (start is null || start.Parameters.Count != 0 || start.Results.Count != 0)
        {
            throw new LinkException("unknown export", "the module is not a WASI command: it has no \"_start\" function of type [] -> []");
        }
        try
        {
            start.AsAction()();
            return 0;
        }
        catch (WasiExitException e)
        {
            return e.ExitCode;
        }
    }
}
