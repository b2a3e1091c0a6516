using Weft;
using Weft.Syntax;

namespace Weft.Examples.ByteBuffer;

/// <summary>
/// The host side of bytebuffer.wat: allocates buffers through the module and registers a finalizer on every owner
/// struct, so a buffer in linear memory is released when the .NET GC has collected the last GC object owning it.
/// </summary>
/// <remarks>
/// The finalizer callback calls back into wasm (<c>release</c>). That is safe because Weft does not run it on the
/// .NET finalizer thread: the GC only queues it, and the store runs the queue on this thread after a call into wasm
/// returns, or in <see cref="Collect"/>.
/// </remarks>
internal sealed class ByteBufferHost : IDisposable
{
    private readonly Store _store = new();
    private readonly Function _alloc;
    private readonly Function _share;
    private readonly Function _release;
    private readonly Function _load;
    private readonly Function _checksum;
    private readonly Function _live;
    private readonly Function _heapPages;
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    public ByteBufferHost(WasmModule module)
    {
        Io = new Memory(_store, new MemoryType(new Limits(AddressType.I32, 1, 1)));
        var linker = new Linker().Define("host", "io", Io);
        var instance = linker.Instantiate(_store, module);
        _alloc = Export(instance, "alloc");
        _share = Export(instance, "share");
        _release = Export(instance, "release");
        _load = Export(instance, "load");
        _checksum = Export(instance, "checksum");
        _live = Export(instance, "live");
        _heapPages = Export(instance, "heap_pages");
    }

    /// <summary>The module's text, next to the program (or the test assembly).</summary>
    public static WasmModule LoadModule() => WasmModule.FromFile(Path.Combine(AppContext.BaseDirectory, "bytebuffer.wat"));

    /// <summary>The store; its finalizer queue is where released buffers wait for a safe point.</summary>
    public Store Store => _store;

    /// <summary>The I/O memory the module imports (memory 0), shared with the host.</summary>
    public Memory Io { get; }

    /// <summary>How many buffers the module's allocator has in use.</summary>
    public int LiveBuffers => _live.Invoke()[0].AsInt32();

    /// <summary>The size of the module's heap (memory 1) in pages.</summary>
    public int HeapPages => _heapPages.Invoke()[0].AsInt32();

    /// <summary>How many owners have been released by finalizers.</summary>
    public int Released { get; private set; }

    /// <summary>How many finalizer callbacks ran on a thread other than the one that created the host (should be 0).</summary>
    public int ReleasedOnOtherThreads { get; private set; }

    /// <summary>A new zeroed buffer of <paramref name="length"/> bytes, owned by the returned GC struct.</summary>
    public GcStruct Allocate(int length) => Own(_alloc.Invoke(length));

    /// <summary>A second owner of the same buffer (the buffer lives until both are collected).</summary>
    public GcStruct Share(GcStruct owner) => Own(_share.Invoke(WasmValue.FromReference(owner)));

    /// <summary>Fills a buffer from host bytes: they go to the I/O memory, and wasm copies them into its heap.</summary>
    public void Load(GcStruct owner, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Io.Span);
        _load.Invoke(WasmValue.FromReference(owner), 0);
    }

    /// <summary>The sum of a buffer's bytes, computed by wasm.</summary>
    public int Checksum(GcStruct owner) => _checksum.Invoke(WasmValue.FromReference(owner))[0].AsInt32();

    /// <summary>Forces a full .NET GC, waits for the .NET finalizers, and runs the released buffers' callbacks now.</summary>
    public int Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return _store.RunPendingFinalizers();
    }

    public void Dispose() => _store.Dispose();

    private GcStruct Own(WasmValue[] results)
    {
        var owner = (GcStruct)results[0].AsReference()!;
        // The callback gets the buffer address as state and does not capture the owner, which must be able to die.
        int pointer = owner.GetInt32(0);
        _store.RegisterFinalizer(owner, pointer, Release);
        return owner;
    }

    private void Release(int pointer)
    {
        if (Environment.CurrentManagedThreadId != _threadId) ReleasedOnOtherThreads++;
        _release.Invoke(pointer);
        Released++;
    }

    private static Function Export(Instance instance, string name) =>
        instance.GetFunction(name) ?? throw new InvalidOperationException($"bytebuffer.wat exports no function \"{name}\"");
}
