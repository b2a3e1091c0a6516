using System.Runtime.CompilerServices;
using Weft.Gc;
using Weft.Runtime;

namespace Weft;

/// <summary>
/// Owns the runtime state of a group of instances: their memories, tables, globals and GC objects, plus fuel,
/// deadlines and limits. A store runs wasm on one thread at a time (see the thread rules below); disposing it
/// releases its memories.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> A store is not thread-safe, but it defends itself:</para>
/// <list type="bullet">
/// <item>Calls into the store (typed delegates, <see cref="Function.Invoke"/>, instantiation) run on one thread at a
/// time. Any thread may make them, and the store moves to another thread between calls (e.g. an async host resumed
/// on another thread-pool thread; each move costs a few microseconds). A call made while a call runs on another
/// thread is refused with a <see cref="StoreInUseException"/> before any wasm runs; the running call is not
/// disturbed. Nested calls on the running thread (a host function calling back into wasm) are of course allowed.</item>
/// <item><see cref="Dispose"/> may be called from any thread at any time, also from a host function in the middle of a
/// call: while a call runs, the release of the memories waits for the outermost call to return, and new calls are
/// refused with an <see cref="ObjectDisposedException"/>. Memory is never unmapped under running wasm code.</item>
/// <item><see cref="Interrupt"/>, <see cref="SetDeadline(TimeSpan)"/>, <see cref="SetDeadline(CancellationToken)"/>
/// and <see cref="ClearDeadline"/> are thread-safe.</item>
/// <item>Everything else (reading or writing memories, tables and globals, fuel, finalizer registration) belongs to the
/// thread using the store; done concurrently with a call on another thread it races with the wasm code.</item>
/// <item>Entities belong to their store: a function, table, memory or global of another store is refused with a
/// <see cref="LinkException"/> where it would enter this one (imports, <see cref="Linker"/> definitions,
/// <see cref="Table.Set"/>, <see cref="Table.Grow"/>, <see cref="Global.Value"/>, call arguments). Host functions
/// defined in a <see cref="Linker"/>, tags, GC objects and shared memories belong to no one store and may be shared.</item>
/// <item>Any depth of host/wasm re-entry (a host function calling wasm that calls the host again...) ends in a
/// <see cref="TrapKind.CallStackExhausted"/> trap, on any thread and stack size, and the store stays usable.</item>
/// </list>
/// <para><b>Engine.</b> A store belongs to one <see cref="Weft.Engine"/> (<see cref="Engine.Default"/> for
/// <c>new Store()</c>) and instantiates only that engine's modules; the engine and its modules are shareable between
/// threads and stores, the store is not.</para>
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
/// // new StoreLimits { MaxGcAllocatedBytes = 256 &lt;&lt; 20 } caps what GC instructions allocate (TrapKind.GcAllocationLimitExceeded);
/// // a long-running program gets more with store.GcAllocationBudget = ..., as it gets more fuel.
/// </code>
/// </example>
public sealed partial class Store : IDisposable
{
    private readonly List<Memory> _memories = [];
    private readonly Lock _deadlineLock = new();
    private DeadlineScheduler.Entry? _deadlineTimer;
    private CancellationTokenRegistration _cancellation;
    private FinalizerQueue? _finalizers;

    // Read by compiled code at every function entry: the lowest stack address wasm may reach on the thread that
    // is running wasm in this store. Set on entry from the host (see EnterWasm).
    internal nuint StackLimit;

    // The thread allowed to run wasm in this store now, with its stack range and whether a call is active (see EnterWasm). Never
    // null: before the first entry and while the store changes hands or is disposed it is a placeholder that no
    // stack position matches, so every entry takes the slow path, which takes _ownerLock.
    private StoreThread _owner;
    private readonly StoreThread _unowned;
    private readonly StoreThread _changing;
    private readonly Lock _ownerLock = new();

    // Work for the end of the outermost call (StoreThread.Leave): host finalizers exist, or a dispose was deferred.
    internal int PendingAfterCall;
    private const int FinalizersPending = 1;
    private const int DisposePending = 2;

    // Dispose was called (no new entries); the memories were released (once, by Dispose or the deferred release).
    private bool _disposeRequested;
    private int _released;

    private readonly List<WeakReference<InstanceContext>> _contexts = [];
    private readonly nuint _maxWasmStack;

    // Fuel left; compiled with ConsumeFuel, code decrements it at function entries and loop heads (ExecutionChecks).
    internal long FuelLeft;

    // Non-zero once an interrupt was requested (deadline, cancellation, Interrupt()); read by compiled code
    // compiled with Interruptible, written by any thread.
    internal int InterruptRequested;

    /// <summary>Creates a store of the default engine (<see cref="Engine.Default"/>).</summary>
    /// <param name="limits">Resource limits; null for none.</param>
    public Store(StoreLimits? limits = null)
        : this(Engine.Default, limits)
    {
    }

    /// <summary>
    /// Creates a store of an engine: it runs modules of that engine only. <see cref="ConsumeFuel"/> and
    /// <see cref="Interruptible"/> start as the engine's <see cref="EngineOptions"/> say.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="limits">Resource limits; null for none.</param>
    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    public Store(Engine engine, StoreLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.ThrowIfDisposed();
        Engine = engine;
        ConsumeFuel = engine.Options.ConsumeFuel;
        Interruptible = engine.Options.Interruptible;
        TieredCompilation = engine.Options.TieredCompilation;
        Limits = limits ?? StoreLimits.Unlimited;
        _unowned = new StoreThread(this);
        _changing = new StoreThread(this);
        _owner = _unowned;
        _maxWasmStack = (nuint)Math.Min(Limits.MaxWasmStack, (ulong)nuint.MaxValue);
        InitializeGcBudget();
    }

    /// <summary>The store's resource limits.</summary>
    public StoreLimits Limits { get; }

    /// <summary>
    /// The host's data for this store (null until set): what host functions need besides their arguments, e.g. a
    /// program's state, reached from a host function through <see cref="Caller.Store"/> or <see cref="Caller.GetData{T}"/>.
    /// Weft never reads it. Like the rest of the store, it belongs to the thread running the store's wasm.
    /// </summary>
    public object? Data { get; set; }

    /// <summary>The host's data (<see cref="Data"/>) as a <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The data is not set, or is not a <typeparamref name="T"/>.</exception>
    public T GetData<T>() => Data is T data
        ? data
        : throw new InvalidOperationException($"the store's data is {(Data is null ? "not set" : "a " + Data.GetType().Name)}, not a {typeof(T).Name}");
    /// <summary>The engine whose modules the store runs.</summary>
    public Engine Engine { get; }

    /// <summary>How many instances the store holds.</summary>
    public int InstanceCount { get; internal set; }

    /// <summary>
    /// Whether wasm code in this store consumes <see cref="Fuel"/>: one unit at every function entry and every
    /// loop iteration, trapping with <see cref="TrapKind.OutOfFuel"/> when none is left. Bulk instructions
    /// (memory.fill/copy/init, table.fill/copy/init, array.new*/fill/copy/init_*) also spend one unit per 64 bytes
    /// they write (a table element or reference counts 8), all of it before they start: one the fuel does not cover
    /// traps without doing anything. Off by default, when no fuel code is compiled at all; instances in a store with
    /// fuel on use a separately compiled copy of the module.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Whether wasm code in this store can be stopped by <see cref="Interrupt"/>, <see cref="SetDeadline(TimeSpan)"/>
    /// or <see cref="SetDeadline(CancellationToken)"/>: compiled code then checks a flag at every function entry and
    /// loop iteration and traps with <see cref="TrapKind.Interrupted"/>. Bulk instructions check it between pieces of
    /// 1 MiB, so a multi-gigabyte <c>memory.fill</c> stops within milliseconds, part-way (what it wrote stays
    /// written). A <c>memory.atomic.wait</c> ends within about 10 ms of an interrupt, with the same trap; without
    /// this option nothing but a notify or its timeout ends a wait (fuel does not). Off by default, when no check is
    /// compiled.
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
            else if (timeout != Timeout.InfiniteTimeSpan) _deadlineTimer = DeadlineScheduler.Schedule(timeout, () => Volatile.Write(ref InterruptRequested, 1));
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

    /// <summary>Clears a pending interrupt, leaving any deadline or cancellation in place.</summary>
    internal void ClearPendingInterrupt() => Volatile.Write(ref InterruptRequested, 0);

    private void ResetDeadline()
    {
        _deadlineTimer?.Cancel();
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
    internal CodeOptions CodeOptions => _codeOptions ??= WithEngineOptions(SplitThreshold is { } split
        ? CodeOptions.For(ConsumeFuel, Interruptible, TieredCompilation, LimitsGcAllocations) with { SplitThreshold = split }
        : CodeOptions.For(ConsumeFuel, Interruptible, TieredCompilation, LimitsGcAllocations));

    // Engine-wide code settings that a store does not override.
    private CodeOptions WithEngineOptions(CodeOptions options) =>
        Engine.Options.InlineSmallFunctions ? options with { InlineSmallFunctions = true } : options;

    /// <summary>Overrides <see cref="CodeOptions.SplitThreshold"/> for the code of this store (the tests force splitting with it).</summary>
    internal int? SplitThreshold { get; init; }

    private CodeOptions? _codeOptions;

    private static InvalidOperationException FuelOff() => new("the store does not consume fuel; create it with ConsumeFuel = true");

    private static InvalidOperationException InterruptOff() => new("the store cannot be interrupted; create it with Interruptible = true");

    internal void Own(Memory memory)
    {
        lock (_memories)
        {
            ObjectDisposedException.ThrowIf(_disposeRequested || _released != 0, this);
            _memories.Add(memory);
        }
    }

    /// <summary>Makes this store one more owner of a shared memory (once), so it is released after the last owner.</summary>
    internal void Share(Memory memory)
    {
        lock (_memories)
        {
            ObjectDisposedException.ThrowIf(_disposeRequested || _released != 0, this);
            if (_memories.Contains(memory)) return;
            memory.AddOwner();
            _memories.Add(memory);
        }
    }

    /// <summary>
    /// Enters wasm from the host on the current thread and returns the owner record to leave with
    /// (<see cref="StoreThread.Leave"/>, in a <c>finally</c>), or null for a nested entry (host -> wasm -> host -> wasm),
    /// which has nothing to leave: the outermost entry's leave ends the store's use. Refuses a store that another
    /// thread is using (<see cref="StoreInUseException"/>), a disposed one, and an entry from a stack position where
    /// wasm may not run (re-entry from a host function too deep down: "call stack exhausted").
    /// </summary>
    // Inlined into every typed caller. The common case, an entry from the thread that owns the store, is one
    // unsigned compare of the stack position with the owner's range, a load and a store of the Active flag and one
    // more load of the owner; everything else is in EnterWasmSlow. Thread stacks are disjoint, so a position in
    // (Low, Top] is on the owner's own stack: no thread id is needed, and a nested entry is checked against the wasm
    // stack limit by the same compare, at no extra cost.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [SkipLocalsInit]
    internal unsafe StoreThread? EnterWasm()
    {
        byte here;
        return EnterWasm((nuint)(&here));
    }

    /// <summary>
    /// <see cref="EnterWasm()"/> from a given stack position of the current thread (a frame of the caller's, at or
    /// above the current one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal StoreThread? EnterWasm(nuint position)
    {
        var owner = _owner;
        if (position - owner.RangeStart >= owner.RangeLength) return EnterWasmSlow(position);
        // A nested entry: the outermost one on this thread holds the store (a taker sees its flag and refuses).
        if (owner.Active != 0) return null;
        owner.Active = 1;
        // Active is written before _owner is read again (a volatile read: the JIT may neither reuse the first load
        // nor move it up). A thread taking the store over writes _owner, makes every thread's writes visible
        // (Interlocked.MemoryBarrierProcessWide) and then reads Active: either it sees this call, or this read sees it.
        if (Volatile.Read(ref _owner) != owner) return EnterWasmContended(owner, position);
        return owner;
    }

    /// <summary>
    /// <see cref="EnterWasm()"/>'s common case alone, for the typed callers (TypedCall.EnterFast), in two halves: for
    /// the outermost entry from the thread that owns the store it sets the owner's Active flag and returns the owner;
    /// every other case returns null and has entered nothing (the caller takes the general path). The caller must
    /// then check <see cref="StillOwnedBy"/> (EnterWasm's re-read), and when the store changed hands meanwhile clear
    /// the flag and call <see cref="AfterUndoneEntry"/> on its general path. Split so that the typed caller makes no
    /// call between its entry and the call into wasm: its arguments then stay in their registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal StoreThread? TryEnterWasmFast(nuint position)
    {
        var owner = _owner;
        if (position - owner.RangeStart >= owner.RangeLength || owner.Active != 0) return null;
        owner.Active = 1;
        return owner;
    }

    /// <summary>
    /// After <see cref="TryEnterWasmFast"/>: whether <paramref name="owner"/> still owns the store. Active was written
    /// before this read (a volatile read: the JIT may neither reuse the first load nor move it up), as in EnterWasm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool StillOwnedBy(StoreThread owner) => Volatile.Read(ref _owner) == owner;

    /// <summary>
    /// The general path after a fast path that entered nothing (TypedCall.EnterFast, compiled host entries):
    /// <paramref name="slow"/> is the fast path's stack position, whose low bit says that it set the owner's flag and
    /// cleared it again after it saw the store change hands (then <see cref="AfterUndoneEntry"/> first).
    /// </summary>
    internal StoreThread? EnterWasmAfterFastPath(nuint slow)
    {
        if ((slow & 1) != 0) AfterUndoneEntry();
        return EnterWasm(slow & ~(nuint)1);
    }

    /// <summary>
    /// After an entry cleared the Active flag it had set because it saw the store change hands: a Dispose that saw the
    /// flag left the release to this entry.
    /// </summary>
    internal void AfterUndoneEntry()
    {
        if ((Volatile.Read(ref PendingAfterCall) & DisposePending) != 0) Release();
    }

    // The owner's entry raced with another thread's attempt to take the store (or with Dispose): undo, and decide
    // under the lock.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private StoreThread? EnterWasmContended(StoreThread owner, nuint position)
    {
        UndoEntry(owner);
        return EnterWasmSlow(position);
    }

    // Takes back an entry's Active flag after it saw the store change hands.
    private void UndoEntry(StoreThread owner)
    {
        owner.Active = 0;
        AfterUndoneEntry();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private StoreThread? EnterWasmSlow(nuint position)
    {
        nuint threadLimit = StackBounds.CurrentThreadLimit();
        lock (_ownerLock)
        {
            ObjectDisposedException.ThrowIf(_disposeRequested, this);
            var owner = _owner;
            if (owner.ThreadLimit == threadLimit)
            {
                // This thread owns the store: an entry from higher up than any before, or one from so deep down
                // (a host function far below the wasm that called it) that wasm may not run there.
                if (position <= owner.Low) throw new TrapException(TrapKind.CallStackExhausted);
                if (position > owner.Top)
                {
                    // The wasm budget counts from the highest entry seen on this thread, so the limit changes only
                    // when the thread does (or an entry comes from higher up), not with every call.
                    owner.SetRange(WasmStackLimit(threadLimit, position), position);
                    SetStackLimit(owner.Low);
                }
                if (owner.Active != 0) return null;
                owner.Active = 1;
                return owner;
            }
            if (owner != _unowned)
            {
                // Another thread owned the store last. It may take the store only if that one has no call active;
                // an owner racing into EnterWasm right now sees the placeholder and comes here (see EnterWasm).
                Volatile.Write(ref _owner, _changing);
                Interlocked.MemoryBarrierProcessWide();
                if (Volatile.Read(ref owner.Active) != 0)
                {
                    Volatile.Write(ref _owner, owner);
                    throw new StoreInUseException();
                }
            }
            var next = new StoreThread(this, threadLimit, WasmStackLimit(threadLimit, position), position) { Active = 1 };
            SetStackLimit(next.Low);
            Volatile.Write(ref _owner, next);
            return next;
        }
    }

    /// <summary>Whether a host-to-wasm call of this store is active on its owner thread (for tests of the entry protocol).</summary>
    internal bool CallActive => Volatile.Read(ref Volatile.Read(ref _owner).Active) != 0;

    private nuint WasmStackLimit(nuint threadLimit, nuint top) =>
        Math.Max(threadLimit, top > _maxWasmStack ? top - _maxWasmStack : 0);

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

    /// <summary>
    /// Called by <see cref="StoreThread.Leave"/> when the outermost call returns and work is pending: a dispose
    /// that waited for the call, or host finalizers that are due.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void AfterOutermostCall()
    {
        if ((Volatile.Read(ref PendingAfterCall) & DisposePending) != 0) Release();
        else if (_finalizers is { HasPending: true } finalizers) finalizers.Run(throwFailures: false);
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
        ObjectDisposedException.ThrowIf(_disposeRequested, this);
        (_finalizers ??= new FinalizerQueue()).Register(target, callback);
        Interlocked.Or(ref PendingAfterCall, FinalizersPending);
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
        ObjectDisposedException.ThrowIf(_disposeRequested, this);
        if (Volatile.Read(ref _owner).Active != 0 || _finalizers is null) return 0;
        return _finalizers.Run(throwFailures: true);
    }

    /// <summary>
    /// Releases the store's memories (spans over them become invalid) and its deadline timer. Safe at any time and
    /// from any thread: while a call into the store is running (on another thread, or this one through a host
    /// function), the release waits for the outermost call to return, and new calls are refused meanwhile with an
    /// <see cref="ObjectDisposedException"/>; memory is never unmapped under running code.
    /// </summary>
    public void Dispose()
    {
        lock (_ownerLock)
        {
            if (_disposeRequested) return;
            _disposeRequested = true;
            Interlocked.Or(ref PendingAfterCall, DisposePending);
            var owner = _owner;
            Volatile.Write(ref _owner, _changing);
            // As in EnterWasmSlow: after the barrier, either the owner's Active flag shows its call, or its Leave (and
            // any racing entry, which backs out) sees DisposePending and releases the memories itself. A store
            // never entered has no call to wait for (and skips the barrier, a few microseconds).
            if (owner != _unowned)
            {
                Interlocked.MemoryBarrierProcessWide();
                if (Volatile.Read(ref owner.Active) != 0) return;
            }
        }
        Release();
    }

    // Runs once: from Dispose, or from the end of the outermost call that Dispose waited for.
    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
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
