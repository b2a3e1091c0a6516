using Weft.Runtime;

namespace Weft.Compilation.Aot;

/// <summary>
/// What a precompiled assembly hands Weft when it is loaded: built by the generated entry type's <c>GetParts</c>
/// with plain IL (ldftn, newobj, an RVA field), so loading needs no Reflection.Emit and no reflection beyond finding
/// that one method. The constructor's shape is part of the precompiled format (<see cref="AotFormat.Version"/>).
/// </summary>
internal sealed class PrecompiledParts
{
    /// <summary>Called by generated code only.</summary>
    public PrecompiledParts(int formatVersion, string weftVersion, int optionFlags, byte[] module, Type contextType,
        Func<InstanceContext> factory, nint[] entryPoints, bool[] keptGlobals, Action<InstanceContext, int, WasmValue[]> setGlobal,
        DynamicInvoker.Stub?[] invokers, nint[] hostAdapters)
    {
        FormatVersion = formatVersion;
        WeftVersion = weftVersion;
        OptionFlags = optionFlags;
        Module = module;
        ContextType = contextType;
        Factory = factory;
        EntryPoints = entryPoints;
        KeptGlobals = keptGlobals;
        SetGlobal = setGlobal;
        Invokers = invokers;
        HostAdapters = hostAdapters;
    }

    /// <summary>The layout of these parts the assembly was written for.</summary>
    public int FormatVersion { get; }

    /// <summary>The Weft that wrote it (<see cref="AotFormat.WeftVersion"/>): generated IL names Weft's internals.</summary>
    public string WeftVersion { get; }

    /// <summary>The code options it was compiled with (<see cref="AotFormat.Flags"/>).</summary>
    public int OptionFlags { get; }

    /// <summary>The module's bytes (binary format), decoded and validated again on load.</summary>
    public byte[] Module { get; }

    /// <summary>The generated instance class.</summary>
    public Type ContextType { get; }

    /// <summary>Creates an instance context.</summary>
    public Func<InstanceContext> Factory { get; }

    /// <summary>The entry point of each defined function.</summary>
    public nint[] EntryPoints { get; }

    /// <summary>Whether each global index is kept as a field of the instance class.</summary>
    public bool[] KeptGlobals { get; }

    /// <summary>Sets a global kept as a field (the value is element 0 of the array).</summary>
    public Action<InstanceContext, int, WasmValue[]> SetGlobal { get; }

    /// <summary>The invoke stub of each type index (null for non-function types).</summary>
    public DynamicInvoker.Stub?[] Invokers { get; }

    /// <summary>The host adapter of each type index (0 for non-function types): calls through <see cref="SlowPath.CallHost"/>.</summary>
    public nint[] HostAdapters { get; }
}
