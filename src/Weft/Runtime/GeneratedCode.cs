namespace Weft.Runtime;

/// <summary>Facts about the dynamic assemblies Weft generates (compiled modules, host adapters, GC struct classes).</summary>
internal static class GeneratedCode
{
    /// <summary>The simple name of every generated assembly; Weft grants it access to its internals.</summary>
    public const string AssemblyName = "Weft.Generated";
}
