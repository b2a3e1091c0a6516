using Weft.Syntax;

namespace Weft.Wasi;

/// <summary>
/// wasi-threads: the <c>wasi</c> <c>thread-spawn</c> import for modules built for wasm32-wasip1-threads. Each spawned
/// thread runs on a .NET thread of its own (with a big stack) in a store of its own, with a fresh instance of the same
/// module, linked by the same linker, so it shares the imported shared memory and nothing else; it calls the
/// module's <c>wasi_thread_start(tid, arg)</c> export. proc_exit or a trap on a spawned thread ends the whole program:
/// <see cref="Exited"/> is raised with the exit code (the <c>weft run</c> command then exits the process).
/// </summary>
/// <remarks>
/// The WASI preview1 functions themselves are shared by all threads; their descriptor table is not synchronised, so
/// programs should not do file or stdio calls from several threads at the same time (wasi-libc's stdio locks do
/// serialise its own FILE streams).
/// </remarks>
public sealed class WasiThreads
{
    private const int ThreadStackSize = 64 * 1024 * 1024;
    private readonly Linker _linker;
    private readonly WasmModule _module;
    private readonly Func<Store> _newStore;
    private int _nextId;

    private WasiThreads(Linker linker, WasmModule module, Func<Store> newStore)
    {
        _linker = linker;
        _module = module;
        _newStore = newStore;
    }

    /// <summary>
    /// Raised (on the spawned thread) when a spawned thread calls proc_exit (with its code) or traps (with 134, like
    /// an abort); the program as a whole has ended then.
    /// </summary>
    public event Action<int, Exception>? Exited;

    /// <summary>The shared memory the module imports, created here (null if it imports none).</summary>
    public Memory? Memory { get; private set; }

    /// <summary>
    /// Defines <c>wasi</c> <c>thread-spawn</c> on the linker and, when <paramref name="module"/> imports a shared memory
    /// (wasm32-wasip1-threads imports <c>env</c> <c>memory</c>), creates it in <paramref name="store"/> and defines it too.
    /// Spawned threads get stores from <paramref name="newStore"/> (a plain <see cref="Store"/> by default).
    /// </summary>
    public static WasiThreads Add(Linker linker, Store store, WasmModule module, Func<Store>? newStore = null)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        var threads = new WasiThreads(linker, module, newStore ?? (() => new Store()));
        foreach (var import in module.Syntax.Imports)
        {
            if (import.Type is MemoryType { Limits.Shared: true } type)
            {
                threads.Memory = new Memory(store, type);
                linker.Define(import.ModuleName, import.Name, threads.Memory);
            }
        }
        linker.Define("wasi", "thread-spawn", (Func<int, int>)threads.Spawn);
        return threads;
    }

    /// <summary>thread-spawn: a positive thread id, or a negative value when no thread could be started.</summary>
    private int Spawn(int argument)
    {
        int id = Interlocked.Increment(ref _nextId);
        if (id > 0x1FFFFFFF) return -1; // thread ids are 29-bit in wasi-threads
        Store store;
        Instance instance;
        try
        {
            store = _newStore();
            instance = _linker.Instantiate(store, _module);
        }
        catch (WeftException)
        {
            return -1;
        }
        var start = instance.GetFunction("wasi_thread_start");
        if (start is null || start.Parameters.Count != 2 || start.Results.Count != 0)
        {
            store.Dispose();
            return -1;
        }
        var entry = start.AsAction<int, int>();
        var thread = new Thread(() =>
        {
            try
            {
                entry(id, argument);
            }
            catch (WasiExitException e)
            {
                Exited?.Invoke(e.ExitCode, e);
            }
            catch (WeftException e)
            {
                Exited?.Invoke(134, e);
            }
            finally
            {
                store.Dispose();
            }
        }, ThreadStackSize) { IsBackground = true, Name = $"wasi thread {id}" };
        try
        {
            thread.Start();
        }
        catch (OutOfMemoryException)
        {
            store.Dispose();
            return -1;
        }
        return id;
    }
}
