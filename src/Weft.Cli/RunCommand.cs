using System.CommandLine;
using System.Globalization;
using Weft.Syntax;
using Weft.Wasi;

namespace Weft.Cli;

/// <summary>
/// <c>weft run FILE [options] [ARGS...]</c>: run a WASI command (its <c>_start</c>) or invoke one export, as
/// <c>wasmtime run</c> does. The process exit code is the program's.
/// </summary>
internal static class RunCommand
{
    /// <summary>Options that take a value (so the module is the first token after "run" that is neither).</summary>
    internal static readonly string[] ValueOptions =
        ["--dir", "--env", "--invoke", "--fuel", "--timeout", "--max-memory", "--max-table-elements", "--max-instances", "--max-gc-bytes", "--max-stack"];

    /// <summary>Weft's options without a value, recognized after the module too.</summary>
    internal static readonly string[] FlagOptions = ["--inline-small-functions"];

    /// <summary>The stack for wasm: deep recursion in real programs needs more than a default thread has.</summary>
    private const int StackSize = 256 << 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The module to run: binary (.wasm), text (.wat), or an assembly from weft compile (.dll)." }.AcceptExistingOnly();
        var args = new Argument<string[]>("args") { Description = "Arguments for the program (or for the invoked function).", Arity = ArgumentArity.ZeroOrMore };
        var dirs = new Option<string[]>("--dir") { Description = "Give the program a host directory: HOST[::GUEST] (GUEST defaults to HOST). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var envs = new Option<string[]>("--env") { Description = "Set an environment variable for the program: NAME=VALUE, or NAME to pass on the host's. Repeatable." };
        var invoke = new Option<string>("--invoke") { Description = "Call this exported function with ARGS (parsed by its parameter types) and print its results, instead of running _start." };
        var fuel = new Option<long?>("--fuel") { Description = "Stop the program with a trap after N units of fuel: one per function call or loop iteration, and one per 64 bytes a bulk instruction (memory.fill/copy/init, table.*, array.new/fill/copy/init) touches." };
        var timeout = new Option<string>("--timeout") { Description = "Stop the program with a trap after this long, e.g. 500ms, 10s, 2m (a number alone is seconds)." };
        var maxMemory = new Option<string>("--max-memory") { Description = "The largest size any one linear memory may grow to, e.g. 64M, 1G, 65536 (memory.grow past it returns -1)." };
        var maxTable = new Option<string>("--max-table-elements") { Description = "The most elements any one table may grow to (table.grow past it returns -1)." };
        var maxInstances = new Option<string>("--max-instances") { Description = "The most module instances the program may create." };
        var maxGc = new Option<string>("--max-gc-bytes") { Description = "Stop the program with a trap once its GC allocations (struct.new, array.new, ...) add up to more than this, e.g. 256M." };
        var maxStack = new Option<string>("--max-stack") { Description = "The most stack wasm code may use before it traps with \"call stack exhausted\", e.g. 1M, 64M (default 4M)." };
        var cache = new Option<string?>("--cache") { Description = $"Keep compiled code in a cache directory and reuse it in later runs: --cache for {DefaultCacheDirectory}, --cache=DIR for another." };
        var inline = new Option<bool>("--inline-small-functions") { Description = "Inline small wasm functions into their callers (faster calls; inlined functions are missing from trap backtraces)." };
        var command = new Command("run", "Run a WebAssembly program: a WASI command, or one exported function with --invoke.")
        {
            file, args, dirs, envs, invoke, fuel, timeout, maxMemory, maxTable, maxInstances, maxGc, maxStack, cache, inline,
        };
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var settings = new Settings(
                parsed.GetRequiredValue(file).FullName,
                parsed.GetResult(file)?.Tokens.FirstOrDefault()?.Value ?? "module",
                parsed.GetValue(args) ?? [],
                parsed.GetValue(dirs) ?? [],
                parsed.GetValue(envs) ?? [],
                parsed.GetValue(invoke),
                parsed.GetValue(fuel),
                parsed.GetValue(timeout) is { } t ? ParseDuration(t) : null,
                new StoreLimits
                {
                    MaxMemoryBytes = OptionalSize(parsed.GetValue(maxMemory), "--max-memory"),
                    MaxTableElements = OptionalSize(parsed.GetValue(maxTable), "--max-table-elements", suffixes: false),
                    MaxInstances = parsed.GetValue(maxInstances) is { } n ? (int)Math.Min(ParseSize(n, "--max-instances", suffixes: false), int.MaxValue) : null,
                    MaxGcAllocatedBytes = OptionalSize(parsed.GetValue(maxGc), "--max-gc-bytes"),
                    MaxWasmStack = OptionalSize(parsed.GetValue(maxStack), "--max-stack") ?? StoreLimits.Unlimited.MaxWasmStack,
                },
                parsed.GetValue(cache) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null,
                parsed.GetValue(inline));
            if (settings.Fuel is < 0) throw new UsageException("--fuel must not be negative");
            return RunOnThread(settings, output, error);
        });
        return command;
    }

    /// <summary>
    /// The fast path of <c>weft run FILE [ARGS...]</c> without any of weft's options, the common case and the one
    /// whose start-up counts: System.CommandLine's tree of eight commands and their options is neither built nor
    /// parsed (about a tenth of an empty module's run, and 21 JIT-compiled generic instantiations over value types,
    /// RATIONALE.md, "Start-up: an empty module's `weft run`, third look"). The tokens are split exactly as for the
    /// parser (<see cref="SeparateProgramArguments"/>); anything else (an option, a response file, a missing file)
    /// returns false and takes the parser's path, with its messages.
    /// </summary>
    internal static bool TryRunWithoutOptions(string[] args, TextWriter output, TextWriter error, out int exit)
    {
        exit = 0;
        if (args.Length < 2 || args[0] != "run") return false;
        var separated = SeparateProgramArguments(args);
        if (separated.Length < 2 || (separated.Length > 2 && separated[2] != "--")) return false;
        string shown = separated[1];
        // An option where the module should be, a response file (@file) or a file that the parser would refuse.
        if (shown.Length == 0 || shown[0] is '-' or '@' || !File.Exists(shown)) return false;
        string[] programArgs = separated.Length > 2 ? separated[3..] : [];
        foreach (var token in programArgs)
        {
            if (token.StartsWith('@')) return false; // left to the parser's response-file rules
        }
        var settings = new Settings(
            new FileInfo(shown).FullName, shown, programArgs, [], [], null, null, null,
            new StoreLimits { MaxWasmStack = StoreLimits.Unlimited.MaxWasmStack }, null, false);
        exit = RunOnThread(settings, output, error);
        return true;
    }

    // Runs the program on a thread with room for the wasm stack limit; the program's exceptions are rethrown here.
    private static int RunOnThread(Settings settings, TextWriter output, TextWriter error)
    {
        int exit = ExitCode.Failed;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                exit = Run(settings, output, error);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, ThreadStack(settings.Limits.MaxWasmStack));
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return exit;
    }

    private sealed record Settings(string Path, string Shown, string[] Args, string[] Dirs, string[] Env, string? Invoke, long? Fuel, TimeSpan? Timeout, StoreLimits Limits, string? Cache, bool InlineSmallFunctions);

    /// <summary>Where <c>--cache</c> alone keeps compiled code: $XDG_CACHE_HOME/weft, else ~/.cache/weft.</summary>
    internal static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "weft");

    // A file from weft compile is a PE image ("MZ"), which no wasm binary or text module starts with. Read through a
    // file handle, not a FileStream: the stream's strategy and buffer types cost 3-4 ms of start-up (RATIONALE.md,
    // "Start-up: an empty module's `weft run`, fourth look"), and the module's own read needs no stream either.
    internal static bool IsAssembly(string path)
    {
        using var handle = File.OpenHandle(path);
        Span<byte> head = stackalloc byte[2];
        return RandomAccess.Read(handle, head, 0) == 2 && head[0] == 'M' && head[1] == 'Z';
    }

    // The thread's stack must hold the wasm stack limit plus the host's own frames, or a deep recursion would overflow
    // the real stack (a crash) before the limit traps; 64 MiB of headroom covers WASI calls and the trap's unwinding.
    private static int ThreadStack(ulong maxWasmStack) => (int)Math.Min(Math.Max((ulong)StackSize, maxWasmStack + (64UL << 20)), int.MaxValue);

    private static ulong? OptionalSize(string? text, string option, bool suffixes = true) => text is null ? null : ParseSize(text, option, suffixes);

    /// <summary>
    /// Sizes as people write them: a number of bytes, or one with a binary suffix K, M, G or T (64M is 64 MiB; an
    /// optional trailing B or iB is allowed, as in 4096B, 64MB or 64MiB). Counts (<paramref name="suffixes"/> false) are
    /// plain numbers.
    /// </summary>
    internal static ulong ParseSize(string text, string option, bool suffixes = true)
    {
        string digits = text.Trim();
        int shift = 0;
        if (suffixes)
        {
            if (digits.EndsWith("iB", StringComparison.OrdinalIgnoreCase)) digits = digits[..^2];
            else if (digits.EndsWith('B') || digits.EndsWith('b')) digits = digits[..^1];
            if (digits.Length > 0)
            {
                shift = char.ToUpperInvariant(digits[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
                if (shift != 0) digits = digits[..^1];
            }
        }
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value > ulong.MaxValue >> shift)
        {
            throw new UsageException(suffixes
                ? $"{option} {text}: expected a size such as 4096, 64K, 64M or 1G"
                : $"{option} {text}: expected a non-negative whole number");
        }
        return value << shift;
    }

    private static int Run(Settings s, TextWriter output, TextWriter error)
    {
        // With a cache the program gets an engine of its own; its code is kept for the process (not collectible).
        var engine = s.Cache is { } cacheDirectory ? new Engine(new EngineOptions { CacheDirectory = cacheDirectory, Collectible = false, InlineSmallFunctions = s.InlineSmallFunctions })
            : s.InlineSmallFunctions ? new Engine(new EngineOptions { InlineSmallFunctions = true })
            : Engine.Default;
        var module = IsAssembly(s.Path)
            // A load context of its own: two precompiled programs of one name (sha256.dll from two builds) may run in
            // one process (a host calling Program.Run, the tests); Weft itself resolves from the default context.
            ? WasmModule.FromPrecompiled(engine, new System.Runtime.Loader.AssemblyLoadContext($"weft run {s.Path}").LoadFromAssemblyPath(Path.GetFullPath(s.Path)))
            : WasmModule.FromFile(engine, s.Path);
        // The program writes the raw standard streams when weft's own writers are the console's (see ConsoleWriter).
        bool toConsole = output is ConsoleWriter || ReferenceEquals(output, Console.Out);
        using var stdout = toConsole ? Console.OpenStandardOutput() : new TextWriterStream(output);
        using var stderr = error is ConsoleWriter || ReferenceEquals(error, Console.Error) ? Console.OpenStandardError() : new TextWriterStream(error);
        var config = new WasiConfig
        {
            Args = [System.IO.Path.GetFileName(s.Shown), .. s.Args],
            Stdin = Console.OpenStandardInput(),
            Stdout = stdout,
            Stderr = stderr,
        };
        foreach (var env in s.Env)
        {
            int eq = env.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0) throw new UsageException($"--env {env}: expected NAME=VALUE or NAME");
            if (eq > 0) config.Environment[env[..eq]] = env[(eq + 1)..];
            else if (Environment.GetEnvironmentVariable(env) is { } value) config.Environment[env] = value;
        }
        foreach (var dir in s.Dirs)
        {
            int sep = dir.IndexOf("::", StringComparison.Ordinal);
            string host = sep < 0 ? dir : dir[..sep];
            string guest = sep < 0 ? dir : dir[(sep + 2)..];
            if (!Directory.Exists(host)) throw new UsageException($"--dir {dir}: no such directory: {host}");
            config.Preopens[guest] = host;
        }

        // Only the WASI functions the module imports: the others cost reflection and type loading at every start.
        var linker = new Linker(engine).AddWasiFor(config, module);
        // One deadline for the whole program, so that threads spawned later stop at the same moment as the main one.
        // Not disposed: a spawned thread may still register with it while the main thread returns.
        var deadline = s.Timeout is { } timeout ? new CancellationTokenSource(timeout) : null;
        // Every thread's store gets the same limits, fuel (each thread its own allowance) and deadline.
        Store NewStore()
        {
            var created = new Store(engine, s.Limits) { ConsumeFuel = s.Fuel is not null, Interruptible = deadline is not null };
            if (s.Fuel is { } fuel) created.Fuel = fuel;
            if (deadline is not null) created.SetDeadline(deadline.Token);
            return created;
        }
        using var store = NewStore();
        if (module.Imports.Any(i => i.Module == "wasi" && i.Name == "thread-spawn"))
        {
            // wasi-threads: proc_exit or a trap on any thread ends the program, wherever the main thread is.
            var threads = WasiThreads.Add(linker, store, module, NewStore);
            threads.Exited += (code, failure) =>
            {
                if (failure is not WasiExitException) error.WriteLine($"error: a wasi thread failed: {failure.Message}");
                stdout.Flush();
                stderr.Flush();
                Environment.Exit(code);
            };
        }
        try
        {
            var instance = linker.Instantiate(store, module);
            if (s.Invoke is { } name) return Invoke(instance, name, s.Args, output);
            if (instance.GetFunction("_start") is null)
            {
                instance.GetFunction("_initialize")?.Invoke();
                return ExitCode.Ok;
            }
            return instance.RunWasiCommand();
        }
        catch (WasiExitException e)
        {
            return e.ExitCode; // proc_exit from a start function or an invoked function
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    private static int Invoke(Instance instance, string name, string[] args, TextWriter output)
    {
        instance.GetFunction("_initialize")?.Invoke();
        var function = instance.GetFunction(name) ?? throw new UsageException($"--invoke {name}: the module exports no function named \"{name}\"");
        var parameters = function.Parameters;
        if (args.Length != parameters.Count)
        {
            throw new UsageException($"--invoke {name}: the function takes {parameters.Count} arguments ({string.Join(' ', parameters)}), {args.Length} given");
        }
        var values = new WasmValue[args.Length];
        for (int i = 0; i < args.Length; i++) values[i] = ParseValue(args[i], parameters[i], name);
        foreach (var result in function.Invoke(values)) output.WriteLine(Format(result));
        return ExitCode.Ok;
    }

    private static WasmValue ParseValue(string text, ValType type, string function)
    {
        var inv = CultureInfo.InvariantCulture;
        bool ok;
        WasmValue value;
        switch (type.Kind)
        {
            case ValKind.I32:
                // Unsigned spellings up to 2^32-1 are accepted too, as the bits they denote.
                ok = int.TryParse(text, NumberStyles.Integer, inv, out int i32);
                if (!ok && uint.TryParse(text, NumberStyles.Integer, inv, out uint u32)) (ok, i32) = (true, (int)u32);
                value = i32;
                break;
            case ValKind.I64:
                ok = long.TryParse(text, NumberStyles.Integer, inv, out long i64);
                if (!ok && ulong.TryParse(text, NumberStyles.Integer, inv, out ulong u64)) (ok, i64) = (true, (long)u64);
                value = i64;
                break;
            case ValKind.F32:
                ok = float.TryParse(text, NumberStyles.Float, inv, out float f32);
                value = f32;
                break;
            case ValKind.F64:
                ok = double.TryParse(text, NumberStyles.Float, inv, out double f64);
                value = f64;
                break;
            default:
                throw new UsageException($"--invoke {function}: cannot pass a {type} from the command line");
        }
        if (!ok) throw new UsageException($"--invoke {function}: \"{text}\" is not a valid {type}");
        return value;
    }

    /// <summary>A result as wasmtime prints it: integers in decimal, floats in shortest round-trip form.</summary>
    internal static string Format(WasmValue value) => value.Kind switch
    {
        ValKind.I32 => value.AsInt32().ToString(CultureInfo.InvariantCulture),
        ValKind.I64 => value.AsInt64().ToString(CultureInfo.InvariantCulture),
        ValKind.F32 => value.AsSingle().ToString("R", CultureInfo.InvariantCulture),
        ValKind.F64 => value.AsDouble().ToString("R", CultureInfo.InvariantCulture),
        ValKind.V128 => $"0x{value.HighBits:x16}{value.Bits:x16}",
        _ => value.AsReference() is null ? "null" : "ref",
    };

    /// <summary>Durations as people write them: 500ms, 10s, 2m, 1h, or a number of seconds.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var inv = CultureInfo.InvariantCulture;
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, inv, out double value) || value < 0 || double.IsInfinity(value * scale) || value * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"--timeout {text}: expected a duration such as 500ms, 10s or 2m");
        }
        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>
    /// Makes the tokens after <c>run</c> unambiguous for the parser: Weft's own options are recognized before or
    /// after the module; every other token after the module, and everything after a <c>--</c>, goes to the program
    /// (so <c>weft run app.wasm -v --dir d x</c> gives the program <c>-v x</c> and preopens <c>d</c>).
    /// </summary>
    internal static string[] SeparateProgramArguments(string[] args)
    {
        if (args.Length == 0 || args[0] != "run") return args;
        var ours = new List<string> { "run" };
        var program = new List<string>();
        bool moduleSeen = false;
        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            // --cache takes an optional value only as --cache=DIR: "--cache prog.wasm" must not read the program as the directory.
            if (token == "--cache" && !moduleSeen) token = "--cache=" + DefaultCacheDirectory;
            if (token == "--")
            {
                program.AddRange(args[(i + 1)..]);
                break;
            }
            if (ValueOptions.Contains(token))
            {
                ours.Add(token);
                if (i + 1 < args.Length) ours.Add(args[++i]);
                continue;
            }
            bool option = token.StartsWith('-') && token.Length > 1;
            if (token is "-h" or "--help" or "-?" || FlagOptions.Contains(token) || ValueOptions.Any(o => token.StartsWith(o + "=", StringComparison.Ordinal)) || token.StartsWith("--cache=", StringComparison.Ordinal) || !moduleSeen)
            {
                ours.Add(token);
                moduleSeen |= !option;
                continue;
            }
            program.Add(token);
        }
        return program.Count > 0 ? [.. ours, "--", .. program] : [.. ours];
    }
}
