using Jint;
using Jint.Native;
using Jint.Runtime;
using Weft.JavaScript.Api;
using Weft.JavaScript.Host;

namespace Weft.JavaScript;

/// <summary>
/// A JavaScript realm (on Jint) with the WebAssembly JS API over one Weft <see cref="Weft.Store"/> and a node-like
/// host environment (console, timers, process, require/import of fs, path, url, vm, crypto, tty; see
/// docs/JAVASCRIPT.md). Runs scripts and ES modules as <c>node FILE ARGS...</c> would, with an event loop that runs
/// until idle. Single-threaded: use it from the thread that created it, which is the store's thread.
/// </summary>
public sealed class JavaScriptRuntime : IDisposable
{
    private readonly EventLoop _loop = new();
    private readonly WebAssemblyBridge _bridge;
    private readonly NodeHost _host;
    private readonly bool _ownsStore;

    /// <summary>Creates a realm.</summary>
    /// <param name="arguments">process.argv after the script name.</param>
    /// <param name="engine">The Weft engine to compile with (the default engine when null).</param>
    /// <param name="output">process.stdout and console.log (the process's standard output when null).</param>
    /// <param name="error">process.stderr and console.error (the process's standard error when null).</param>
    public JavaScriptRuntime(IReadOnlyList<string>? arguments = null, Weft.Engine? engine = null, TextWriter? output = null, TextWriter? error = null)
    {
        var weftEngine = engine ?? Weft.Engine.Default;
        // Managed memories: a memory's ArrayBuffer is the memory's own byte[] (Api/MemoryBuffers.cs).
        Store = new Store(weftEngine) { ManagedMemories = true };
        _ownsStore = true;
        ModuleLoader loader = null!;
        Engine = new Jint.Engine(options =>
        {
            options.Strict = false;
            options.LimitRecursion(2000);
            options.Modules.RegisterRequire = false;
            options.EnableModules(loader = new ModuleLoader(() => _host!));
            options.UseHostFactory(e => new RuntimeHost());
        });
        _bridge = new WebAssemblyBridge(Engine, weftEngine, Store, _loop.QueueTask);
        WebAssembly = _bridge.Install();
        _host = new NodeHost(this, Engine, _loop, Store, arguments ?? [], output ?? Console.Out, error ?? Console.Error);
        _host.Install();
        loader.Host = _host;
    }

    /// <summary>The Jint engine of this realm.</summary>
    public Jint.Engine Engine { get; }

    /// <summary>The store every module of this realm is instantiated in.</summary>
    public Store Store { get; }

    /// <summary>The WebAssembly namespace object.</summary>
    public JsValue WebAssembly { get; }

    /// <summary>The exit code a script set (process.exitCode or process.exit), or null.</summary>
    public int? ExitCode => _host.ExitCode;

    /// <summary>Evaluates a script (sloppy mode, global scope) and returns its completion value.</summary>
    public JsValue Evaluate(string code, string sourceName = "<eval>") => Engine.Evaluate(code, sourceName);

    /// <summary>
    /// Runs the tasks, timers and promise jobs until nothing is left; also runs the store's finalizers (whose
    /// FinalizationRegistry callbacks queue tasks) between tasks.
    /// </summary>
    public void RunEventLoop()
    {
        while (true)
        {
            Engine.Advanced.ProcessTasks();
            Store.RunPendingFinalizers();
            _host.ClearKeptAlive();
            if (!_loop.RunOne()) break;
        }
        Engine.Advanced.ProcessTasks();
    }

    /// <summary>
    /// Runs a file as node runs it: <c>.mjs</c> (or a <c>.js</c> that uses ES module syntax) as an ES module, other
    /// files as CommonJS scripts; then the event loop until idle. Returns the exit code node would: 0, the
    /// process.exitCode or process.exit code, 1 for an uncaught exception or an unsettled top-level await (13).
    /// </summary>
    public int RunMain(string path)
    {
        try
        {
            try
            {
                string full = System.IO.Path.GetFullPath(path);
                _host.SetMain(full);
                if (ModuleLoader.IsEsModule(full))
                {
                    var op = Engine.Modules.StartImport(new Uri(full).AbsoluteUri);
                    RunEventLoop();
                    if (!op.IsCompleted)
                    {
                        _host.WriteError("Warning: Detected unsettled top-level await");
                        return _host.ExitCode ?? 13;
                    }
                    _ = op.GetResult();
                }
                else
                {
                    _host.RunCommonJsMain(full);
                    RunEventLoop();
                }
            }
            catch (JavaScriptException e)
            {
                _host.ReportUncaught(e);
                return 1;
            }
            catch (TrapException e) when (e.InnerException is ProcessExitException exit)
            {
                return exit.Code;
            }
            return _host.ExitCode ?? 0;
        }
        catch (ProcessExitException exit)
        {
            return exit.Code;
        }
    }

    internal WebAssemblyBridge Bridge => _bridge;

    /// <summary>Disposes the store.</summary>
    public void Dispose()
    {
        if (_ownsStore) Store.Dispose();
        Engine.Dispose();
    }
}

/// <summary>process.exit(): unwinds everything (JS try/catch does not catch it) to the runner.</summary>
internal sealed class ProcessExitException(int code) : Exception("process.exit(" + code + ")")
{
    public int Code { get; } = code;
}
