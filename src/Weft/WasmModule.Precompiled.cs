using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Security.Cryptography;
using Weft.Compilation;
using Weft.Compilation.Aot;
using Weft.Runtime;

namespace Weft;

// Ahead-of-time compilation: a module written as an ordinary .NET assembly, and loaded from one (docs/RATIONALE.md,
// "Ahead of time").
public sealed partial class WasmModule
{
    /// <summary>
    /// The name of the type every precompiled assembly holds (in no namespace), for
    /// <see cref="FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/>: with NativeAOT, find it as
    /// <c>Type.GetType("WeftPrecompiledEntry, NAME")</c> with the assembly's name written out, which the trimmer sees.
    /// </summary>
    public const string PrecompiledEntryTypeName = AotFormat.EntryTypeName;

    /// <summary>
    /// Compiles the module ahead of time into a .NET assembly: its code, an invoke stub and a host adapter per
    /// function type, and the module's bytes. Load it with <see cref="FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/>,
    /// also where Reflection.Emit is unavailable (NativeAOT).
    /// </summary>
    /// <param name="output">Where the assembly is written.</param>
    /// <param name="options">The assembly's name and the code options; null for the defaults.</param>
    /// <exception cref="CompilationException">The module cannot be precompiled (today: it has GC struct types, or
    /// it was created with builtins or string constants, which the assembly does not record).</exception>
    [RequiresDynamicCode("Precompiling writes IL with Reflection.Emit.")]
    public void Precompile(Stream output, PrecompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        // The assembly embeds only the module's bytes; a module whose builtin imports were resolved at creation would
        // load back without them and link differently, so it is refused rather than written wrong.
        if (Options != WasmModuleOptions.Default)
        {
            throw new CompilationException("a module created with builtins or imported string constants cannot be precompiled yet");
        }
        options ??= new PrecompileOptions();
        AotCompiler.Compile(Syntax, Valid, ToBinary(), output, options.AssemblyName ?? "WeftModule",
            AotFormat.Options(options.ConsumeFuel, options.Interruptible), markOptimized: !options.ForReadyToRun);
    }

    /// <summary>Compiles the module ahead of time into an assembly file (see <see cref="Precompile(Stream, PrecompileOptions?)"/>).</summary>
    /// <param name="path">The assembly file; its name without extension names the assembly unless the options do.</param>
    /// <param name="options">The assembly's name and the code options; null for the defaults.</param>
    /// <exception cref="CompilationException">The module cannot be precompiled (today: it has GC struct types).</exception>
    [RequiresDynamicCode("Precompiling writes IL with Reflection.Emit.")]
    public void Precompile(string path, PrecompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new PrecompileOptions();
        var named = options with { AssemblyName = options.AssemblyName ?? Path.GetFileNameWithoutExtension(path) };
        using var buffer = new MemoryStream();
        Precompile(buffer, named);
        File.WriteAllBytes(path, buffer.ToArray());
    }

    /// <summary>
    /// Loads a module from a precompiled assembly (<see cref="Precompile(Stream, PrecompileOptions?)"/>) given its
    /// entry type (<see cref="PrecompiledEntryTypeName"/>). No code is generated: this works where Reflection.Emit
    /// does not (NativeAOT). The embedded module is decoded and validated again.
    /// </summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="entryType">The assembly's <c>WeftPrecompiledEntry</c> type.</param>
    /// <param name="expectedModule">
    /// The module's bytes as the host knows them, or empty: when given, an assembly precompiled from other bytes (a
    /// stale one) is refused.
    /// </param>
    /// <exception cref="CompilationException">
    /// The assembly is not a precompiled module of this Weft version, or it was compiled from another module than
    /// <paramref name="expectedModule"/>.
    /// </exception>
    public static WasmModule FromPrecompiled(Engine engine,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type entryType,
        ReadOnlySpan<byte> expectedModule = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(entryType);
        engine.ThrowIfDisposed();
        string source = entryType.Assembly.GetName().Name ?? entryType.FullName ?? "precompiled assembly";
        var getParts = entryType.GetMethod(AotFormat.GetPartsMethod, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)
            ?? throw new CompilationException($"{source}: {entryType} is not the entry type of a Weft precompiled assembly");
        object? parts;
        try
        {
            parts = getParts.Invoke(null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A MissingMethodException or TypeLoadException here means the IL names members this Weft does not have.
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            throw new CompilationException($"{source}: the precompiled assembly cannot be loaded by this Weft ({AotFormat.WeftVersion}), recompile it: {inner.GetType().Name}: {inner.Message}", inner);
        }
        return FromParts(engine, parts as PrecompiledParts ?? throw new CompilationException($"{source}: {entryType} is not the entry type of a Weft precompiled assembly"),
            source, expectedModule);
    }

    /// <summary>Loads a module from a precompiled assembly (see <see cref="FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/>), finding its entry type by name.</summary>
    /// <param name="engine">The engine the module belongs to.</param>
    /// <param name="assembly">The precompiled assembly.</param>
    /// <param name="expectedModule">The module's bytes as the host knows them, or empty (see the other overload).</param>
    /// <exception cref="CompilationException">The assembly is not a precompiled module of this Weft version, or a stale one.</exception>
    [RequiresUnreferencedCode("The entry type is found by name; with trimming use the overload taking the entry type.")]
    public static WasmModule FromPrecompiled(Engine engine, Assembly assembly, ReadOnlySpan<byte> expectedModule = default)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var entry = assembly.GetType(AotFormat.EntryTypeName)
            ?? throw new CompilationException($"{assembly.GetName().Name}: not a Weft precompiled assembly (no {AotFormat.EntryTypeName} type)");
        return FromPrecompiled(engine, entry, expectedModule);
    }

    internal static WasmModule FromParts(Engine engine, PrecompiledParts parts, string source, ReadOnlySpan<byte> expectedModule)
    {
        if (parts.FormatVersion != AotFormat.Version || parts.WeftVersion != AotFormat.WeftVersion)
        {
            throw new CompilationException($"{source}: the module was precompiled by Weft {parts.WeftVersion} (format {parts.FormatVersion}), this is Weft {AotFormat.WeftVersion} (format {AotFormat.Version}): recompile it");
        }
        if (!expectedModule.IsEmpty && !SHA256.HashData(expectedModule).AsSpan().SequenceEqual(SHA256.HashData(parts.Module)))
        {
            throw new CompilationException($"{source}: the assembly was precompiled from another module (SHA-256 {Convert.ToHexString(SHA256.HashData(parts.Module))}) than the one expected (SHA-256 {Convert.ToHexString(SHA256.HashData(expectedModule))}): it is stale, recompile it");
        }
        var module = FromBinary(engine, parts.Module, source, WasmModuleOptions.Default);
        if (parts.EntryPoints.Length != module.Syntax.Functions.Count || parts.Invokers.Length != module.Valid.Types.Length
            || parts.HostAdapters.Length != module.Valid.Types.Length || parts.KeptGlobals.Length != module.Valid.GlobalCount)
        {
            throw new CompilationException($"{source}: the precompiled code does not match its embedded module");
        }
        var code = new PrecompiledCode(parts, module.Syntax);
        module.UsePrecompiled(AotFormat.Options(parts.OptionFlags), code);
        if (engine.CodeGenerator is PrecompiledOnlyGenerator generator) generator.Register(parts, module.Valid);
        Backtrace.Register(parts.ContextType.Assembly, ModuleCompiler.SymbolsOf(module.Syntax, module.Valid.ImportedFunctionCount));
        return module;
    }

    /// <summary>Makes precompiled code the module's code for the options it was compiled with.</summary>
    private void UsePrecompiled(CodeOptions options, IModuleCode code)
    {
        lock (_compileLock)
        {
            if (options == CodeOptions.Default) _compiled = code;
            else (_variants ??= [])[options] = code;
        }
    }
}
