using System.Reflection;
using Jint;
using Jint.Native;

namespace Weft.JavaScript.Api;

/// <summary>
/// Memory.buffer. Jint's ArrayBuffer owns a managed byte[] and offers no way to view outside storage, and a Weft
/// memory is unmanaged memory whose base never moves (reserved up front, committed as it grows): neither can become
/// the other without a copy. So a memory's ArrayBuffer is a mirror, kept exact at every boundary crossing: its bytes
/// are written to the memory before any wasm code runs (<see cref="Flush"/>: a call into wasm, instantiation, grow)
/// and read back when wasm returns or calls out to JS (<see cref="Refresh"/>). JavaScript is single-threaded and
/// wasm runs only inside those brackets, so every read and write on either side sees the other's, as with a shared
/// view. The cost is two copies of each materialized buffer per crossing and nothing for memories whose buffer was
/// never asked for. When wasm grows the memory the mirror's length no longer matches; it is detached then, as the
/// spec detaches the old buffer on grow, and the next <c>buffer</c> read makes a new one. Shared memories are
/// mirrored the same way (only this thread runs the store), as a frozen SharedArrayBuffer.
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

    public bool Any => _live.Count > 0;

    public JsValue BufferOf(Memory memory)
    {
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

    /// <summary>JS may have written the mirrors: copy them into the memories before wasm runs.</summary>
    public void Flush()
    {
        foreach (var (memory, mirror) in _live)
        {
            var span = memory.Span;
            mirror.Data.AsSpan(0, (int)Math.Min(mirror.Length, (ulong)span.Length)).CopyTo(span);
        }
    }

    /// <summary>Wasm may have written or grown the memories: bring the mirrors up to date, detaching outgrown ones.</summary>
    public void Refresh()
    {
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

    /// <summary>The memory grew: an unshared memory's old buffer is detached and forgotten.</summary>
    public void Detach(Memory memory)
    {
        if (memory.IsShared)
        {
            Refresh();
            return;
        }
        if (!_live.Remove(memory, out var mirror)) return;
        if (mirror.Buffer is { } b) s_detach.Invoke(b, [_key]);
    }
}
