using Weft.Runtime;

namespace Weft;

/// <summary>
/// Owns the runtime state of a group of instances: their memories, tables, globals and GC objects, plus fuel and
/// limits. A store is used by one thread at a time (it is not thread-safe); disposing it releases its memories.
/// </summary>
public sealed class Store : IDisposable
{
    private readonly List<Memory> _memories = [];
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

    /// <summary>Leaves wasm after <see cref="EnterWasm"/>.</summary>
    internal void LeaveWasm() => EntryDepth--;

    /// <summary>Releases the store's memories. Spans over them become invalid.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
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
