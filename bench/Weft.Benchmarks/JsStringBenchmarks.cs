using BenchmarkDotNet.Attributes;

namespace Weft.Benchmarks;

/// <summary>
/// A <c>wasm:js-string</c> builtin in a loop against the same loop in C#: the sum of the code units of a 64 Ki-char
/// string through <c>length</c> and <c>charCodeAt</c> (compiled inline, docs/RATIONALE.md "Builtin imports"), against
/// a C# loop over <c>string[i]</c> and the same wasm loop with the builtins supplied as ordinary host functions.
/// </summary>
public class JsStringBenchmarks
{
    private const string Module = """
        (module
          (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
          (import "wasm:js-string" "charCodeAt" (func $charCodeAt (param externref i32) (result i32)))
          (func (export "sum") (param $s externref) (result i32)
            (local $i i32) (local $n i32) (local $sum i32)
            (local.set $n (call $length (local.get $s)))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $sum (i32.add (local.get $sum) (call $charCodeAt (local.get $s) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $sum)))
        """;

    private readonly string _text = string.Create(65536, 0, static (span, _) =>
    {
        for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + i % 26);
    });

    private Func<object?, int> _builtin = null!, _hostImports = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new WasmModuleOptions { Builtins = new HashSet<string> { WasmModuleOptions.JsString } };
        _builtin = WasmModule.FromText(Engine.Default, Module, options).Instantiate(new Store(), []).GetFunction<object?, int>("sum")!;
        var linker = new Linker();
        linker.DefineFunction("wasm:js-string", "length", (object? s) => ((string)s!).Length);
        linker.DefineFunction("wasm:js-string", "charCodeAt", (object? s, int i) => (int)((string)s!)[i]);
        _hostImports = linker.Instantiate(new Store(), WasmModule.FromText(Module)).GetFunction<object?, int>("sum")!;
        if (_builtin(_text) != CSharp() || _hostImports(_text) != CSharp()) throw new InvalidOperationException("the ways disagree");
    }

    /// <summary>The builtins, compiled inline.</summary>
    [Benchmark]
    public int WasmBuiltins() => _builtin(_text);

    /// <summary>The same module with length/charCodeAt as ordinary typed host functions (a host call each).</summary>
    [Benchmark]
    public int WasmHostImports() => _hostImports(_text);

    /// <summary>The equivalent C#.</summary>
    [Benchmark(Baseline = true)]
    public int CSharp()
    {
        string s = _text;
        int sum = 0;
        for (int i = 0; i < s.Length; i++) sum += s[i];
        return sum;
    }
}
