namespace Weft.Script;

/// <summary>
/// The seam between the script runner and execution. The runner does everything that needs no execution
/// itself (decoding, parsing, validation, name bookkeeping, comparing results) and asks an executor for the rest.
/// </summary>
/// <remarks>
/// An executor is shared by all scripts of a run and may be called from several threads at once; each script gets
/// its own <see cref="IScriptSession"/>. The first implementation, <see cref="NoExecution"/>, answers every request
/// with <see cref="ExecutionOutcome.NotSupported"/>, which the runner counts as skipped.
/// </remarks>
internal interface IScriptExecutor
{
    /// <summary>Starts the session of one script: a fresh store whose registry holds only the <c>spectest</c> module.</summary>
    IScriptSession StartSession(string scriptPath);
}

/// <summary>
/// The execution state of one script. Instances are opaque to the runner: it receives them from
/// <see cref="Instantiate"/> (in <see cref="ExecutionOutcome.Instance"/>) and hands them back by reference.
/// </summary>
internal interface IScriptSession : IDisposable
{
    /// <summary>
    /// Links the module's imports against the registered instances and instantiates it (running its start function).
    /// Returns <see cref="ExecutionKind.Instantiated"/>, <see cref="ExecutionKind.LinkError"/> (the spec's "unlinkable"),
    /// <see cref="ExecutionKind.Trap"/> or <see cref="ExecutionKind.Exception"/> (from initialization or the start function).
    /// </summary>
    ExecutionOutcome Instantiate(LoadedModule module);

    /// <summary>Makes an instance's exports importable under a module name (<c>register</c>).</summary>
    ExecutionOutcome Register(string name, object instance);

    /// <summary>Calls an exported function with the given arguments.</summary>
    ExecutionOutcome Invoke(object instance, string export, IReadOnlyList<ScriptValue> arguments);

    /// <summary>Reads an exported global.</summary>
    ExecutionOutcome Get(object instance, string export);
}
