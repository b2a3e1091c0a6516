using System.Diagnostics;
using System.Text.Json;

namespace Weft.Fuzz;

/// <summary>The result of one binaryen tool run.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// binaryen's tools (the npm package <c>binaryen</c>, installed by tools/install-oracle.sh), driven through one
/// long-lived node process (oracle/binaryen-server.js) that compiles each tool's wasm once: a fresh
/// <c>node wasm-opt</c> costs about 1.3 s of CPU, a request to the server about 0.15 s.
/// </summary>
public sealed class Binaryen : IDisposable
{
    /// <summary>The binaryen version the install script pins; the fuzzer's expectations are written against it.</summary>
    public const string PinnedVersion = "132.0.0";

    private Process _server;
    private readonly object _lock = new();

    /// <summary>
    /// How long one request may take. A reduced candidate can lose the hang-limit checks translate-to-fuzz puts in
    /// every loop and then loop forever in binaryen's interpreter: the server is killed and restarted.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The folder holding wasm-opt, wasm-reduce, ... (node scripts).</summary>
    public string BinDirectory { get; }

    private Binaryen(string binDirectory)
    {
        BinDirectory = binDirectory;
        _server = StartServer(binDirectory);
    }

    private static Process StartServer(string binDirectory)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "oracle", "binaryen-server.js");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // binaryen's interpreter recurses on the wasm (and so the JS) stack: node's default of about 1 MB overflows on
        // deeply nested generated code, so ask for most of the 8 MB main-thread stack Linux gives by default.
        start.ArgumentList.Add("--stack-size=" + (Environment.GetEnvironmentVariable("WEFT_ORACLE_STACK_KB") ?? "6000"));
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(binDirectory);
        var server = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        server.ErrorDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Where the oracle is: $WEFT_BINARYEN (the package folder or its bin/), else the install script's cache
    /// folders (~/.cache/weft-oracle, tools/.oracle). Null when none holds binaryen's wasm-opt.
    /// </summary>
    public static string? Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("WEFT_BINARYEN") is { Length: > 0 } env)
        {
            candidates.Add(env);
            candidates.Add(Path.Combine(env, "bin"));
            candidates.Add(Path.Combine(env, "node_modules", "binaryen", "bin"));
        }
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        candidates.Add(Path.Combine(home, ".cache", "weft-oracle", "node_modules", "binaryen", "bin"));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                candidates.Add(Path.Combine(dir.FullName, "tools", ".oracle", "node_modules", "binaryen", "bin"));
                break;
            }
        }
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "wasm-opt")));
    }

    /// <summary>Starts the oracle found by <see cref="Locate"/>, or returns null (with the reason) when there is none.</summary>
    public static Binaryen? TryStart(out string reason)
    {
        string? bin = Locate();
        if (bin is null)
        {
            reason = "binaryen not found: run tools/install-oracle.sh (or set WEFT_BINARYEN to the binaryen package folder)";
            return null;
        }
        reason = "";
        return new Binaryen(bin);
    }

    /// <summary>Runs a tool (wasm-opt, wasm-dis, ...) with arguments; files are read and written directly.</summary>
    public ToolResult Run(string tool, params string[] arguments)
    {
        string request = JsonSerializer.Serialize(new Dictionary<string, object> { ["tool"] = tool, ["args"] = arguments });
        lock (_lock)
        {
            _server.StandardInput.WriteLine(request);
            _server.StandardInput.Flush();
            var read = _server.StandardOutput.ReadLineAsync();
            if (!read.Wait(RequestTimeout))
            {
                _server.Kill(entireProcessTree: true);
                _server.Dispose();
                _server = StartServer(BinDirectory);
                return new ToolResult(124, "", $"binaryen timed out after {RequestTimeout.TotalSeconds:F0} s\n");
            }
            string line = read.Result ?? throw new InvalidOperationException("the binaryen server stopped");
            using var reply = JsonDocument.Parse(line);
            var root = reply.RootElement;
            return new ToolResult(root.GetProperty("code").GetInt32(), root.GetProperty("stdout").GetString() ?? "",
                root.GetProperty("stderr").GetString() ?? "");
        }
    }

    /// <summary>Stops the server process.</summary>
    public void Dispose()
    {
        try
        {
            _server.StandardInput.Close();
            if (!_server.WaitForExit(5000)) _server.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _server.Dispose();
    }
}
