using System.Diagnostics;

namespace Weft.Benchmarks.Gc;

/// <summary>
/// Start-up phases of one module in a fresh process (<c>--gc-startup [file.wasm|ocaml] [export] [arg]</c>):
/// decode+validate, compile (code generation), instantiate (globals, segments, start function) and the first call of an
/// export. Run each measurement in its own process: the first module pays for JIT-compiling Weft itself, as a real host does.
/// </summary>
internal static class StartupTiming
{
    public static int Run(string[] args)
    {
        string source = args.Length > 1 ? args[1] : "ocaml";
        string export = args.Length > 2 ? args[2] : "main";
        int argument = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50;
        int[] shape = Array.IndexOf(args, "--shape") is int at and >= 0 ? args[at + 1].Split(',').Select(int.Parse).ToArray() : [17_000, 22_000, 300];
        byte[] bytes = source == "ocaml" ? OcamlShapedModule.Generate(shape[0], shape[1], shape[2]) : File.ReadAllBytes(source);
        if (args.Contains("--write")) File.WriteAllBytes("ocaml-shaped.wasm", bytes);
        var options = new EngineOptions { TieredCompilation = args.Contains("--tiered"), Collectible = !args.Contains("--tiered"), LazyCompilation = !args.Contains("--eager") };
        using var engine = new Engine(options);
        var cpu = new List<double>();
        double Cpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        double cpu0 = Cpu();
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var module = WasmModule.FromBytes(engine, bytes);
        double decode = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        using var store = new Store(engine);
        _ = module.CompiledFor(store.CodeOptions);
        double compile = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        var instance = new Linker(engine).Instantiate(store, module);
        double instantiate = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        var result = instance.GetFunction(export)!.Invoke(WasmValue.FromInt32(argument))[0].AsInt32();
        double call = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        if (module.CompiledFor(store.CodeOptions) is Weft.Compilation.CompiledModule { Lazy: { } lazy })
            Console.WriteLine($"lazy: {lazy.CompiledFunctions} functions in {lazy.Batches} batches, ");
        Console.WriteLine($"{bytes.Length} bytes: decode+validate {decode:F0} ms, compile {compile:F0} ms, instantiate {instantiate:F0} ms, first call {call:F0} ms, total {total.Elapsed.TotalMilliseconds:F0} ms, CPU per phase {cpu[0] - cpu0:F0}/{cpu[1] - cpu[0]:F0}/{cpu[2] - cpu[1]:F0}/{cpu[3] - cpu[2]:F0} ms (result {result})");
        return 0;
    }
}
