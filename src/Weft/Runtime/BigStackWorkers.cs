namespace Weft.Runtime;

/// <summary>
/// Threads with big stacks for asynchronous calls into wasm. A library host calling from the thread pool has 1.5
/// MiB of stack on Windows, less than the 4 MiB wasm may use by default (<see cref="StoreLimits.MaxWasmStack"/>),
/// and the OS default elsewhere (8 MiB here), so deep but legal recursion would trap there. Workers are reused (creating a thread with a big stack costs about as much as
/// a short call) and retire after a while idle.
/// </summary>
internal static class BigStackWorkers
{
    /// <summary>The stack of a pooled worker; calls whose store allows more wasm stack get a thread of their own.</summary>
    public const int PooledStackSize = 16 << 20;

    // Room for the host code and runtime frames around the wasm part of the stack.
    private const ulong Headroom = 2 << 20;

    private static readonly TimeSpan s_idleLifetime = TimeSpan.FromSeconds(30);
    private static readonly Lock s_lock = new();
    private static readonly Stack<Worker> s_idle = new();

    /// <summary>Runs <paramref name="work"/> on a thread with at least <paramref name="wasmStack"/> bytes of stack plus headroom.</summary>
    public static void Run(Action work, ulong wasmStack)
    {
        if (wasmStack + Headroom > PooledStackSize)
        {
            var thread = new Thread(() => work(), (int)Math.Min(wasmStack + Headroom, int.MaxValue)) { IsBackground = true, Name = "Weft async call" };
            thread.Start();
            return;
        }
        Worker? worker;
        lock (s_lock) s_idle.TryPop(out worker);
        (worker ?? new Worker()).Post(work);
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _ready = new(0);
        private Action? _work;

        public Worker()
        {
            new Thread(Loop, PooledStackSize) { IsBackground = true, Name = "Weft async call" }.Start();
        }

        public void Post(Action work)
        {
            _work = work;
            _ready.Release();
        }

        private void Loop()
        {
            while (true)
            {
                if (!_ready.Wait(s_idleLifetime))
                {
                    lock (s_lock)
                    {
                        // Posted to between the timeout and the lock: it must still run.
                        if (_ready.CurrentCount == 0 && Remove(this)) return;
                    }
                    continue;
                }
                var work = _work!;
                _work = null;
                work(); // never throws: the caller's work completes a task with its outcome
                lock (s_lock) s_idle.Push(this);
            }
        }

        private static bool Remove(Worker worker)
        {
            if (!s_idle.Contains(worker)) return false;
            var others = s_idle.Where(w => w != worker).Reverse().ToList();
            s_idle.Clear();
            foreach (var w in others) s_idle.Push(w);
            return true;
        }
    }
}
