using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Weft.Gc;
using Weft.Runtime;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>
/// The IL code generator of one engine: compiles modules to IL (<see cref="ModuleCompiler"/>) and owns everything
/// else Weft emits for the engine: GC struct classes, host adapters and invoke stubs. All of it is reachable only
/// from here (and from the objects and code using it), so it goes with the engine: in collectible assemblies when the
/// engine is collectible.
/// </summary>
[RequiresDynamicCode("The IL code generator uses Reflection.Emit.")]
internal sealed class IlCodeGenerator(Engine engine) : ICodeGenerator
{
    private readonly StructClasses _structs = new(engine.Options.Collectible);
    private readonly HostAdapters _adapters = new(engine.Options.Collectible);
    private readonly ConcurrentDictionary<DefinedType, DynamicInvoker.Stub> _stubs = new();

    /// <summary>The engine.</summary>
    public Engine Engine { get; } = engine;

    /// <inheritdoc/>
    public IModuleCode Generate(SyntaxModule module, ValidModule valid, CodeOptions options)
    {
        // .NET tiers only non-collectible code, and non-collectible code cannot reference a collectible engine's
        // struct classes.
        if (options.Tiered && Engine.Options.Collectible)
        {
            throw new NotSupportedException("tiered compilation needs an engine whose code is not collectible (EngineOptions.Collectible = false)");
        }
        return ModuleCompiler.Compile(module, valid, options, Engine.Options.LazyCompilation);
    }

    /// <inheritdoc/>
    public bool NativeEntryPoints => true;

    /// <inheritdoc/>
    public StructLayout StructLayout(DefinedType type) => _structs.Get(type);

    /// <inheritdoc/>
    public nint HostEntry(DefinedType type, Type? typedDelegate) => _adapters.Get(type, typedDelegate);

    /// <inheritdoc/>
    public DynamicInvoker.Stub Invoker(DefinedType type) => _stubs.GetOrAdd(type, DynamicInvoker.CreateStub);

    /// <inheritdoc/>
    public void Dispose()
    {
        _structs.Clear();
        _adapters.Clear();
        _stubs.Clear();
    }
}
