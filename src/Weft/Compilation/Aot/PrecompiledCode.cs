using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation.Aot;

/// <summary>The code of a module loaded from a precompiled assembly: what instantiation needs, read from its parts.</summary>
internal sealed class PrecompiledCode(PrecompiledParts parts, Syntax.Module module) : IModuleCode
{
    /// <summary>Where the code came from (tests and diagnostics).</summary>
    public CodeOrigin Origin { get; init; } = CodeOrigin.Assembly;

    /// <summary>The parts the assembly handed over.</summary>
    public PrecompiledParts Parts { get; } = parts;

    /// <inheritdoc/>
    public InstanceContext CreateContext() => Parts.Factory();

    /// <inheritdoc/>
    public nint EntryPoint(int definedFunction) => Parts.EntryPoints[definedFunction];

    /// <inheritdoc/>
    public bool KeepsGlobal(int globalIndex) => Parts.KeptGlobals[globalIndex];

    /// <inheritdoc/>
    public void InitializeGlobal(InstanceContext context, int globalIndex, WasmValue value) => Parts.SetGlobal(context, globalIndex, [value]);

    /// <inheritdoc/>
    /// <remarks>Nothing to prepare: the IL is in an ordinary assembly (RyuJIT compiles, tiered) or already native (NativeAOT).</remarks>
    public void PrepareAhead(IReadOnlyList<int> firstFunctions)
    {
    }

    /// <inheritdoc/>
    public void PrepareImport(int importIndex, Function function)
    {
        // A host function made where no adapter can be emitted, before any precompiled module of its type was loaded,
        // has no entry point: it gets this module's adapter for the import's type. A function of a subtype has the
        // same CLR signature (references are object), and the adapter reads the function's own type.
        if (function is HostFunction { Code: 0 } host && module.Imports[importIndex].Type is FuncImportType { TypeIndex: var typeIndex })
        {
            host.Code = Parts.HostAdapters[(int)typeIndex];
        }
    }
}

/// <summary>Where precompiled code came from.</summary>
internal enum CodeOrigin
{
    /// <summary>A precompiled assembly the host loaded (<see cref="WasmModule.FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/>).</summary>
    Assembly,

    /// <summary>An intact entry of the compile cache.</summary>
    Cache,

    /// <summary>Compiled now and written to the compile cache (no entry, or a bad one).</summary>
    CacheMiss,
}
