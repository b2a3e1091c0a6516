using System.Runtime.CompilerServices;
using Weft.Gc;
using Weft.Runtime;

namespace Weft;

/// <summary>
/// Owns the runtime state of a group of instances: their memories, tables, globals and GC objects, plus fuel,
/// deadlines and limits. A store is used by one thread at a time (it is not thread-safe), except for
/// <see cref="Interrupt"/>, which any thread may call; disposing it releases its memories.
/// </summary>
/// <remarks>
/// <para><b>Host finalizers.</b> <see cref="RegisterFinalizer(object, Action)"/> attaches a callback to the lifetime
/// of a GC object or of any host object (e.g. one passed to wasm as an <c>externref</c>). The guarantees:</para>
/// <list type="bullet">
/// <item>The callback is queued after the .NET GC has collected the object (not before; how soon depends on the GC),
/// and runs at most once per registration.</item>
/// <item>It runs on the thread using the store, at a safe point: right after the outermost host-to-wasm call returns
/// (a function call or an instantiation, normally or with a trap), or when the host calls
/// <see cref="RunPendingFinalizers"/>. Never on the .NET finalizer thread, never while the GC runs, never in the middle
/// of wasm code (also not when a host function called from wasm returns).</item>
/// <item>So the callback may call exported wasm functions of the store (e.g. to free a linear-memory buffer the object
/// owned) and may allocate. Callbacks queued meanwhile run in the same drain.</item>
/// <item>One throwing callback does not stop the others. Exceptions are kept and thrown, all together, as a
/// <see cref="FinalizerException"/> from the next <see cref="RunPendingFinalizers"/> call; automatic runs never
/// throw into the call that triggered them.</item>
/// <item>Nothing is lost while the store lives: callbacks wait in the queue until a safe point comes. Disposing the
/// store drops the queue (its memories are gone, so the callbacks could not do their work).</item>
/// </list>
/// <para>Lifetimes: GC objects and host objects passed to wasm as <c>externref</c> are ordinary .NET objects. They stay
/// alive while anything references them: the host, a global, a table, a GC object, or a running call's locals; wasm
/// keeps no other hidden reference. A store does not own them: they may outlive it and be passed between stores.</para>
/// <para>The callback must not reference the target itself (directly or through a closure): a reference from the
/// callback does not keep the target alive, but the target would be resurrected for the callback after its
/// collection. Capture what the callback needs instead (a buffer address, an id).</para>
/// </remarks>
/// <example>
/// <code>
/// using var store = new Store(new StoreLimits { MaxMemoryBytes = 64 &lt;&lt; 20 }) { ConsumeFuel = true, Interruptible = true };
/// store.Fuel = 10_000_000;                       // wasm traps with TrapKind.OutOfFuel when it runs out
/// store.SetDeadline(TimeSpan.FromSeconds(2));    // or SetDeadline(cancellationToken): TrapKind.Interrupted
/// </code>
/// </example>
public sealed class Store : IDisposable
{
    private readonly List<Memory> _memories = [];
    private readonly Lock _deadlineLock = new();
    private Timer? _deadlineTimer;
    private CancellationTokenRegistration _cancellation;
    private FinalizerQueue? _finalizers;
    private bool _disposed;

    // Read by compiled code at every function entry: the lowest stack address wasm may reach on the thread that
    // is running wasm in this store. Set on entry from the host (see EnterWasm).
    internal nuint StackLimit;

    // How many host->wasm calls are active in this store (nested through host functions).
    internal int EntryDepth;

    // The stack limit of the thread that last entered, and the highest position seen on that thread's stack.
    private readonly List<WeakReference<InstanceContext>> _contexts = [];
    private nuint _threadLimit;
    private nuint _threadTop;
    private readonly nuint _maxWasmStack;

    // Fuel left; compiled with ConsumeFuel, code decrements it at function entries and loop heads (ExecutionChecks).
    internal long FuelLeft;

    // Non-zero once an interrupt was requested (deadline, cancellation, Interrupt()); read by compiled code
    // compiled with Interruptible, written by any thread.
    internal int InterruptRequested;

    /// <summary>Creates a store.</summary>
    /// <param name="limits">Resource limits; null for none.</param>
    public Store(StoreLimits? limits = null)
    {
        Limits = limits ?? StoreLimits.Unlimited;
        _maxWasmStack = (nuint)Math.Min(Limits.MaxWasmStack, (ulong)nuint.MaxValue);
    }

    /// <summary>The store's resource limits.</summary>
    public StoreLimits Limits { get; }

    /// <summary>How many instances the store holds.</summary>
    public int InstanceCount { get; internal set; }

    /// <summary>
    /// Whether wasm code in this store consumes <see cref="Fuel"/>: one unit at every function entry and every
    /// loop iteration, trapping with <see cref="TrapKind.OutOfFuel"/> when none is left. Off by default, when no
    /// fuel code is compiled at all; instances in a store with fuel on use a separately compiled copy of the module.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Whether wasm code in this store can be stopped by <see cref="Interrupt"/>, <see cref="SetDeadline(TimeSpan)"/>
    /// or <see cref="SetDeadline(CancellationToken)"/>: compiled code then checks a flag at every function entry and
    /// loop iteration and traps with <see cref="TrapKind.Interrupted"/>. Off by default, when no check is compiled.
    /// </summary>
    public bool Interruptible { get; init; }

    /// <summary>
    /// The fuel left (see <see cref="ConsumeFuel"/>). Starts at 0, so a store that consumes fuel must be given some
    /// before running wasm; after an out-of-fuel trap it is 0 and may be refilled.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store does not consume fuel.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long Fuel
    {
        get => ConsumeFuel ? Math.Max(FuelLeft, 0) : throw FuelOff();
        set
        {
            if (!ConsumeFuel) throw FuelOff();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            FuelLeft = value;
        }
    }

    /// <summary>Whether an interrupt is pending: wasm in this store traps at its next check.</summary>
    public bool IsInterrupted => Volatile.Read(ref InterruptRequested) != 0;

    /// <summary>
    /// Asks running wasm to stop: it traps with <see cref="TrapKind.Interrupted"/> at its next function entry or
    /// loop iteration, and so does any later call until <see cref="ClearDeadline"/> or a new deadline. Thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is not <see cref="Interruptible"/>.</exception>
    public void Interrupt()
    {
        if (!Interruptible) throw InterruptOff();
        Volatile.Write(ref InterruptRequested, 1);
    }

    /// <summary>
    /// Interrupts wasm in this store once <paramref name="timeout"/> has passed from now (see <see cref="Interrupt"/>).
    /// Replaces any earlier deadline or cancellation and clears a pending interrupt.
    /// </summary>
    /// <param name="timeout">How long wasm may run; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <exception cref="InvalidOperationException">The store is not <see cref="Interruptible"/>.</exception>
    public void SetDeadline(TimeSpan timeout)
    {
        if (!Interruptible) throw InterruptOff();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan) throw new ArgumentOutOfRangeException(nameof(timeout));
        lock (_deadlineLock)
        {
            ResetDeadline();
            if (timeout == TimeSpan.Zero) Volatile.Write(ref InterruptRequested, 1);
            else if (timeout != Timeout.InfiniteTimeSpan) _deadlineTimer = new Timer(static s => ((Store)s!).Interrupt(), this, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Interrupts wasm in this store when <paramref name="cancellationToken"/> is cancelled (see <see cref="Interrupt"/>).
    /// Replaces any earlier deadline or cancellation and clears a pending interrupt.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store is not <see cref="Interruptible"/>.</exception>
    public void SetDeadline(CancellationToken cancellationToken)
    {
        if (!Interruptible) throw InterruptOff();
        lock (_deadlineLock)
        {
            ResetDeadline();
            _cancellation = cancellationToken.Register(static s => ((Store)s!).Interrupt(), this);
        }
    }

    /// <summary>Removes the deadline or cancellation and clears a pending interrupt.</summary>
    public void ClearDeadline()
    {
        lock (_deadlineLock) ResetDeadline();
    }

    private void ResetDeadline()
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _cancellation.Dispose();
        _cancellation = default;
        Volatile.Write(ref InterruptRequested, 0);
    }

    /// <summary>
    /// Whether modules instantiated in this store use code that .NET compiles in tiers: a quick first compilation of
    /// each function, then an optimized one once it runs often (or loops long). Programs that run for a short time
    /// start much faster; the price is that such code is never unloaded while the process lives, so keep this for
    /// hosts that run a few modules. Off by default: each function is then
    /// compiled fully optimized on its first call (in the background ahead of time where a core is free), and the
    /// code is collected with the module. Tiering works best with the runtime setting
    /// <c>System.Runtime.TieredCompilation.CallCountingDelayMs</c> at 0 (in the host's runtimeconfig.json).
    /// </summary>
    public bool TieredCompilation { get; init; }

    /// <summary>The compiler options instances in this store need (fuel and interrupt checks or none, tiering).</summary>
    internal CodeOptions CodeOptions => _codeOptions ??= (ConsumeFuel, Interruptible, TieredCompilation) switch
    {
        (false, false, false) => CodeOptions.Default,
        (true, false, false) => CodeOptions.WithFuel,
        (false, true, false) => CodeOptions.WithInterrupts,
        (true, true, false) => CodeOptions.WithFuelAndInterrupts,
        _ => new CodeOptions { ConsumeFuel = ConsumeFuel, Interruptible = Interruptible, Tiered = true },
    };

    private CodeOptions? _codeOptions;

    private static InvalidOperationException FuelOff() => new("the store does not consume fuel; create it with ConsumeFuel = true");

    private static InvalidOperationException InterruptOff() => new("the store cannot be interrupted; create it with Interruptible = true");

    internal void Own(Memory memory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_memories) _memories.Add(memory);
    }

    /// <summary>Makes this store one more owner of a shared memory (once), so it is released after the last owner.</summary>
    internal void Share(Memory memory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_memories)
        {
            if (_memories.Contains(memory)) return;
            memory.AddOwner();
            _memories.Add(memory);
        }
    }

    /// <summary>Prepares the current thread to run wasm: computes the stack limit on the outermost entry.</summary>
    // Inlined into every typed caller: the common case (an outermost entry from the thread that entered last) is an
    // increment and two compares; everything else is in EnterWasmSlow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void EnterWasm()
    {
        if (EntryDepth++ == 0)
        {
            byte here;
            nuint position = (nuint)(&here);
            // Thread stacks are disjoint, so a position between the limit and the highest position seen with it is
            // on that same stack: the limit stands, and the common case costs two compares. (Dispose empties the
            // range, so a disposed store always takes the slow path, which refuses it.)
            if (position <= _threadLimit || position > _threadTop) EnterWasmSlow(position);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterWasmSlow(nuint position)
    {
        if (_disposed)
        {
            EntryDepth--;
            ObjectDisposedException.ThrowIf(true, this);
        }
        nuint threadLimit = StackBounds.CurrentThreadLimit();
        _threadTop = threadLimit == _threadLimit ? Math.Max(_threadTop, position) : position;
        _threadLimit = threadLimit;
        // The wasm budget counts from the highest entry seen on this thread, so the limit changes only when the
        // thread does (or an entry comes from higher up), not with every call.
        nuint budget = _threadTop > _maxWasmStack ? _threadTop - _maxWasmStack : 0;
        SetStackLimit(Math.Max(threadLimit, budget));
    }

    // Compiled code reads the limit from its own instance (one load at every function entry), so a new limit is
    // copied into every live instance of the store.
    private void SetStackLimit(nuint limit)
    {
        if (limit == StackLimit) return;
        StackLimit = limit;
        int live = 0;
        for (int i = 0; i < _contexts.Count; i++)
        {
            if (!_contexts[i].TryGetTarget(out var context)) continue;
            context.StackLimit = limit;
            _contexts[live++] = _contexts[i];
        }
        _contexts.RemoveRange(live, _contexts.Count - live);
    }

    /// <summary>Attaches a new instance: it gets the current stack limit, and every later one.</summary>
    internal void Attach(InstanceContext context)
    {
        context.StackLimit = StackLimit;
        _contexts.Add(new WeakReference<InstanceContext>(context));
    }

    /// <summary>Leaves wasm after <see cref="EnterWasm"/>; back in the host, runs the host finalizers that are due.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LeaveWasm()
    {
        if (--EntryDepth == 0 && _finalizers is not null) RunDueFinalizers();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RunDueFinalizers()
    {
        if (_finalizers is { HasPending: true } finalizers) finalizers.Run(throwFailures: false);
    }

    /// <summary>
    /// Registers <paramref name="callback"/> to run once after <paramref name="target"/> has been garbage collected,
    /// on this store's thread at a safe point (see the remarks on <see cref="Store"/> for the guarantees). The target
    /// may be a <see cref="GcObject"/> or any host object; an object may have several callbacks.
    /// </summary>
    /// <example>
    /// <code>
    /// // A wasm struct owns a buffer in linear memory: free it when the struct dies.
    /// int pointer = owner.GetInt32(0);
    /// store.RegisterFinalizer(owner, () => release.Invoke(pointer));
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The target is an <see cref="I31Ref"/> (a value, which has no lifetime).</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void RegisterFinalizer(object target, Action callback)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(callback);
        if (target is I31Ref) throw new ArgumentException("an i31 reference is a value and is never collected", nameof(target));
        ObjectDisposedException.ThrowIf(_disposed, this);
        (_finalizers ??= new FinalizerQueue()).Register(target, callback);
    }

    /// <summary>
    /// Registers <paramref name="callback"/> to run with <paramref name="state"/> once after <paramref name="target"/>
    /// has been garbage collected (see <see cref="RegisterFinalizer(object, Action)"/>). Passing what the callback needs
    /// as state keeps a closure from capturing the target by mistake.
    /// </summary>
    public void RegisterFinalizer<TState>(object target, TState state, Action<TState> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        RegisterFinalizer(target, () => callback(state));
    }

    /// <summary>How many host finalizer callbacks are queued (their objects were collected) and have not run yet.</summary>
    public int PendingFinalizerCount => _finalizers?.PendingCount ?? 0;

    /// <summary>
    /// Runs the queued host finalizer callbacks now, on the calling thread, including any queued while they run, and
    /// returns how many ran. Called from inside a host function (while wasm is on the stack) it does nothing and
    /// returns 0: the queue then runs when the outermost call into wasm returns.
    /// </summary>
    /// <exception cref="FinalizerException">Callbacks threw (in this run or in automatic runs since the last call); all the others ran.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public int RunPendingFinalizers()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (EntryDepth > 0 || _finalizers is null) return 0;
        return _finalizers.Run(throwFailures: true);
    }

    /// <summary>Releases the store's memories (spans over them become invalid) and its deadline timer.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _threadTop = 0;
        ClearDeadline();
        _finalizers?.Close();
        lock (_memories)
        {
            foreach (var m in _memories) m.Release();
            _memories.Clear();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the memories if the store was not disposed.</summary>
    ~Store()
    {
        foreach (var m in _memories) m.Release();
    }
}
