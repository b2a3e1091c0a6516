using Weft.Gc;
using Weft.Runtime;

namespace Weft;

/// <summary>
/// Owns the runtime state of a group of instances: their memories, tables, globals and GC objects, plus fuel and
/// limits. A store is used by one thread at a time (it is not thread-safe); disposing it releases its memories.
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
public sealed class Store : IDisposable
{
    private readonly List<Memory> _memories = [];
    private FinalizerQueue? _finalizers;
    private bool _disposed;

    // Read by compiled code at every function entry: the lowest stack address wasm may reach on the thread that
    // is running wasm in this store. Set on entry from the host (see EnterWasm).
    internal nuint StackLimit;

    // How many host->wasm calls are active in this store (nested through host functions).
    internal int EntryDepth;

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

    /// <summary>Leaves wasm after <see cref="EnterWasm"/>; back in the host, runs the host finalizers that are due.</summary>
    internal void LeaveWasm()
    {
        if (--EntryDepth == 0 && _finalizers is { HasPending: true } finalizers) finalizers.Run(throwFailures: false);
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

    /// <summary>Releases the store's memories. Spans over them become invalid.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
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
