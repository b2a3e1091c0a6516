using System.Collections.Concurrent;
using Weft.Gc;
using Weft.Runtime;
using Weft.Validation;

namespace Weft.Compilation.Aot;

/// <summary>
/// The code generator of an engine in a runtime that cannot emit code (NativeAOT, or
/// <c>System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported</c> off): it generates nothing, refusing
/// modules that were not precompiled with a clear message, and serves the invoke stubs and host adapters that the
/// precompiled assemblies loaded into the engine brought along.
/// </summary>
internal sealed class PrecompiledOnlyGenerator : ICodeGenerator
{
    private readonly ConcurrentDictionary<DefinedType, DynamicInvoker.Stub> _invokers = new();
    private readonly ConcurrentDictionary<DefinedType, nint> _adapters = new();

    /// <summary>The refusal for anything that would need code generated now.</summary>
    internal const string NoDynamicCode = "this runtime cannot generate code (RuntimeFeature.IsDynamicCodeSupported is false)";

    /// <inheritdoc/>
    public IModuleCode Generate(Syntax.Module module, ValidModule valid, CodeOptions options) =>
        throw new NotSupportedException($"{NoDynamicCode}: load the module precompiled (weft compile, WasmModule.Precompile) with the code options its stores use ({options})");

    /// <inheritdoc/>
    public bool NativeEntryPoints => true;

    /// <inheritdoc/>
    public StructLayout StructLayout(DefinedType type) => throw new NotSupportedException($"{NoDynamicCode}: GC struct types need generated classes");

    /// <inheritdoc/>
    /// <remarks>0 until a precompiled module with the type is loaded; instantiation then fills it in (<see cref="PrecompiledCode.PrepareImport"/>).</remarks>
    public nint HostEntry(DefinedType type, Type? typedDelegate) => _adapters.TryGetValue(type, out var adapter) ? adapter : 0;

    /// <inheritdoc/>
    public DynamicInvoker.Stub Invoker(DefinedType type) => _invokers.TryGetValue(type, out var stub)
        ? stub
        : throw new CompilationException($"{NoDynamicCode}, and no precompiled module of the engine has an invoke stub for {type}");

    /// <summary>Takes the stubs and adapters of a precompiled module's function types.</summary>
    public void Register(PrecompiledParts parts, ValidModule valid)
    {
        for (int t = 0; t < valid.Types.Length; t++)
        {
            if (parts.Invokers[t] is { } stub) _invokers.TryAdd(valid.Types[t], stub);
            if (parts.HostAdapters[t] != 0) _adapters.TryAdd(valid.Types[t], parts.HostAdapters[t]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _invokers.Clear();
        _adapters.Clear();
    }
}
