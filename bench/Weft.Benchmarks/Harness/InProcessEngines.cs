using System.Diagnostics;
using Weft.Wasi;

namespace Weft.Benchmarks.Harness;

/// <summary>The times of one in-process run: from the bytes to a ready instance, and the run of <c>_start</c>.</summary>
internal readonly record struct RunTimes(double SetupMs, double RunMs, int ExitCode)
{
    public double TotalMs => SetupMs + RunMs;
}

/// <summary>
/// Runs a WASI program in this process. Both engines get the same set-up: argv, the scratch directory preopened as
/// <c>scratch</c> when the program takes it, standard output and error written unbuffered to files of the run
/// folder, empty standard input, no environment variables. "Cold" starts from the module's bytes (decode, validate,
/// compile, instantiate); "warm" reuses a module compiled earlier in the process and only instantiates it again.
/// </summary>
internal interface IInProcessEngine : IDisposable
{
    string Name { get; }

    RunTimes Run(BenchProgram program, RunFolder folder, bool warm);
}

/// <summary>Weft through its public API: <see cref="WasmModule.FromBytes"/>, <see cref="Linker"/> with WASI, <see cref="Store"/>.</summary>
internal sealed class WeftInProcess : IInProcessEngine
{
    private readonly Dictionary<string, WasmModule> _modules = [];

    public string Name => "Weft";

    public RunTimes Run(BenchProgram program, RunFolder folder, bool warm)
    {
        WasmModule? cached = warm ? _modules.GetValueOrDefault(program.Name) : null;
        long start = Stopwatch.GetTimestamp();
        var module = cached ?? WasmModule.FromBytes(program.Wasm);
        using var stdout = Unbuffered(folder.Stdout);
        using var stderr = Unbuffered(folder.Stderr);
        var config = new WasiConfig { Args = program.Argv, Stdout = stdout, Stderr = stderr };
        if (program.NeedsScratch) config.Preopens[BenchProgram.ScratchName] = folder.Scratch;
        var linker = new Linker().AddWasi(config);
        using var store = WeftStores.Create();
        var instance = linker.Instantiate(store, module);
        long ready = Stopwatch.GetTimestamp();
        int exit = instance.RunWasiCommand();
        long end = Stopwatch.GetTimestamp();
        if (warm) _modules[program.Name] = module;
        return new RunTimes(Stopwatch.GetElapsedTime(start, ready).TotalMilliseconds, Stopwatch.GetElapsedTime(ready, end).TotalMilliseconds, exit);
    }

    /// <summary>A file stream with no buffer of its own: every fd_write is one write, as Wasmtime does with its files.</summary>
    internal static FileStream Unbuffered(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);

    public void Dispose() => _modules.Clear();
}

/// <summary>
/// Wasmtime (the <c>Wasmtime</c> NuGet package: Cranelift, default configuration) through its .NET API, with its own
/// WASI preview1 implementation configured like Weft's.
/// </summary>
internal sealed class WasmtimeInProcess : IInProcessEngine
{
    private readonly Wasmtime.Engine _engine = new();
    private readonly Dictionary<string, Wasmtime.Module> _modules = [];

    public string Name => "Wasmtime";

    public RunTimes Run(BenchProgram program, RunFolder folder, bool warm)
    {
        Wasmtime.Module? cached = warm ? _modules.GetValueOrDefault(program.Name) : null;
        long start = Stopwatch.GetTimestamp();
        var module = cached ?? Wasmtime.Module.FromBytes(_engine, program.Name, program.Wasm);
        try
        {
            using var linker = new Wasmtime.Linker(_engine);
            linker.DefineWasi();
            using var store = new Wasmtime.Store(_engine);
            var config = new Wasmtime.WasiConfiguration().WithArgs(program.Argv).WithStandardOutput(folder.Stdout).WithStandardError(folder.Stderr);
            if (program.NeedsScratch) config = config.WithPreopenedDirectory(folder.Scratch, BenchProgram.ScratchName, mutable: true);
            store.SetWasiConfiguration(config);
            var instance = linker.Instantiate(store, module);
            var entry = instance.GetAction("_start") ?? throw new InvalidOperationException($"{program.Name}: no _start");
            long ready = Stopwatch.GetTimestamp();
            int exit = 0;
            try
            {
                entry();
            }
            catch (Wasmtime.WasmtimeException e) when (e.ExitCode is int code)
            {
                exit = code;
            }
            long end = Stopwatch.GetTimestamp();
            return new RunTimes(Stopwatch.GetElapsedTime(start, ready).TotalMilliseconds, Stopwatch.GetElapsedTime(ready, end).TotalMilliseconds, exit);
        }
        finally
        {
            if (warm) _modules[program.Name] = module;
            else module.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var module in _modules.Values) module.Dispose();
        _modules.Clear();
        _engine.Dispose();
    }
}
