// The C# side of boundary.mjs's js-string figure: the same wasm loop (js-string-sum.wasm, written by
// `weft js boundary.mjs DIR`) run from a C# host with the builtins enabled, and the equivalent plain C# loop.
//   dotnet run CSharpStringLoop.cs -c Release -- DIR
#:project ../../src/Weft/Weft.csproj
#:property PublishAot=false
using System.Diagnostics;
using Weft;

string dir = args.Length > 0 ? args[0] : ".";
var module = WasmModule.FromBytes(Engine.Default, File.ReadAllBytes(Path.Combine(dir, "js-string-sum.wasm")),
    new WasmModuleOptions { Builtins = WasmModuleOptions.JsStringSets });
using var store = new Store();
var instance = new Linker().Instantiate(store, module);
var sum = instance.GetFunction<object?, int, int>("sum")!;
string s = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 23));
int one = 0;
foreach (char c in s) one += c;

Measure("js-string charCodeAt loop (wasm, C# host)", n =>
{
    int r = Math.Max(1, n / s.Length);
    if (sum(s, r) != unchecked(one * r)) throw new InvalidOperationException("wrong");
});
Measure("same loop in C# (s[i])", n =>
{
    int r = Math.Max(1, n / s.Length), acc = 0;
    for (int k = 0; k < r; k++)
        for (int i = 0; i < s.Length; i++) acc += s[i];
    if (acc != unchecked(one * r)) throw new InvalidOperationException("wrong");
});

static void Measure(string name, Action<int> run)
{
    int n = 1;
    for (; ; n *= 2) { var t = Stopwatch.StartNew(); run(n); if (t.Elapsed.TotalMilliseconds >= 100) break; }
    double best = double.MaxValue;
    for (int r = 0; r < 5; r++) { var t = Stopwatch.StartNew(); run(n); best = Math.Min(best, t.Elapsed.TotalNanoseconds / n); }
    Console.WriteLine($"{name}\t{best:F1} ns/char\t(n={n})");
}
