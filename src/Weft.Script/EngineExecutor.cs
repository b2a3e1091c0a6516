using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Script;

/// <summary>
/// Executes script commands with Weft's own engine: each script gets a store and a linker holding the spec's
/// <c>spectest</c> module, and registered instances are added to that linker.
/// </summary>
internal sealed class EngineExecutor(Engine? engine = null) : IScriptExecutor
{
    /// <summary>The shared executor (sessions hold all state).</summary>
    public static EngineExecutor Instance { get; } = new();

    /// <inheritdoc/>
    public IScriptSession StartSession(string scriptPath) => new EngineSession(engine ?? Engine.Default);
}

/// <summary>The execution state of one script.</summary>
internal sealed class EngineSession : IScriptSession
{
    private readonly Store _store;
    private readonly Linker _linker;
    private readonly Dictionary<uint, HostReference> _hostReferences = [];

    /// <summary>A session whose store and linker belong to <paramref name="engine"/> (tests run scripts on engines of their own).</summary>
    public EngineSession(Engine engine)
    {
        _store = new Store(engine);
        _linker = new Linker(engine) { AllowShadowing = true };
        SpecTestModule.Define(_linker, _store);
    }

    /// <inheritdoc/>
    public ExecutionOutcome Instantiate(LoadedModule module)
    {
        try
        {
            var wasm = WasmModule.FromValidated(module.Syntax, module.Valid);
            return ExecutionOutcome.Instantiated(_linker.Instantiate(_store, wasm));
        }
        catch (Exception e)
        {
            return Failure(e);
        }
    }

    /// <inheritdoc/>
    public ExecutionOutcome Register(string name, object instance)
    {
        _linker.DefineInstance(name, (Instance)instance);
        return ExecutionOutcome.Returned();
    }

    /// <inheritdoc/>
    public ExecutionOutcome Invoke(object instance, string export, IReadOnlyList<ScriptValue> arguments)
    {
        var function = ((Instance)instance).GetFunction(export);
        if (function is null) return ExecutionOutcome.ScriptError($"no exported function \"{export}\"");
        try
        {
            var args = arguments.Select(ToWasm).ToArray();
            var results = function.Invoke(args);
            var types = function.Results;
            var actual = new ActualValue[results.Length];
            for (int i = 0; i < results.Length; i++) actual[i] = ToActual(results[i], types[i]);
            return ExecutionOutcome.Returned(actual);
        }
        catch (Exception e)
        {
            return Failure(e);
        }
    }

    /// <inheritdoc/>
    public ExecutionOutcome Get(object instance, string export)
    {
        var global = ((Instance)instance).GetGlobal(export);
        if (global is null) return ExecutionOutcome.ScriptError($"no exported global \"{export}\"");
        return ExecutionOutcome.Returned(ToActual(global.Value, global.Type.ValueType));
    }

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();

    private static ExecutionOutcome Failure(Exception e) => e switch
    {
        TrapException { Kind: TrapKind.CallStackExhausted } trap => ExecutionOutcome.Exhaustion(trap.Reason),
        TrapException trap => ExecutionOutcome.Trap(trap.Reason),
        WasmException exception => ExecutionOutcome.Exception(exception.Reason),
        LinkException link => ExecutionOutcome.LinkError(link.Reason),
        WeftException other => ExecutionOutcome.ScriptError($"{other.GetType().Name}: {other.Message}"),
        _ => ExecutionOutcome.ScriptError($"unexpected {e.GetType().Name}: {e.Message}"),
    };

    private WasmValue ToWasm(ScriptValue value) => value.Kind switch
    {
        ScriptValueKind.I32 => WasmValue.FromInt32((int)value.Bits),
        ScriptValueKind.I64 => WasmValue.FromInt64((long)value.Bits),
        ScriptValueKind.F32 => WasmValue.FromSingleBits((uint)value.Bits),
        ScriptValueKind.F64 => WasmValue.FromDoubleBits(value.Bits),
        ScriptValueKind.V128 => WasmValue.FromVector(System.Runtime.Intrinsics.Vector128.AsByte(System.Runtime.Intrinsics.Vector128.Create(value.Bits, value.Bits2))),
        ScriptValueKind.RefNull => WasmValue.FromReference(null),
        _ => WasmValue.FromReference(HostReferenceFor((uint)value.Bits)),
    };

    private HostReference HostReferenceFor(uint index)
    {
        if (!_hostReferences.TryGetValue(index, out var reference))
        {
            reference = new HostReference(index);
            _hostReferences[index] = reference;
        }
        return reference;
    }

    private static ActualValue ToActual(WasmValue value, ValType type) => value.Kind switch
    {
        ValKind.I32 => ActualValue.I32(value.AsInt32()),
        ValKind.I64 => ActualValue.I64(value.AsInt64()),
        ValKind.F32 => ActualValue.F32Bits((uint)value.Bits),
        ValKind.F64 => ActualValue.F64Bits(value.Bits),
        ValKind.V128 => ActualValue.V128(value.Bits, value.HighBits),
        _ => ToActualReference(value.AsReference(), type),
    };

    private static ActualValue ToActualReference(object? value, ValType type)
    {
        bool externHierarchy = type.IsRef && type.Heap.Kind is HeapKind.Extern or HeapKind.NoExtern;
        return value switch
        {
            null => ActualValue.Null,
            HostReference host when externHierarchy => ActualValue.Extern(host.Index),
            HostReference host => ActualValue.Host(host.Index),
            _ when externHierarchy => ActualValue.Extern(null),
            Function => ActualValue.Reference(RefCategory.Func),
            I31Ref => ActualValue.Reference(RefCategory.I31),
            GcArray => ActualValue.Reference(RefCategory.Array),
            WasmException => ActualValue.Reference(RefCategory.Exn),
            _ => ActualValue.Reference(RefCategory.Struct),
        };
    }
}

/// <summary>A script's host reference <c>(ref.host N)</c> / <c>(ref.extern N)</c>.</summary>
/// <param name="Index">N.</param>
internal sealed record HostReference(uint Index);
