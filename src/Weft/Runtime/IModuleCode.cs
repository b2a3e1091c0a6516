using Weft.Validation;

namespace Weft.Runtime;

/// <summary>
/// The seam between the runtime and whatever produced a module's code (today the IL compiler; an interpreter tier
/// for platforms without Reflection.Emit could plug in here): what instantiation needs from the code.
/// </summary>
internal interface IModuleCode
{
    /// <summary>Creates the runtime state of a new instance.</summary>
    InstanceContext CreateContext();

    /// <summary>The entry point of a defined function (index among the module's own functions).</summary>
    nint EntryPoint(int definedFunction);

    /// <summary>Whether the code keeps a global in the instance itself rather than in a shared <see cref="Global"/> cell.</summary>
    bool KeepsGlobal(int globalIndex);

    /// <summary>Sets the initial value of a global the code keeps in the instance.</summary>
    void InitializeGlobal(InstanceContext context, int globalIndex, WasmValue value);

    /// <summary>
    /// Called when the code is about to run: it may prepare functions ahead of their first call (in this order of
    /// preference: the start function, the exported ones, the rest).
    /// </summary>
    void PrepareAhead(IReadOnlyList<int> firstFunctions);

    /// <summary>
    /// Called for each imported function (<paramref name="importIndex"/> among all the module's imports) before
    /// instantiation uses it: precompiled code gives a host function made without an entry point (a runtime without
    /// dynamic code, before the module was loaded) its precompiled adapter.
    /// </summary>
    void PrepareImport(int importIndex, Function function)
    {
    }
}

/// <summary>Produces the code of a module; one per engine, disposed with it.</summary>
internal interface ICodeGenerator : IDisposable
{
    /// <summary>Generates code for a validated module with the given options.</summary>
    /// <exception cref="NotSupportedException">The module uses something the generator cannot handle.</exception>
    IModuleCode Generate(Syntax.Module module, ValidModule valid, CodeOptions options);

    /// <summary>
    /// Whether <see cref="Function.Code"/> of the generator's functions are native entry points (the IL fast path:
    /// typed callers call them directly); otherwise they are tokens only the generator's <see cref="Invoker"/> reads.
    /// </summary>
    bool NativeEntryPoints { get; }

    /// <summary>The CLR class of a canonical GC struct type (GC struct objects are instances of it).</summary>
    /// <exception cref="NotSupportedException">The generator has no struct classes.</exception>
    Gc.StructLayout StructLayout(DefinedType type);

    /// <summary>
    /// The entry point through which the generator's code calls a host function of <paramref name="type"/> whose
    /// delegate is of type <paramref name="typedDelegate"/> (null for a <see cref="HostCallback"/>): it becomes the
    /// host function's <see cref="Function.Code"/>. A generator whose code calls host functions through the slow path
    /// (<see cref="SlowPath.CallHost"/>) returns 0.
    /// </summary>
    nint HostEntry(DefinedType type, Type? typedDelegate);

    /// <summary>
    /// How the host calls a function of <paramref name="type"/> with boxed values (after the runtime checked them):
    /// the IL generator's stubs call the entry point, another generator may interpret.
    /// </summary>
    DynamicInvoker.Stub Invoker(DefinedType type);
}
