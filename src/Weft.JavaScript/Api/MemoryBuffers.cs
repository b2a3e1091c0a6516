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
    private static readonly MethodInfo s_detach = typeof(JsArrayBuffer).GetMethod("DetachArrayBuffer", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException("Jint's ArrayBuffer has no DetachArrayBuffer");
    private static readonly FieldInfo s_detachKey = typeof(JsArrayBuffer).GetField("_arrayBufferDetachKey", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Jint's ArrayBuffer has no detach key");

    private readonly JsString _key = new("WebAssembly.Memory");
    private readonly Dictionary<Memory, (JsArrayBuffer Buffer, byte[] Data)> _live = [];

    public bool Any => _live.Count > 0;

    public JsValue BufferOf(Memory memory)
    {
        if (_live.TryGetValue(memory, out var entry) && (ulong)entry.Data.Length == memory.ByteLength) return entry.Buffer;
        if (entry.Buffer is not null) Detach(memory);
        if (memory.ByteLength > (ulong)Array.MaxLength) throw bridge.RangeError("WebAssembly.Memory.buffer: the memory is larger than an ArrayBuffer can be");
        int length = (int)memory.ByteLength;
        JsValue created;
        if (memory.IsShared)
        {
            created = js.Construct("SharedArrayBuffer", [length]);
        }
        else
        {
            created = js.Construct(js.Intrinsics.ArrayBuffer, [length]);
        }
        var buffer = (JsArrayBuffer)created;
        var data = created.AsArrayBuffer() ?? throw new InvalidOperationException("no ArrayBuffer data");
        memory.Span.CopyTo(data);
        if (memory.IsShared) js.Intrinsics.Object.Get("freeze").Call(js.Intrinsics.Object, [created]);
        else s_detachKey.SetValue(buffer, _key);
        _live[memory] = (buffer, data);
        return created;
    }

    /// <summary>JS may have written the mirrors: copy them into the memories before wasm runs.</summary>
    public void Flush()
    {
        foreach (var (memory, (_, data)) in _live)
        {
            var span = memory.Span;
            data.AsSpan(0, (int)Math.Min((ulong)data.Length, (ulong)span.Length)).CopyTo(span);
        }
    }

    /// <summary>Wasm may have written or grown the memories: bring the mirrors up to date, detaching outgrown ones.</summary>
    public void Refresh()
    {
        List<Memory>? outgrown = null;
        foreach (var (memory, (_, data)) in _live)
        {
            if ((ulong)data.Length != memory.ByteLength) (outgrown ??= []).Add(memory);
            else memory.Span.CopyTo(data);
        }
        if (outgrown is not null) foreach (var m in outgrown) Detach(m);
    }

    /// <summary>The memory grew: its old buffer is detached (a shared memory's keeps its length) and forgotten.</summary>
    public void Detach(Memory memory)
    {
        if (!_live.Remove(memory, out var entry)) return;
        if (!memory.IsShared) s_detach.Invoke(entry.Buffer, [_key]);
    }
}
