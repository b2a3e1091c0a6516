using Weft.Compilation;
using Weft.Runtime;

namespace Weft;

/// <summary>
/// Owns the runtime state of a group of instances: their memories, tables, globals and GC objects, plus fuel,
/// deadlines and limits. A store is used by one thread at a time (it is not thread-safe), except for
/// <see cref="Interrupt"/>, which any thread may call; disposing it releases its memories.
/// </summary>
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
    private bool _disposed;

    // Read by compiled code at every function entry: the lowest stack address wasm may reach on the thread that
    // is running wasm in this store. Set on entry from the host (see EnterWasm).
    internal nuint StackLimit;

    // How many host->wasm calls are active in this store (nested through host functions).
    internal int EntryDepth;

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

    /// <summary>The compiler options instances in this store need (fuel and interrupt checks or none).</summary>
    internal CompilerOptions CompilerOptions => (ConsumeFuel, Interruptible) switch
    {
        (false, false) => CompilerOptions.Default,
        (true, false) => CompilerOptions.WithFuel,
        (false, true) => CompilerOptions.WithInterrupts,
        _ => CompilerOptions.WithFuelAndInterrupts,
    };

    private static InvalidOperationException FuelOff() => new("the store does not consume fuel; create it with ConsumeFuel = true");

    private static InvalidOperationException InterruptOff() => new("the store cannot be interrupted; create it with Interruptible = true");

    internal void Own(Memory memory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_memories) _memories.Add(memory);
    }

    /// <summary>Prepares the current thread to run wasm: computes the stack limit on the outermost entry.</summary>
    internal unsafe void EnterWasm()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (EntryDepth++ == 0)
        {
            byte here;
            nuint position = (nuint)(&here);
            nuint budget = position > (nuint)Limits.MaxWasmStack ? position - (nuint)Limits.MaxWasmStack : 0;
            StackLimit = Math.Max(StackBounds.CurrentThreadLimit(), budget);
        }
    }

    /// <summary>Leaves wasm after <see cref="EnterWasm"/>.</summary>
    internal void LeaveWasm() => EntryDepth--;

    /// <summary>Releases the store's memories (spans over them become invalid) and its deadline timer.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ClearDeadline();
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
