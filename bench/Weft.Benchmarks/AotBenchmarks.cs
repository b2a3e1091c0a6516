using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;

namespace Weft.Benchmarks;

/// <summary>
/// <c>--aot [RUNS]</c>: the start-up of a module on the JIT path, precompiled (weft compile) and from the compile cache,
/// for a small module and a generated one of about 1 MB: compile (and save), load, instantiate and first call, each
/// in a fresh engine; Wasmtime's compile and deserialize beside them. Short runs with stopwatch medians (the machine is
/// shared); figures in bench/RESULTS.md, "Ahead-of-time compilation".
/// </summary>
internal static class AotBenchmarks
{
    public static void Run(int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        byte[] small = WasmModule.FromText(InstantiationBenchmarks.Text).ToBinary();
        byte[] large = ValidModuleGenerator.Generate(1_000_000, exportFirst: true);
        string cache = Directory.CreateTempSubdirectory("weft-aot-bench-").FullName;
        try
        {
            foreach (var (name, bytes, export) in new[] { ("small (InstantiationBenchmarks.Text)", small, "a"), ("generated, about 1 MB", large, "first") })
            {
                var jit = new Samples();
                var jitCompile = new Samples();
                var save = new Samples();
                var load = new Samples();
                var instantiate = new Samples();
                var firstCall = new Samples();
                var cached = new Samples();
                var wasmtimeCompile = new Samples();
                var wasmtimeDeserialize = new Samples();
                byte[] assembly = [];
                for (int round = -1; round < runs; round++)
                {
                    Collect();
                    // JIT path: decode, validate, emit IL for the module (on instantiation), RyuJIT the first function.
                    var watch = Stopwatch.StartNew();
                    using (var engine = new Engine())
                    {
                        var module = WasmModule.FromBytes(engine, bytes);
                        using var store = new Store(engine);
                        var instance = Instantiate(engine, store, module);
                        double compiled = watch.Elapsed.TotalMilliseconds;
                        Call(instance, export);
                        if (round >= 0)
                        {
                            jit.Add(watch.Elapsed.TotalMilliseconds);
                            jitCompile.Add(compiled);
                        }
                    }

                    Collect();
                    watch.Restart();
                    using (var engine = new Engine())
                    {
                        using var output = new MemoryStream();
                        WasmModule.FromBytes(engine, bytes).Precompile(output, new PrecompileOptions { AssemblyName = "bench" + round.ToString(inv) });
                        assembly = output.ToArray();
                        if (round >= 0) save.Add(watch.Elapsed.TotalMilliseconds);
                    }

                    Collect();
                    using (var engine = new Engine())
                    {
                        watch.Restart();
                        var context = new AssemblyLoadContext("bench", isCollectible: true);
                        var entry = context.LoadFromStream(new MemoryStream(assembly)).GetType(WasmModule.PrecompiledEntryTypeName)!;
                        var module = WasmModule.FromPrecompiled(engine, entry);
                        double loaded = watch.Elapsed.TotalMilliseconds;
                        using var store = new Store(engine);
                        var instance = Instantiate(engine, store, module);
                        double instantiated = watch.Elapsed.TotalMilliseconds;
                        Call(instance, export);
                        double called = watch.Elapsed.TotalMilliseconds;
                        if (round >= 0)
                        {
                            load.Add(loaded);
                            instantiate.Add(instantiated - loaded);
                            firstCall.Add(called - instantiated);
                        }
                        context.Unload();
                    }

                    // The cache: filled by the untimed first round, then every round is a hit.
                    Collect();
                    watch.Restart();
                    using (var engine = new Engine(new EngineOptions { CacheDirectory = cache }))
                    {
                        var module = WasmModule.FromBytes(engine, bytes);
                        using var store = new Store(engine);
                        Call(Instantiate(engine, store, module), export);
                        if (round >= 0) cached.Add(watch.Elapsed.TotalMilliseconds);
                    }

                    Collect();
                    using var wasmtime = new Wasmtime.Engine();
                    watch.Restart();
                    byte[] serialized;
                    using (var module = Wasmtime.Module.FromBytes(wasmtime, "module", bytes))
                    {
                        if (round >= 0) wasmtimeCompile.Add(watch.Elapsed.TotalMilliseconds);
                        serialized = module.Serialize();
                    }
                    watch.Restart();
                    using (var module = Wasmtime.Module.Deserialize(wasmtime, "module", serialized))
                    {
                        using var store = new Wasmtime.Store(wasmtime);
                        using var linker = new Wasmtime.Linker(wasmtime);
                        linker.Define("env", "log", Wasmtime.Function.FromCallback(store, (int x) => { }));
                        var instance = linker.Instantiate(store, module);
                        if (export == "a") instance.GetFunction<int, int>("a")!(1);
                        else instance.GetFunction<int, int, int>("first")!(0, 10);
                        if (round >= 0) wasmtimeDeserialize.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }
                Console.WriteLine(string.Create(inv, $"{name}, {bytes.Length} bytes, assembly {assembly.Length} bytes, median of {runs} (ms):"));
                Console.WriteLine(string.Create(inv, $"  JIT path: load+compile+instantiate {jitCompile.Median:F2}, + first call {jit.Median:F2}"));
                Console.WriteLine(string.Create(inv, $"  precompile (compile + save): {save.Median:F2}"));
                Console.WriteLine(string.Create(inv, $"  precompiled: load {load.Median:F2}, instantiate {instantiate.Median:F2}, first call {firstCall.Median:F2}; total {load.Median + instantiate.Median + firstCall.Median:F2}"));
                Console.WriteLine(string.Create(inv, $"  cached (hit): load+instantiate+first call {cached.Median:F2}"));
                Console.WriteLine(string.Create(inv, $"  Wasmtime: compile {wasmtimeCompile.Median:F2}, deserialize+instantiate+first call {wasmtimeDeserialize.Median:F2}"));
                Console.WriteLine(string.Create(inv, $"  JIT path / precompiled (to first call): {jit.Median / (load.Median + instantiate.Median + firstCall.Median):F1}x"));
            }
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static Instance Instantiate(Engine engine, Store store, WasmModule module) =>
        new Linker(engine).DefineFunction("env", "log", (int x) => { }).Instantiate(store, module);

    private static void Call(Instance instance, string export)
    {
        var function = instance.GetFunction(export)!;
        if (export == "a") function.Invoke(WasmValue.FromInt32(1));
        else function.Invoke(WasmValue.FromInt32(0), WasmValue.FromInt32(10));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed class Samples
    {
        private readonly List<double> _values = [];

        public void Add(double value) => _values.Add(value);

        public double Median => _values.Count == 0 ? double.NaN : _values.Order().ElementAt(_values.Count / 2);
    }
}
