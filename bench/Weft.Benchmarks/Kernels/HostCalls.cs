using System.Globalization;

namespace Weft.Benchmarks.Kernels;

/// <summary>The cost of one call from the host into wasm, Weft against Wasmtime, in ns per call.</summary>
internal static unsafe class HostCalls
{
    private const int Calls = 10_000_000;

    public static void Run(string folder)
    {
        var module = WasmModule.FromFile(Path.Combine(folder, "call.wat"));
        var instance = new Linker().Instantiate(new Store(), module);
        var nop = instance.GetFunction("nop")!;
        var add4 = instance.GetFunction("add4")!;

        using var engine = new Wasmtime.Engine();
        using var wasmtimeModule = Wasmtime.Module.FromBytes(engine, "call", module.ToBinary());
        using var store = new Wasmtime.Store(engine);
        using var linker = new Wasmtime.Linker(engine);
        var wasmtimeInstance = linker.Instantiate(store, wasmtimeModule);
        var wasmtimeNop = wasmtimeInstance.GetAction("nop")!;
        var wasmtimeAdd4 = wasmtimeInstance.GetFunction<int, int, int, int, int>("add4")!;

        // The raw entry: what a typed call costs below any API (the compiled method through its function pointer).
        var rawNop = (delegate* managed<object, void>)nop.Code;
        var rawAdd4 = (delegate* managed<int, int, int, int, object, int>)add4.Code;
        object nopContext = nop.Context, add4Context = add4.Context;

        var rows = new (string Name, Action Body)[]
        {
            ("Weft Invoke(WasmValue[]) nop", () => { var none = Array.Empty<WasmValue>(); for (int i = 0; i < Calls; i++) nop.Invoke(none); }),
            ("Weft raw entry point nop", () => { for (int i = 0; i < Calls; i++) rawNop(nopContext); }),
            ("Wasmtime typed nop", () => { for (int i = 0; i < Calls; i++) wasmtimeNop(); }),
            ("Weft Invoke(WasmValue[]) add4", () => { var args = new WasmValue[] { 1, 2, 3, 4 }; for (int i = 0; i < Calls; i++) add4.Invoke(args); }),
            ("Weft raw entry point add4", () => { int s = 0; for (int i = 0; i < Calls; i++) s += rawAdd4(i, 2, 3, 4, add4Context); GC.KeepAlive(s); }),
            ("Wasmtime typed add4", () => { int s = 0; for (int i = 0; i < Calls; i++) s += wasmtimeAdd4(i, 2, 3, 4); GC.KeepAlive(s); }),
        };
        Console.WriteLine();
        Console.WriteLine("| host->wasm call | ns per call (min of 5) |");
        Console.WriteLine("|---|---|");
        foreach (var (name, body) in rows)
        {
            body();
            double best = Enumerable.Range(0, 5).Select(_ => KernelComparison.Time(body)).Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {best * 1e6 / Calls:F1} |"));
        }
    }
}
