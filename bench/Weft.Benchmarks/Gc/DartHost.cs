using System.Diagnostics;
using System.Globalization;
using System.Text;
using Weft.Syntax;

namespace Weft.Benchmarks.Gc;

/// <summary>
/// A C# stand-in for the JS glue of a dart2wasm program (its <c>.mjs</c>'s <c>dart2wasm</c> imports), enough for
/// ../shared/real-programs/dart2wasm-list-access: JS values are .NET objects (strings are <see cref="string"/>, as
/// Weft's js-string builtins use them; numbers are boxed doubles; a JS array is <c>object?[]</c>; undefined is
/// <see cref="Undefined"/>). Imports the program never reaches trap with their name, so a missing one is visible.
/// The <c>S</c> string constants are Weft's ImportedStringConstants.
/// </summary>
internal static class DartHost
{
    public static readonly object Undefined = new();
    private static readonly object MathObject = new();
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static WasmModuleOptions Options => new() { Builtins = WasmModuleOptions.JsStringSets, ImportedStringConstants = "S" };

    public static void Define(Linker linker, WasmModule module, StringBuilder output)
    {
        foreach (var import in module.Imports)
        {
            if (import.Module != "dart2wasm" || import.Type is not WasmFunctionType type) continue;
            var body = Body(import.Name, output);
            linker.DefineFunction("dart2wasm", import.Name, type, (args, results) =>
            {
                object? r = body(args.ToArray());
                if (results.Length == 1) results[0] = Result(type.Results[0], r);
            });
        }
    }

    /// <summary>Calls <c>$invokeMain</c> with no arguments (an empty JS array), as the loader's <c>invoke</c> does.</summary>
    public static void InvokeMain(Instance instance) =>
        instance.GetFunction("$invokeMain")!.Invoke(WasmValue.FromReference(Array.Empty<object?>()));

    private static WasmValue Result(ValType type, object? value) => value switch
    {
        _ when type == ValType.I32 => WasmValue.FromInt32(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
        _ when type == ValType.F64 => WasmValue.FromDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ when type == ValType.F32 => WasmValue.FromSingle(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
        _ => WasmValue.FromReference(value),
    };

    private static Func<WasmValue[], object?> Body(string name, StringBuilder output) => name switch
    {
        "_73" => a => double.TryParse(Str(a[0]).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN,
        "_77" => a => double.TryParse(Str(a[0]).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN,
        "_78" => _ => "",
        "_79" => _ => 0,
        "_80" => _ => Clock.Elapsed.TotalMicroseconds,
        "_81" => _ => (double)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        "_99" => a => "\"" + Str(a[0]).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        "_100" => a => { output.Append(Str(a[0])).Append('\n'); return null; },
        "_105" => a => Str(a[0]).Trim(),
        "_108" => a => string.Concat(Enumerable.Repeat(Str(a[0]), a[1].AsInt32())),
        "_109" => a => (double)Str(a[0]).IndexOf(Str(a[1]), Math.Min(a[2].AsInt32(), Str(a[0]).Length), StringComparison.Ordinal),
        "_197" => a => ReferenceEquals(a[0].AsReference(), Undefined) ? 1 : 0,
        "_199" => _ => 0,
        "_203" => a => Equals(a[0].AsReference(), a[1].AsReference()) ? 1 : 0,
        "_204" => a => a[0].AsReference(),
        "_205" => a => a[0].AsReference(),
        "_206" => a => a[0].AsReference() is bool b ? (b ? 1 : 0) : a[0].AsReference(),
        "_208" => a => ((object?[])a[0].AsReference()!).Length,
        "_210" => a => ((object?[])a[0].AsReference()!) is var arr && (uint)a[1].AsInt32() < (uint)arr.Length ? arr[a[1].AsInt32()] : Undefined,
        "_222" => a => JsString(a[0].AsReference()),
        "_224" => a => a[0].AsReference() switch { null => 17, var o when o == Undefined => 1, bool => 2, double => 3, string => 4, object?[] => 5, _ => 17 },
        "_254" => _ => Random.Shared.NextDouble(),
        "_257" => _ => MathObject,
        "_258" => a => Radix(a[0].AsInt32(), a[1].AsInt32()),
        "_259" => a => Radix(a[0].AsInt64(), a[1].AsInt32()),
        "_260" => a => JsNumber(a[0].AsDouble()),
        _ => _ => throw new NotSupportedException($"dart2wasm import {name} is not provided by the C# host"),
    };

    private static string Str(WasmValue v) => (string)v.AsReference()!;

    private static string JsString(object? o) => o switch
    {
        null => "null",
        var u when u == Undefined => "undefined",
        double d => JsNumber(d),
        bool b => b ? "true" : "false",
        _ => o.ToString() ?? "",
    };

    // Number.prototype.toString(): integers without a fraction, otherwise the shortest round-trip form.
    private static string JsNumber(double d) => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity"
        : d == Math.Floor(d) && Math.Abs(d) < 1e21 ? ((decimal)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    private static string Radix(long value, int radix)
    {
        if (radix == 10) return value.ToString(CultureInfo.InvariantCulture);
        if (value == 0) return "0";
        var s = new StringBuilder();
        ulong v = (ulong)Math.Abs(value);
        while (v > 0) { s.Insert(0, "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(v % (ulong)radix)]); v /= (ulong)radix; }
        return value < 0 ? "-" + s : s.ToString();
    }
}
