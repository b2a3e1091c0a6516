using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Weft.Compilation;

/// <summary>
/// JIT-compiles wasm functions ahead of their first call on one low-priority background thread, so that on a machine
/// with a spare core the program runs while RyuJIT compiles what it will call next (Wasmtime compiles everything before
/// the run; RyuJIT would otherwise compile each function on the running thread at its first call). A function the
/// program reaches first is compiled by the program's thread as usual; the background thread then finds it done.
/// </summary>
internal static class BackgroundJit
{
    private static readonly ConcurrentQueue<WeakReference<RuntimeMethodHandle[]>> s_queue = new();
    private static readonly SemaphoreSlim s_work = new(0);
    private static readonly Lazy<Thread?> s_thread = new(Start);

    /// <summary>Whether there is a core to spare for it.</summary>
    public static bool Enabled { get; } = Environment.ProcessorCount > 1
        && Environment.GetEnvironmentVariable("WEFT_BACKGROUND_JIT") != "0";

    /// <summary>
    /// Queues methods to compile, in the order given. The queue holds the batch weakly (the caller keeps it while its
    /// code lives): a method handle keeps its collectible assembly alive, and a module dropped before its turn must
    /// not be kept by the queue.
    /// </summary>
    public static void Enqueue(RuntimeMethodHandle[] methods)
    {
        if (!Enabled || methods.Length == 0 || s_thread.Value is null) return;
        s_queue.Enqueue(new WeakReference<RuntimeMethodHandle[]>(methods));
        s_work.Release();
    }

    private static Thread? Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "Weft background JIT" };
        try
        {
            thread.Priority = ThreadPriority.BelowNormal;
        }
        catch (PlatformNotSupportedException)
        {
        }
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        while (true)
        {
            s_work.Wait();
            PrepareNext();
        }
    }

    // A method of its own, so that no frame of the waiting thread keeps the last batch: a method handle keeps its
    // collectible assembly (and the engine code it references) alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PrepareNext()
    {
        if (!s_queue.TryDequeue(out var batch) || !batch.TryGetTarget(out var methods)) return;
        foreach (var method in methods)
        {
            try
            {
                RuntimeHelpers.PrepareMethod(method);
            }
            catch (Exception)
            {
                // Whatever went wrong happens again, and is reported, when the function is first called.
            }
        }
    }
}
