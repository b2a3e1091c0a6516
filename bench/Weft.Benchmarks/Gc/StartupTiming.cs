using System.Diagnostics;

namespace Weft.Benchmarks.Gc;

/// <summary>
/// Start-up phases of one module in a fresh process (<c>--gc-startup [file.wasm|file.wat|ocaml] [export] [arg]</c>):
/// decode+validate, compile (code generation), instantiate (globals, segments, start function) and the first call of an
/// export. Run each measurement in its own process: the first module pays for JIT-compiling Weft itself, as a real host does.
/// A dart2wasm module (<c>*.dart2wasm.wasm</c>) gets its JS glue (DartHost) and the first call is <c>$invokeMain</c>, which
/// prints the benchmark's own RunTime (the steady state). <c>--steady ARG N</c> then calls the export N more times with ARG
/// and prints the best time (steady state of lazy code after its tier-up). <c>--warm</c>: one untimed start-up first. <c>--eager</c>: eager IL emission; <c>--inline-small-functions</c>: that engine option; the
/// lazy first tier is turned off with the environment variable <c>WEFT_LAZY_FIRST_TIER=0</c>.
/// </summary>
internal static class StartupTiming
{
    public static int Run(string[] args)
    {
        // --warm: the same start-up once, untimed, first, so the figures are the module's own (Weft's code already
        // JIT-compiled), as the GC harness measures start-up.
        if (args.Contains("--warm"))
        {
            var quiet = Console.Out;
            Console.SetOut(TextWriter.Null);
            try
            {
                Measure(args.Where(a => a != "--warm").ToArray());
            }
            finally
            {
                Console.SetOut(quiet);
            }
        }
        return Measure(args);
    }

    private static int Measure(string[] args)
    {
        // The positional arguments are those before the first option: `--gc-startup ocaml --eager` means the default
        // export and argument, not an export named "--eager".
        string[] positional = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        string source = positional.Length > 0 ? positional[0] : "ocaml";
        string export = positional.Length > 1 ? positional[1] : "main";
        int argument = positional.Length > 2 ? int.Parse(positional[2], System.Globalization.CultureInfo.InvariantCulture) : 50;
        int[] shape = Array.IndexOf(args, "--shape") is int at and >= 0 ? args[at + 1].Split(',').Select(int.Parse).ToArray() : [17_000, 22_000, 300];
        byte[] bytes = source == "ocaml" ? OcamlShapedModule.Generate(shape[0], shape[1], shape[2])
            : source.EndsWith(".wat", StringComparison.Ordinal) ? WasmModule.FromText(File.ReadAllText(source)).ToBinary() : File.ReadAllBytes(source);
        bool dart = source.EndsWith(".dart2wasm.wasm", StringComparison.Ordinal);
        var dartOutput = new System.Text.StringBuilder();
        if (args.Contains("--write")) File.WriteAllBytes("ocaml-shaped.wasm", bytes);
        var options = new EngineOptions { TieredCompilation = args.Contains("--tiered"), Collectible = !args.Contains("--tiered"), LazyCompilation = !args.Contains("--eager"),
            InlineSmallFunctions = args.Contains("--inline-small-functions") };
        using var engine = new Engine(options);
        var cpu = new List<double>();
        double Cpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        double cpu0 = Cpu();
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var module = dart ? WasmModule.FromBytes(engine, bytes, DartHost.Options) : WasmModule.FromBytes(engine, bytes);
        double decode = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        using var store = new Store(engine);
        _ = module.CompiledFor(store.CodeOptions);
        double compile = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        var linker = new Linker(engine);
        if (dart) DartHost.Define(linker, module, dartOutput);
        var instance = linker.Instantiate(store, module);
        double instantiate = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        clock.Restart();
        int result = 0;
        if (dart) DartHost.InvokeMain(instance);
        else result = (instance.GetFunction(export) ?? throw new ArgumentException($"the module exports no function {export}")).Invoke(WasmValue.FromInt32(argument))[0].AsInt32();
        double call = clock.Elapsed.TotalMilliseconds;
        cpu.Add(Cpu());
        if (module.CompiledFor(store.CodeOptions) is Weft.Compilation.CompiledModule { Lazy: { } lazy })
            Console.WriteLine($"lazy: {lazy.CompiledFunctions} functions in {lazy.Batches} batches, first tier {lazy.FirstTier}, {lazy.TieredUpFunctions} tiered up");
        if (dart) Console.Write(dartOutput.ToString());
        if (Array.IndexOf(args, "--steady") is int steady and >= 0)
        {
            var function = instance.GetFunction(export) ?? throw new ArgumentException($"the module exports no function {export}");
            var steadyArgument = WasmValue.FromInt32(int.Parse(args[steady + 1], System.Globalization.CultureInfo.InvariantCulture));
            double best = double.MaxValue;
            for (int r = 0; r < int.Parse(args[steady + 2], System.Globalization.CultureInfo.InvariantCulture); r++)
            {
                clock.Restart();
                function.Invoke(steadyArgument);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"steady: best {best:F2} ms");
        }
        Console.WriteLine($"{bytes.Length} bytes: decode+validate {decode:F0} ms, compile {compile:F0} ms, instantiate {instantiate:F0} ms, first call {call:F0} ms, total {total.Elapsed.TotalMilliseconds:F0} ms, CPU per phase {cpu[0] - cpu0:F0}/{cpu[1] - cpu[0]:F0}/{cpu[2] - cpu[1]:F0}/{cpu[3] - cpu[2]:F0} ms (result {result})");
        return 0;
    }
}
