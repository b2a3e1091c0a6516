namespace Weft.Script;

/// <summary>How an execution request ended.</summary>
internal enum ExecutionKind
{
    /// <summary>An action returned <see cref="ExecutionOutcome.Values"/> (none for register).</summary>
    Returned,
    /// <summary>A module was instantiated: <see cref="ExecutionOutcome.Instance"/>.</summary>
    Instantiated,
    /// <summary>Wasm code trapped (not stack exhaustion).</summary>
    Trap,
    /// <summary>The call stack was exhausted.</summary>
    Exhaustion,
    /// <summary>An uncaught wasm exception left the called function.</summary>
    Exception,
    /// <summary>Instantiation could not link an import.</summary>
    LinkError,
    /// <summary>The request itself was wrong (e.g. "undefined export", "wrong number of arguments").</summary>
    ScriptError,
    /// <summary>The executor cannot do this (yet); the runner counts the command as skipped.</summary>
    NotSupported,
}

/// <summary>The result of an <see cref="IScriptSession"/> request; <see cref="Message"/> carries the spec's error text.</summary>
internal sealed record ExecutionOutcome
{
    private ExecutionOutcome(ExecutionKind kind, string message, IReadOnlyList<ActualValue> values, object? instance)
    {
        Kind = kind;
        Message = message;
        Values = values;
        Instance = instance;
    }

    /// <summary>How the request ended.</summary>
    public ExecutionKind Kind { get; }

    /// <summary>The error or trap message (the spec's wording), or the reason for <see cref="ExecutionKind.NotSupported"/>.</summary>
    public string Message { get; }

    /// <summary>The results of an action that returned.</summary>
    public IReadOnlyList<ActualValue> Values { get; }

    /// <summary>The new instance, for <see cref="ExecutionKind.Instantiated"/>.</summary>
    public object? Instance { get; }

    /// <summary>An action returned these values.</summary>
    public static ExecutionOutcome Returned(params IReadOnlyList<ActualValue> values) => new(ExecutionKind.Returned, "", values, null);

    /// <summary>A module was instantiated.</summary>
    public static ExecutionOutcome Instantiated(object instance) => new(ExecutionKind.Instantiated, "", [], instance);

    /// <summary>Wasm code trapped with the spec's message.</summary>
    public static ExecutionOutcome Trap(string message) => new(ExecutionKind.Trap, message, [], null);

    /// <summary>The call stack was exhausted.</summary>
    public static ExecutionOutcome Exhaustion(string message) => new(ExecutionKind.Exhaustion, message, [], null);

    /// <summary>An uncaught wasm exception.</summary>
    public static ExecutionOutcome Exception(string message) => new(ExecutionKind.Exception, message, [], null);

    /// <summary>Linking failed with the spec's message (e.g. "unknown import").</summary>
    public static ExecutionOutcome LinkError(string message) => new(ExecutionKind.LinkError, message, [], null);

    /// <summary>The request was wrong (e.g. "undefined export").</summary>
    public static ExecutionOutcome ScriptError(string message) => new(ExecutionKind.ScriptError, message, [], null);

    /// <summary>The executor cannot do this; <paramref name="reason"/> says why (shown as the skip reason).</summary>
    public static ExecutionOutcome NotSupported(string reason) => new(ExecutionKind.NotSupported, reason, [], null);
}
