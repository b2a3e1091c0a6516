using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using Weft.Syntax;

namespace Weft.Fuzz;

/// <summary>
/// binaryen's fuzz-exec harness rebuilt on Weft: the <c>fuzzing-support</c> imports that translate-to-fuzz modules
/// use (as binaryen 132's src/tools/execution-results.h implements them), then every export called in order with
/// zero arguments. It prints the same trace lines as <c>wasm-opt --fuzz-exec-before</c>, so the two traces can be
/// compared line by line (<see cref="TraceComparer"/>).
/// </summary>
public sealed class FuzzHost
{
    /// <summary>The payload of binaryen's "JS exception" (an externref it prints as <c>jserror</c>).</summary>
    public sealed class JsError
    {
        public static readonly JsError Instance = new();
        private JsError() { }
    }

    /// <summary>An externref the harness made up (binaryen's <c>externref(N)</c>), e.g. for a synthesized global import.</summary>
    public sealed record ExternPayload(int Value);

    private readonly StringBuilder _out = new();
    private readonly Tag _wasmTag;
    private readonly Tag _jsTag;

    // Tags, host functions and the store live in the module's engine: types are canonical per engine.
    private FuzzHost(Engine engine)
    {
        _wasmTag = new Tag(engine, ValType.I32);
        _jsTag = new Tag(engine, ValType.ExternRef);
    }
    private Instance? _instance;
    private IReadOnlyList<ModuleExport> _exports = [];
    private bool _inStart;

    /// <summary>Whether the run hit a limit of Weft's own (its call stack): the rest of the trace cannot be compared.</summary>
    public bool HitHostLimit { get; private set; }

    /// <summary>Runs <paramref name="module"/> in a fresh store and returns the trace.</summary>
    public static (string Trace, bool HostLimit) Run(WasmModule module, bool tiered)
    {
        var host = new FuzzHost(module.Engine);
        // Interruptible with a deadline: translate-to-fuzz modules carry their own hang limit, so the deadline is
        // only a safety net against a Weft bug that loops forever.
        using var store = new Store(module.Engine, new StoreLimits { MaxMemoryBytes = 1L << 31, MaxTableElements = 10_000_000 })
        {
            TieredCompilation = tiered,
            Interruptible = true,
        };
        store.SetDeadline(TimeSpan.FromSeconds(30));
        host.Execute(store, module);
        return (host._out.ToString(), host.HitHostLimit);
    }

    private void Execute(Store store, WasmModule module)
    {
        _exports = module.Exports;
        var linker = new Linker(module.Engine);
        Define(linker, module, store);
        try
        {
            _inStart = true;
            _instance = linker.Instantiate(store, module);
        }
        catch (TrapException e)
        {
            Trap(e);
            return;
        }
        catch (WasmException)
        {
            _out.Append("[exception thrown: failed to instantiate module]\n");
            return;
        }
        finally
        {
            _inStart = false;
        }
        foreach (var export in _exports)
        {
            if (HitHostLimit) return;
            if (export.Kind == ExternKind.Func)
            {
                _out.Append("[fuzz-exec] export ").Append(export.Name).Append('\n');
                CallExport(export.Name);
            }
            else if (export.Kind == ExternKind.Global)
            {
                _out.Append("[fuzz-exec] export ").Append(export.Name).Append('\n');
                var global = _instance.GetGlobal(export.Name)!;
                _out.Append("[LoggingExternalInterface logging ");
                PrintValue(global.Value, global.Type.ValueType);
                _out.Append("]\n");
            }
        }
    }

    private void CallExport(string name)
    {
        var function = _instance!.GetFunction(name)!;
        var parameters = function.Parameters;
        if (parameters.Any(p => !p.IsDefaultable))
        {
            _out.Append("[trap fuzzer can only send defaultable parameters to exports]\n");
            return;
        }
        try
        {
            var results = function.Invoke(parameters.Select(Zero).ToArray());
            if (results.Length > 0)
            {
                _out.Append("[fuzz-exec] note result: ").Append(name).Append(" => ");
                var types = function.Results;
                for (int i = 0; i < results.Length; i++)
                {
                    PrintValue(results[i], types[i]);
                    _out.Append('\n');
                }
            }
        }
        catch (TrapException e)
        {
            Trap(e);
        }
        catch (WasmException e)
        {
            _out.Append("[exception thrown: ").Append(e.Tag == _jsTag ? "imported-js-tag" : e.Tag == _wasmTag ? "imported-wasm-tag" : "tag");
            var types = e.Tag.Parameters;
            for (int i = 0; i < e.Payload.Count; i++)
            {
                _out.Append(' ');
                PrintValue(e.Payload[i], types[i]);
            }
            _out.Append("]\n");
        }
    }

    private void Trap(TrapException e)
    {
        // Weft's call stack is not binaryen's: a stack overflow here is a limit of the host, as binaryen's own
        // "[host limit stack limit]" is, and ends the comparable part of the trace.
        if (e.Kind == TrapKind.CallStackExhausted)
        {
            HitHostLimit = true;
            _out.Append("[host limit weft call stack]\n");
            return;
        }
        _out.Append("[trap ").Append(e.Message).Append("]\n");
    }

    private static WasmValue Zero(ValType type) => type.Kind switch
    {
        ValKind.I32 => WasmValue.FromInt32(0),
        ValKind.I64 => WasmValue.FromInt64(0),
        ValKind.F32 => WasmValue.FromSingle(0),
        ValKind.F64 => WasmValue.FromDouble(0),
        ValKind.V128 => WasmValue.FromVector(Vector128<byte>.Zero),
        _ => WasmValue.FromReference(null),
    };

    private WasmException JsException() => new(_jsTag, WasmValue.FromReference(JsError.Instance));

    private void Define(Linker linker, WasmModule module, Store store)
    {
        const string M = "fuzzing-support";
        linker.Define(M, "wasmtag", _wasmTag);
        linker.Define(M, "jstag", _jsTag);
        foreach (var (type, name) in new[]
                 {
                     (ValType.I32, "i32"), (ValType.I64, "i64"), (ValType.F32, "f32"), (ValType.F64, "f64"),
                     (ValType.V128, "v128"), (ValType.AnyRef, "anyref"), (ValType.FuncRef, "funcref"), (ValType.ExternRef, "externref"),
                 })
        {
            linker.DefineFunction(M, "log-" + name, [type], [], (args, _) => Log("logging", args[0], type));
        }
        linker.DefineFunction(M, "log-branch", [ValType.I32, ValType.I32], [ValType.I32], (args, results) =>
        {
            _out.Append("[LoggingExternalInterface log-branch");
            foreach (var a in args) _out.Append(' ').Append(a.AsInt32().ToString(CultureInfo.InvariantCulture));
            _out.Append("]\n");
            results[0] = args[0];
        });
        linker.DefineFunction(M, "throw", [ValType.I32], [], (args, _) =>
            throw (args[0].AsInt32() == 0 ? JsException() : new WasmException(_wasmTag, args[0])));
        linker.DefineFunction(M, "table-get", [ValType.I32], [ValType.FuncRef], (args, results) =>
        {
            var table = ExportedTable();
            uint index = (uint)args[0].AsInt32();
            if (index >= table.Size) throw JsException();
            results[0] = WasmValue.FromReference(table.Get(index));
        });
        linker.DefineFunction(M, "table-set", [ValType.I32, ValType.FuncRef], [], (args, _) =>
        {
            var table = ExportedTable();
            uint index = (uint)args[0].AsInt32();
            if (index >= table.Size) throw JsException();
            table.Set(index, args[1].AsReference());
        });
        linker.DefineFunction(M, "call-export", [ValType.I32, ValType.I32], [], (args, _) => CallExportAsJs(args[0].AsInt32()));
        linker.DefineFunction(M, "call-export-catch", [ValType.I32], [ValType.I32], (args, results) =>
        {
            try
            {
                CallExportAsJs(args[0].AsInt32());
                results[0] = WasmValue.FromInt32(0);
            }
            catch (WasmException)
            {
                results[0] = WasmValue.FromInt32(1);
            }
        });
        linker.DefineFunction(M, "call-ref", [ValType.FuncRef, ValType.I32], [], (args, _) => CallRefAsJs(args[0].AsReference()));
        linker.DefineFunction(M, "call-ref-catch", [ValType.FuncRef], [ValType.I32], (args, results) =>
        {
            try
            {
                CallRefAsJs(args[0].AsReference());
                results[0] = WasmValue.FromInt32(0);
            }
            catch (WasmException)
            {
                results[0] = WasmValue.FromInt32(1);
            }
        });
        linker.DefineFunction(M, "sleep", [ValType.I32, ValType.I32], [ValType.I32], (args, results) => results[0] = args[1]);

        // binaryen synthesizes immutable externref globals for imports it does not know, with a payload made from
        // the import's names (kept in sync with its fuzz_shell.js).
        foreach (var import in module.Imports)
        {
            if (import.Type is WasmGlobalType { Mutable: false } global && global.ValueType.IsRef && global.ValueType.Heap.Kind == HeapKind.Extern)
            {
                int payload = 0;
                foreach (char c in import.Module + import.Name) payload = (payload + c) % 251;
                // The import's own type: (ref extern) or (ref null extern); the value is never null.
                var type = global.ValueType;
                linker.Define(import.Module, import.Name,
                    new Global(store, new GlobalType(type, false), WasmValue.FromReference(new ExternPayload(payload))));
            }
        }
    }


    private Table ExportedTable()
    {
        // Exports do not exist yet while the start function runs (JS would read undefined and throw).
        if (_inStart || _instance?.GetTable("table") is not { } table) throw JsException();
        return table;
    }

    private void CallExportAsJs(int index)
    {
        if (_inStart || (uint)index >= (uint)_exports.Count || _exports[index].Kind != ExternKind.Func) throw JsException();
        CallAsJs(_instance!.GetFunction(_exports[index].Name)!);
    }

    private void CallRefAsJs(object? reference)
    {
        if (reference is not Function function) throw JsException();
        CallAsJs(function);
    }

    private void CallAsJs(Function function)
    {
        // The JS boundary: an i64 parameter (fuzz_shell passes 0, not a BigInt), v128 and exnref in either
        // direction, and non-defaultable parameters all throw before the call.
        foreach (var p in function.Parameters)
        {
            if (p.Kind == ValKind.I64 || TrapsOnJsBoundary(p) || !p.IsDefaultable) throw JsException();
        }
        foreach (var r in function.Results)
        {
            if (TrapsOnJsBoundary(r)) throw JsException();
        }
        function.Invoke(function.Parameters.Select(Zero).ToArray());
    }

    private static bool TrapsOnJsBoundary(ValType type) =>
        type.Kind == ValKind.V128 || (type.IsRef && (type.Heap == HeapType.Exn || type.Heap == HeapType.NoExn));

    private void Log(string kind, WasmValue value, ValType type)
    {
        _out.Append("[LoggingExternalInterface ").Append(kind);
        if (type.Kind == ValKind.I64)
        {
            // binaryen logs an i64 as its two i32 halves (what JS legalization would pass).
            long v = value.AsInt64();
            _out.Append(' ').Append(((int)v).ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(((int)(v >> 32)).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _out.Append(' ');
            PrintValue(value, type);
        }
        _out.Append("]\n");
    }

    /// <summary>Prints a value as binaryen's printValue does (references only as what JS could observe).</summary>
    private void PrintValue(WasmValue value, ValType type)
    {
        _out.Append(FormatValue(value, type));
    }

    /// <summary>binaryen's text for a value; floats as exact decimals with an exponent (the comparer compares them as numbers).</summary>
    public static string FormatValue(WasmValue value, ValType type)
    {
        var c = CultureInfo.InvariantCulture;
        switch (type.Kind)
        {
            case ValKind.I32: return value.AsInt32().ToString(c);
            case ValKind.I64: return value.AsInt64().ToString(c);
            case ValKind.F32:
            {
                uint bits = (uint)value.Bits;
                float f = BitConverter.UInt32BitsToSingle(bits);
                if (float.IsNaN(f))
                {
                    uint payload = bits & 0x7FFFFF;
                    return ((bits >> 31) != 0 ? "-" : "") + "nan" + (payload != 0 ? ":0x" + payload.ToString("x", c) : "");
                }
                return FormatDouble(f);
            }
            case ValKind.F64:
            {
                ulong bits = value.Bits;
                double d = BitConverter.UInt64BitsToDouble(bits);
                if (double.IsNaN(d))
                {
                    ulong payload = bits & 0xF_FFFF_FFFF_FFFF;
                    return ((bits >> 63) != 0 ? "-" : "") + "nan" + (payload != 0 ? ":0x" + payload.ToString("x", c) : "");
                }
                return FormatDouble(d);
            }
            case ValKind.V128:
            {
                var words = value.AsVector().AsUInt32();
                return $"i32x4 0x{words[0]:x8} 0x{words[1]:x8} 0x{words[2]:x8} 0x{words[3]:x8}";
            }
            default:
                return FormatReference(value.AsReference());
        }
    }

    private static string FormatDouble(double d)
    {
        if (d == 0) return double.IsNegative(d) ? "-0" : "0";
        if (double.IsInfinity(d)) return d < 0 ? "-inf" : "inf";
        // Always with an exponent, so the comparer knows it for a float (binaryen prints 2^55 as 36028797018963968);
        // 17 significant digits give the exact double back.
        return d.ToString("E16", CultureInfo.InvariantCulture);
    }

    private static string FormatReference(object? reference) => reference switch
    {
        null => "null",
        JsError => "jserror",
        ExternPayload p => $"externref({p.Value})",
        I31Ref i => $"i31ref({i.Value})",
        Function => "function",
        GcObject => "object(null)",
        _ => "object(null)",
    };
}
