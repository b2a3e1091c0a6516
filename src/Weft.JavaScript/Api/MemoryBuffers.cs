using System.Reflection;
using Jint;
using Jint.Native;

namespace Weft.JavaScript.Api;

/// <summary>
/// Memory.buffer. The runtime's store lends memories as arrays (Store.ManagedMemories, Weft's Memory.Managed.cs): on
/// a <c>buffer</c> read a non-shared memory's bytes move into one pinned byte[] of exactly its length, and Jint's
/// ArrayBuffer owns that very array (<c>ArrayBuffer.Construct(byte[])</c> takes it without a copy), so the buffer IS
/// the memory: JS writes through a typed array are wasm's loads and wasm's stores are JS's reads, with nothing done at
/// boundary crossings. A grow moves the bytes out of the array; the old buffer is then detached (byteLength 0), as
/// the spec requires, when JS grows the memory or, when wasm or the host grew it, at the next crossing back into JS
/// (wasm returning or calling out), before any JS code can look at it; the next <c>buffer</c> read lends a new array.
/// Memories that are not managed (shared memories, host memories, one larger than a byte[] can be) keep a mirror:
/// a copy written to the memory before any wasm code runs (<see cref="Flush"/>: a call into wasm, instantiation,
/// grow) and read back when wasm returns or calls out (<see cref="Refresh"/>), which is exact because JS is
/// single-threaded and wasm runs only inside those brackets. A shared memory's mirror is a frozen SharedArrayBuffer.
/// </summary>
internal sealed class MemoryBuffers(WebAssemblyBridge bridge, Jint.Engine js)
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
    private static readonly MethodInfo s_detach = typeof(JsArrayBuffer).GetMethod("DetachArrayBuffer", Instance)
        ?? throw new InvalidOperationException("Jint's ArrayBuffer has no DetachArrayBuffer");
    private static readonly FieldInfo s_detachKey = typeof(JsArrayBuffer).GetField("_arrayBufferDetachKey", Instance)
        ?? throw new InvalidOperationException("Jint's ArrayBuffer has no detach key");
    private static readonly FieldInfo s_data = typeof(JsArrayBuffer).GetField("_arrayBufferData", Instance)
        ?? throw new InvalidOperationException("Jint's ArrayBuffer has no data field");
    private static readonly FieldInfo s_sharedLength = typeof(JsArrayBuffer).Assembly.GetType("Jint.Native.JsSharedArrayBuffer")?.GetField("_arrayBufferByteLengthData", Instance)
        ?? throw new InvalidOperationException("Jint's SharedArrayBuffer has no length field");

    private readonly JsString _key = new("WebAssembly.Memory");

    // Data is the mirror; Length the bytes of it that mirror the memory now. An unshared memory's mirror is exactly
    // its buffer's bytes. A shared memory's is sized for its maximum (shared memories must have one), so that every
    // SharedArrayBuffer made for it, before and after grows, views the same bytes, as the spec requires.
    private sealed class Mirror(byte[] data, ulong length)
    {
        public byte[] Data = data;
        public ulong Length = length;
        public JsArrayBuffer? Buffer;
    }

    private readonly Dictionary<Memory, Mirror> _live = [];

    // A managed memory's buffer and the array it owns (the memory's array when the buffer was made).
    private readonly Dictionary<Memory, (byte[] Array, JsArrayBuffer Buffer)> _views = [];

    /// <summary>Whether any buffer was handed out: crossings must check them (<see cref="Refresh"/>).</summary>
    public bool Any => _live.Count > 0 || _views.Count > 0;

    /// <summary>Whether any memory is mirrored: only then do crossings copy (<see cref="Flush"/>).</summary>
    public bool AnyMirrored => _live.Count > 0;

    public JsValue BufferOf(Memory memory)
    {
        if (memory.ShareAsArray() is { } array) return ViewOf(memory, array);
        if (_live.TryGetValue(memory, out var mirror) && mirror.Buffer is { } current && mirror.Length == memory.ByteLength) return current;
        if (memory.ByteLength > (ulong)Array.MaxLength) throw bridge.RangeError("WebAssembly.Memory.buffer: the memory is larger than an ArrayBuffer can be");
        int length = (int)memory.ByteLength;
        if (memory.IsShared)
        {
            if (mirror is null)
            {
                ulong max = Math.Min((memory.Type.Limits.Max ?? memory.Pages) * memory.PageSize, (ulong)Array.MaxLength);
                mirror = new Mirror(new byte[Math.Max(max, (ulong)length)], (ulong)length);
                memory.Span.CopyTo(mirror.Data);
                _live[memory] = mirror;
            }
            if ((ulong)mirror.Data.Length < memory.ByteLength) throw bridge.RangeError("WebAssembly.Memory.buffer: the shared memory grew past what a SharedArrayBuffer can view");
            var shared = (JsArrayBuffer)js.Construct("SharedArrayBuffer", [0]);
            s_data.SetValue(shared, mirror.Data);
            s_sharedLength.SetValue(shared, length);
            js.Intrinsics.Object.Get("freeze").Call(js.Intrinsics.Object, new JsValue[] { shared });
            mirror.Length = (ulong)length;
            mirror.Buffer = shared;
            return shared;
        }
        if (mirror is not null) Detach(memory);
        var created = js.Construct(js.Intrinsics.ArrayBuffer, [length]);
        var buffer = (JsArrayBuffer)created;
        var data = created.AsArrayBuffer() ?? throw new InvalidOperationException("no ArrayBuffer data");
        memory.Span.CopyTo(data);
        s_detachKey.SetValue(buffer, _key);
        _live[memory] = new Mirror(data, (ulong)length) { Buffer = buffer };
        return created;
    }

    private JsArrayBuffer ViewOf(Memory memory, byte[] array)
    {
        if (_views.TryGetValue(memory, out var view))
        {
            if (ReferenceEquals(view.Array, array)) return view.Buffer;
            Detach(view.Buffer);
        }
        // No copy: the ArrayBuffer owns the memory's own array (byteLength = array.Length = the memory's length).
        var buffer = js.Intrinsics.ArrayBuffer.Construct(array);
        s_detachKey.SetValue(buffer, _key);
        _views[memory] = (array, buffer);
        return buffer;
    }

    /// <summary>The managed memory whose buffer <paramref name="buffer"/> is now, if any (tests, diagnostics).</summary>
    internal Memory? MemoryOf(JsValue buffer)
    {
        foreach (var (memory, view) in _views)
        {
            if (ReferenceEquals(view.Buffer, buffer)) return memory;
        }
        return null;
    }

    private void Detach(JsArrayBuffer buffer) => s_detach.Invoke(buffer, [_key]);

    /// <summary>JS may have written the mirrors: copy them into the memories before wasm runs.</summary>
    public void Flush()
    {
        foreach (var (memory, mirror) in _live)
        {
            var span = memory.Span;
            mirror.Data.AsSpan(0, (int)Math.Min(mirror.Length, (ulong)span.Length)).CopyTo(span);
        }
    }

    /// <summary>
    /// Wasm may have written or grown the memories: detach the buffers of managed memories that grew (their array was
    /// replaced), bring the mirrors up to date, detaching outgrown ones.
    /// </summary>
    public void Refresh()
    {
        if (_views.Count > 0) DetachReplacedViews();
        if (_live.Count == 0) return;
        List<Memory>? outgrown = null;
        foreach (var (memory, mirror) in _live)
        {
            if (mirror.Length == memory.ByteLength) memory.Span.CopyTo(mirror.Data);
            else if (memory.IsShared && (ulong)mirror.Data.Length >= memory.ByteLength)
            {
                // The old SharedArrayBuffer keeps its length; the next buffer read makes one of the new length.
                memory.Span.CopyTo(mirror.Data);
                mirror.Length = memory.ByteLength;
                mirror.Buffer = null;
            }
            else (outgrown ??= []).Add(memory);
        }
        if (outgrown is not null) foreach (var m in outgrown) Detach(m);
    }

    private void DetachReplacedViews()
    {
        List<Memory>? replaced = null;
        foreach (var (memory, view) in _views)
        {
            if (!ReferenceEquals(memory.ManagedArray, view.Array)) (replaced ??= []).Add(memory);
        }
        if (replaced is null) return;
        foreach (var memory in replaced)
        {
            Detach(_views[memory].Buffer);
            _views.Remove(memory);
        }
    }

    /// <summary>
    /// The memory grew (from JS: even by 0 pages the spec refreshes the buffer): an unshared memory's old buffer is
    /// detached and forgotten.
    /// </summary>
    public void Detach(Memory memory)
    {
        if (_views.Remove(memory, out var view))
        {
            Detach(view.Buffer);
            return;
        }
        if (memory.IsShared)
        {
            Refresh();
            return;
        }
        if (!_live.Remove(memory, out var mirror)) return;
        if (mirror.Buffer is { } b) Detach(b);
    }
}
