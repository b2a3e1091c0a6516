using Weft.Runtime;
using Weft.Validation;

namespace Weft;

/// <summary>
/// The shared environment of modules and stores: the canonical type registry, the code generator and the code it
/// generates once for many modules (GC struct classes, host function adapters, invoke stubs). Modules and stores
/// belong to one engine; disposing the engine releases its types and lets .NET unload its generated code.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> An engine is thread-safe: any number of threads may load modules, create stores and
/// instantiate at the same time. <see cref="Dispose"/> must not race with work of the engine still under way.</para>
/// <para><b>Lifetime.</b> <see cref="Default"/> serves <see cref="WasmModule.FromBytes(ReadOnlySpan{byte})"/>,
/// <c>new Store()</c> and <c>new Linker()</c> and lives as long as the process. An engine of its own lets a host
/// drop everything at once: after <see cref="Dispose"/> and a garbage collection nothing of the engine stays
/// reachable (its canonical types, GC struct classes, adapters and compiled modules), provided the host holds none
/// of its modules, stores or objects. Types that a rejected (invalid) module registered are released right away,
/// also in the default engine.</para>
/// <para><b>Isolation.</b> Types are canonical per engine: a module of one engine cannot be instantiated in a store
/// of another, and entities of one engine cannot be imported by an instance of another
/// (<see cref="ArgumentException"/> and <see cref="LinkException"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// using var engine = new Engine(new EngineOptions { ConsumeFuel = true });
/// var module = WasmModule.FromBytes(engine, bytes);      // compiled once, shareable across stores and threads
/// using var store = new Store(engine) { Fuel = 1_000_000 };
/// var instance = new Linker(engine).Instantiate(store, module);
/// </code>
/// </example>
public sealed class Engine : IDisposable
{
    private volatile bool _disposed;

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Its settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The options ask for tiered compilation of collectible code.</exception>
    /// <remarks>
    /// Where the runtime cannot generate code (NativeAOT, or the switch
    /// <c>System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported</c> off) the engine runs precompiled
    /// modules only (<see cref="WasmModule.FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/>) and refuses others
    /// with a <see cref="CompilationException"/>.
    /// </remarks>
    public Engine(EngineOptions? options = null)
        : this(Checked(options ?? new EngineOptions()), isDefault: false)
    {
    }

    private static EngineOptions Checked(EngineOptions options) => options is { TieredCompilation: true, Collectible: true }
        ? throw new ArgumentException("TieredCompilation needs Collectible = false: .NET tiers only code that is never unloaded", nameof(options))
        : options;

    private Engine(EngineOptions options, bool isDefault)
    {
        Options = options;
        IsDefault = isDefault;
        Types = new TypeRegistry(this);
        CodeGenerator = Compilation.ModuleCompiler.CreateGenerator(this);
    }

    /// <summary>
    /// The process-wide engine behind the overloads without one (<c>WasmModule.FromBytes(bytes)</c>,
    /// <c>new Store()</c>); its code is not collectible and it cannot be disposed.
    /// </summary>
    public static Engine Default { get; } = new(new EngineOptions { Collectible = false }, isDefault: true);

    /// <summary>The engine's settings.</summary>
    public EngineOptions Options { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The number of canonical types the engine holds (for tests and diagnostics).</summary>
    internal int TypeCount => Types.Count;

    internal bool IsDefault { get; }

    /// <summary>The engine's canonical types.</summary>
    internal TypeRegistry Types { get; }

    /// <summary>What produces and runs the engine's code.</summary>
    internal ICodeGenerator CodeGenerator { get; private set; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the engine is disposed.</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The engine of a canonical type.</summary>
    internal static Engine Of(DefinedType type) => type.Group.Registry.Engine;

    /// <summary>The engine of a validated module.</summary>
    internal static Engine Of(ValidModule valid) => valid.Engine;

    /// <summary>Replaces the code generator (tests of the seam: a fake generator); only before any module is loaded.</summary>
    internal Engine WithGenerator(ICodeGenerator generator)
    {
        CodeGenerator = generator;
        return this;
    }

    /// <summary>
    /// Releases the engine's canonical types and its generated code. Modules, stores and objects of the engine must
    /// not be used afterwards (loading or instantiating throws <see cref="ObjectDisposedException"/>). Disposing
    /// <see cref="Default"/> does nothing: it lives as long as the process.
    /// </summary>
    public void Dispose()
    {
        if (IsDefault || _disposed) return;
        _disposed = true;
        Types.Dispose();
        CodeGenerator.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => IsDefault ? "Engine.Default" : $"Engine({Options})";
}
