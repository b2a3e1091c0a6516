namespace Weft.Script;

/// <summary>
/// The executor used until Weft can execute wasm: every request is "not supported", so the runner counts every
/// command that needs execution as skipped (never passed).
/// </summary>
internal sealed class NoExecution : IScriptExecutor, IScriptSession
{
    /// <summary>The skip reason reported for every command that needs execution.</summary>
    public const string Reason = "needs execution";

    private static readonly ExecutionOutcome s_notSupported = ExecutionOutcome.NotSupported(Reason);

    /// <summary>The shared instance (it holds no state).</summary>
    public static NoExecution Instance { get; } = new();

    private NoExecution()
    {
    }

    /// <inheritdoc/>
    public IScriptSession StartSession(string scriptPath) => this;

    /// <inheritdoc/>
    public ExecutionOutcome Instantiate(LoadedModule module) => s_notSupported;

    /// <inheritdoc/>
    public ExecutionOutcome Register(string name, object instance) => s_notSupported;

    /// <inheritdoc/>
    public ExecutionOutcome Invoke(object instance, string export, IReadOnlyList<ScriptValue> arguments) => s_notSupported;

    /// <inheritdoc/>
    public ExecutionOutcome Get(object instance, string export) => s_notSupported;

    /// <inheritdoc/>
    public void Dispose()
    {
        // Shared and stateless: nothing to release.
    }
}
