namespace Weft.JavaScript.Api;

/// <summary>
/// Compilation with the JS API's compile options, mapped onto the engine's module options: <c>builtins</c> and
/// <c>importedStringConstants</c> are resolved by the engine at compile time, so their imports are not among the
/// imports a linker (here: the import object) supplies.
/// </summary>
internal static class ModuleCompilation
{
    public static WasmModule Compile(Weft.Engine engine, byte[] bytes, string[]? builtins, string? importedStringConstants)
    {
        if (builtins is null && importedStringConstants is null) return WasmModule.FromBytes(engine, bytes);
        var options = new WasmModuleOptions
        {
            Builtins = builtins is null ? null : new HashSet<string>(builtins, StringComparer.Ordinal),
            ImportedStringConstants = importedStringConstants,
        };
        return WasmModule.FromBytes(engine, bytes, options);
    }

    /// <summary>The imports the import object must supply.</summary>
    public static IReadOnlyList<ModuleImport> VisibleImports(WasmModule module) => module.Imports;

    public static Instance Instantiate(WasmModule module, Store store, Func<ModuleImport, Extern> imports) =>
        module.Instantiate(store, imports);
}
