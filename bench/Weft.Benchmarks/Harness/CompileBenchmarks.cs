using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Weft.Benchmarks.Harness;

/// <summary>Compile+instantiate times of one module (milliseconds per run).</summary>
internal sealed record CompileResult(string Module, long Bytes, Samples Weft, Samples WeftWithJit, Samples Wasmtime);

/// <summary>Decode+validate throughput on one input (milliseconds per run).</summary>
internal sealed record ValidateResult(string Input, long Bytes, Samples Weft, Samples Wasmtime);

/// <summary>
/// Compile+instantiate on its own, for a tiny module and a generated module of about 1 MB, on both engines, and
/// decode+validate throughput. Weft emits IL for the whole module when it is first instantiated but RyuJIT compiles each
/// function when it is first called; "with JIT" adds compiling every function up front
/// (<see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>), the work Wasmtime's Cranelift does eagerly.
/// </summary>
internal static class CompileBenchmarks
{
    public static (List<CompileResult> Compile, List<ValidateResult> Validate) Run(string kernelsFolder, int runs, Action<string> log)
    {
        byte[] tiny = WasmModule.FromFile(Path.Combine(kernelsFolder, "call.wat")).ToBinary();
        byte[] oneMB = ValidModuleGenerator.Generate(1_000_000);
        byte[] tenMB = ValidModuleGenerator.Generate(10_000_000);
        using var engine = new Wasmtime.Engine();

        var compile = new List<CompileResult>();
        foreach (var (name, bytes) in new[] { ("tiny (bench/kernels/call.wat)", tiny), ("generated, about 1 MB", oneMB) })
        {
            var result = new CompileResult(name, bytes.Length, new Samples(), new Samples(), new Samples());
            // One untimed round first: the engines' own code is JIT-compiled on first use.
            for (int round = -1; round < runs; round++)
            {
                Collect();
                double weft = Time(() => Instantiate(WasmModule.FromBytes(bytes)));
                Collect();
                double weftJit = Time(() => PrepareAll(Instantiate(WasmModule.FromBytes(bytes))));
                Collect();
                double wasmtime = Time(() =>
                {
                    using var module = Wasmtime.Module.FromBytes(engine, "module", bytes);
                    using var store = new Wasmtime.Store(engine);
                    using var linker = new Wasmtime.Linker(engine);
                    linker.Instantiate(store, module);
                });
                if (round < 0) continue;
                result.Weft.Add(weft);
                result.WeftWithJit.Add(weftJit);
                result.Wasmtime.Add(wasmtime);
            }
            log($"  {name}: Weft {result.Weft.Median:F2} ms (with JIT {result.WeftWithJit.Median:F2}), Wasmtime {result.Wasmtime.Median:F2} ms");
            compile.Add(result);
        }

        var validate = new List<ValidateResult>();
        foreach (var (name, bytes) in new[] { ("generated, about 1 MB", oneMB), ("generated, about 10 MB", tenMB) })
        {
            var result = new ValidateResult(name, bytes.Length, new Samples(), new Samples());
            for (int round = -1; round < runs; round++)
            {
                Collect();
                double weft = Time(() => WasmModule.FromBytes(bytes));
                Collect();
                double wasmtime = Time(() => Wasmtime.Module.Validate(engine, bytes));
                if (round < 0) continue;
                result.Weft.Add(weft);
                result.Wasmtime.Add(wasmtime);
            }
            log($"  decode+validate {name}: Weft {bytes.Length / result.Weft.Min / 1e3:F0} MB/s, Wasmtime {bytes.Length / result.Wasmtime.Min / 1e3:F0} MB/s (best)");
            validate.Add(result);
        }
        return (compile, validate);
    }

    /// <summary>
    /// <c>--compile-loop N [SIZE]</c> compiles and instantiates a generated module of SIZE bytes (default 1 MB) N times;
    /// <c>--validate-loop N [SIZE]</c> only decodes and validates it. For profiling (see bench/PROFILES.md).
    /// </summary>
    public static int CompileLoop(string[] args)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        bool compile = args[0] == "--compile-loop";
        int times = args.Length > 1 ? int.Parse(args[1], inv) : 3;
        byte[] bytes = ValidModuleGenerator.Generate(args.Length > 2 ? int.Parse(args[2], inv) : 1_000_000);
        for (int i = 0; i < times; i++)
        {
            double ms = Time(() => { var module = WasmModule.FromBytes(bytes); if (compile) Instantiate(module); });
            Console.WriteLine(string.Create(inv, $"{bytes.Length} bytes: {(compile ? "compile+instantiate" : "decode+validate")} {ms:F0} ms, {bytes.Length / ms / 1e3:F0} MB/s"));
        }
        return 0;
    }

    private static WasmModule Instantiate(WasmModule module)
    {
        using var store = new Store();
        new Linker().Instantiate(store, module);
        return module;
    }

    private static void PrepareAll(WasmModule module)
    {
        foreach (var method in ((Weft.Compilation.CompiledModule)module.Compiled).ContextType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
