namespace System.Runtime.CompilerServices;

/// <summary>
/// Asks the runtime to skip access checks from the assembly carrying it to the named one: precompiled assemblies
/// (Compilation/Aot) name Weft, whose internals their code uses. The runtime matches the attribute by name; Weft
/// defines it because the saved assembly cannot define it itself (PersistedAssemblyBuilder writes an assembly
/// attribute whose constructor is in the same module as an invalid image).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose members may be used regardless of accessibility.</summary>
    public string AssemblyName { get; } = assemblyName;
}
