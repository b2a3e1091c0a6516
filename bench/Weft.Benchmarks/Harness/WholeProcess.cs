using System.Diagnostics;
using System.Globalization;
using Weft.Wasi;

namespace Weft.Benchmarks.Harness;

/// <summary>The times and memory of one whole process, as bench/harness/measure reports them.</summary>
internal readonly record struct ProcessTimes(double WallMs, long PeakRssKiB, int ExitCode);

/// <summary>
/// Whole-process runs: the native build, and this executable in its child mode hosting one engine (so a .NET host's
/// start-up, the engine's load and compilation and the program's run are all counted, as a user running a program
/// once would see). Every run goes through the small C wrapper bench/harness/measure.c, which forks, sends the
/// program's standard output to a file, and reports wall time and the child's own peak resident set (ru_maxrss from
/// wait4), so native and .NET processes are measured alike.
/// </summary>
internal static class WholeProcess
{
    /// <summary>
    /// The command line of this executable's child mode for an engine ("weft" or "wasmtime"); with
    /// <paramref name="publishedHost"/>, of that copy of it instead (the harness's ReadyToRun publish).
    /// </summary>
    public static string[] ChildCommand(string engine, string wasmPath, BenchProgram program, string? publishedHost = null)
    {
        if (publishedHost is not null) return [publishedHost, "--child", engine, wasmPath, .. program.Argv];
        string assembly = typeof(WholeProcess).Assembly.Location;
        string apphost = Path.ChangeExtension(assembly, null);
        string[] host = File.Exists(apphost) ? [apphost] : [Environment.ProcessPath ?? "dotnet", assembly];
        return [.. host, "--child", engine, wasmPath, .. program.Argv];
    }

    /// <summary>Runs a command in a run folder (its working directory) through the measure wrapper.</summary>
    public static ProcessTimes Measure(string measure, string[] command, RunFolder folder)
    {
        var info = new ProcessStartInfo(measure)
        {
            WorkingDirectory = folder.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(folder.Stdout);
        foreach (string word in command) info.ArgumentList.Add(word);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + measure);
        var errors = process.StandardError.ReadToEndAsync();
        string report = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        File.WriteAllText(folder.Stderr, errors.Result);
        string[] fields = report.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || fields.Length != 3)
        {
            throw new InvalidOperationException($"measure failed ({process.ExitCode}): {report} {errors.Result}");
        }
        var inv = CultureInfo.InvariantCulture;
        return new ProcessTimes(long.Parse(fields[0], inv) / 1000.0, long.Parse(fields[1], inv), int.Parse(fields[2], inv));
    }

    /// <summary>
    /// The child mode: <c>--child weft|wasmtime WASM ARGV...</c> runs one WASI program and exits with its exit code.
    /// Standard output and error are the process's own (the measure wrapper sends output to a file); the directory
    /// <c>scratch</c> of the working directory is preopened as <c>scratch</c> when argv names it. For profiling,
    /// <c>weft:N</c> runs the program N times in a row on new instances of one module, <c>weft-cold:N</c> from a new module each time (see bench/PROFILES.md).
    /// </summary>
    public static int ChildMain(string[] args)
    {
        if (args.Length < 4) throw new ArgumentException("usage: --child weft|wasmtime WASM ARGV0 [ARGS...]");
        string engine = args[1];
        string wasm = args[2];
        string[] argv = args[3..];
        string? scratch = argv.Skip(1).Contains(BenchProgram.ScratchName) ? Path.GetFullPath(BenchProgram.ScratchName) : null;
        int repeat = 1;
        bool cold = engine.StartsWith("weft-cold:", StringComparison.Ordinal);
        if (cold || engine.StartsWith("weft:", StringComparison.Ordinal))
        {
            repeat = int.Parse(engine[(engine.IndexOf(':', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            engine = "weft";
        }
        return engine switch
        {
            "weft" => BigStack.Run(() => ChildWeft(wasm, argv, scratch, repeat, cold)),
            "wasmtime" => ChildWasmtime(wasm, argv, scratch),
            _ => throw new ArgumentException("unknown engine " + engine),
        };
    }

    private static int ChildWeft(string wasm, string[] argv, string? scratch, int repeat, bool cold)
    {
        var module = WasmModule.FromFile(wasm);
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        int exit = 0;
        for (int i = 0; i < repeat; i++)
        {
            var config = new WasiConfig { Args = argv, Stdout = stdout, Stderr = stderr };
            if (scratch is not null) config.Preopens[BenchProgram.ScratchName] = scratch;
            using var store = WeftStores.Create();
            if (cold && i > 0) module = WasmModule.FromFile(wasm);
            exit = new Linker().AddWasi(config).Instantiate(store, module).RunWasiCommand();
        }
        return exit;
    }

    private static int ChildWasmtime(string wasm, string[] argv, string? scratch)
    {
        using var engine = new Wasmtime.Engine();
        using var module = Wasmtime.Module.FromFile(engine, wasm);
        using var linker = new Wasmtime.Linker(engine);
        linker.DefineWasi();
        using var store = new Wasmtime.Store(engine);
        var config = new Wasmtime.WasiConfiguration().WithArgs(argv).WithInheritedStandardOutput().WithInheritedStandardError();
        if (scratch is not null) config = config.WithPreopenedDirectory(scratch, BenchProgram.ScratchName, mutable: true);
        store.SetWasiConfiguration(config);
        var start = linker.Instantiate(store, module).GetAction("_start") ?? throw new InvalidOperationException("no _start");
        try
        {
            start();
            return 0;
        }
        catch (Wasmtime.WasmtimeException e) when (e.ExitCode is int code)
        {
            return code;
        }
    }
}
