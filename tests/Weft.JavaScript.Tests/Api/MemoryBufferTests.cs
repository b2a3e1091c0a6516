using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jint;
using Jint.Native;
using Weft.JavaScript.Tests.JsApi;

namespace Weft.JavaScript.Tests.Api;

/// <summary>
/// Memory.buffer is the linear memory itself (Api/MemoryBuffers.cs over Weft's managed memories): no copy at any
/// boundary crossing. The C# reads and writes below go straight to the Weft memory, with no call through the bridge
/// (which is where a mirror would have been synchronized), so they see JS's writes only if the buffer is the memory.
/// </summary>
public sealed class MemoryBufferTests
{
    // A module over an imported memory "m" "mem": load8(addr), store8(addr, value), grow(delta) and callOut(), which
    // grows the memory by one page and then calls the JS import "m" "seen".
    private static JavaScriptRuntime Runtime(int pages = 1)
    {
        var runtime = new JavaScriptRuntime();
        runtime.Evaluate(File.ReadAllText(Path.Combine(JsApiSuite.Root, "jsapi", "wasm-module-builder.js")), "wasm-module-builder.js");
        runtime.Evaluate($$"""
            const builder = new WasmModuleBuilder();
            builder.addImportedMemory('m', 'mem', {{pages}});
            const seen = builder.addImport('m', 'seen', kSig_v_v);
            builder.addFunction('load8', kSig_i_i).addBody([kExprLocalGet, 0, kExprI32LoadMem8U, 0, 0]).exportFunc();
            builder.addFunction('store8', kSig_v_ii).addBody([kExprLocalGet, 0, kExprLocalGet, 1, kExprI32StoreMem8, 0, 0]).exportFunc();
            builder.addFunction('grow', kSig_i_i).addBody([kExprLocalGet, 0, kExprMemoryGrow, 0]).exportFunc();
            builder.addFunction('callOut', kSig_v_v)
              .addBody([...wasmI32Const(1), kExprMemoryGrow, 0, kExprDrop, kExprCallFunction, seen]).exportFunc();
            var memory = new WebAssembly.Memory({ initial: {{pages}} });
            var onSeen = () => {};
            var exports = new WebAssembly.Instance(new WebAssembly.Module(builder.toBuffer()),
              { m: { mem: memory, seen: () => onSeen() } }).exports;
            var buffer = memory.buffer;
            var u8 = new Uint8Array(buffer);
            """);
        return runtime;
    }

    private static Memory MemoryOf(JavaScriptRuntime runtime) =>
        runtime.Bridge.Buffers.MemoryOf(runtime.Evaluate("buffer")) ?? throw new InvalidOperationException("the buffer is no managed memory's");

    private static double Number(JavaScriptRuntime runtime, string code) => runtime.Evaluate(code).AsNumber();

    [Fact]
    public void Js_writes_through_a_Uint8Array_are_the_memory_bytes_without_any_crossing()
    {
        using var runtime = Runtime();
        runtime.Evaluate("u8[100] = 42; u8[65535] = 7; new DataView(buffer).setInt32(200, -5, true);");
        var memory = MemoryOf(runtime);
        // No wasm call ran since the writes: the memory itself holds them.
        Assert.Equal(42, memory.ReadByte(100));
        Assert.Equal(7, memory.ReadByte(65535));
        Assert.Equal(-5, memory.ReadInt32(200));
        Assert.Equal(42, Number(runtime, "exports.load8(100)"));
    }

    [Fact]
    public void Wasm_and_host_stores_are_seen_by_js_through_the_same_buffer()
    {
        using var runtime = Runtime();
        var memory = MemoryOf(runtime);
        memory.WriteInt32(64, 0x01020304); // straight into the memory: no crossing for a mirror to copy at
        Assert.Equal(4, Number(runtime, "u8[64]"));
        Assert.Equal(1, Number(runtime, "u8[67]"));
        runtime.Evaluate("exports.store8(300, 99)");
        Assert.Equal(99, Number(runtime, "u8[300]"));
        Assert.True(runtime.Evaluate("memory.buffer === buffer").AsBoolean());
    }

    [Fact]
    public void Grow_detaches_the_old_buffer_and_the_new_one_keeps_the_bytes()
    {
        using var runtime = Runtime();
        runtime.Evaluate("u8[10] = 1; memory.grow(1); var b2 = memory.buffer;");
        Assert.Equal(0, Number(runtime, "buffer.byteLength"));
        Assert.Equal(0, Number(runtime, "u8.length"));
        Assert.False(runtime.Evaluate("b2 === buffer").AsBoolean());
        Assert.Equal(2 * 65536, Number(runtime, "b2.byteLength"));
        Assert.Equal(1, Number(runtime, "new Uint8Array(b2)[10]"));
        Assert.True(runtime.Evaluate("memory.buffer === b2").AsBoolean());
        // grow(0) from JS refreshes the buffer too (the spec's "refresh the memory buffer"): a new object, same bytes.
        runtime.Evaluate("memory.grow(0); var b3 = memory.buffer; new Uint8Array(b3)[11] = 2;");
        Assert.Equal(0, Number(runtime, "b2.byteLength"));
        Assert.Equal(2, Number(runtime, "exports.load8(11)"));
        // A grow in wasm detaches the buffer by the time JS can look: after the call returns...
        Assert.Equal(2, Number(runtime, "exports.grow(1)"));
        Assert.Equal(0, Number(runtime, "b3.byteLength"));
        Assert.Equal(3 * 65536, Number(runtime, "memory.buffer.byteLength"));
        Assert.Equal(2, Number(runtime, "new Uint8Array(memory.buffer)[11]"));
        // ...and when wasm calls out to JS after growing.
        runtime.Evaluate("var b4 = memory.buffer; var during; onSeen = () => { during = [b4.byteLength, memory.buffer.byteLength]; }; exports.callOut();");
        Assert.Equal("0,262144", runtime.Evaluate("during.join()").ToString());
        // JS cannot detach it itself: the buffer has the WebAssembly.Memory detach key.
        Assert.True(runtime.Evaluate("try { memory.buffer.transfer(); false } catch (e) { e instanceof TypeError }").AsBoolean());
    }

    [Fact]
    public void A_64_MiB_memory_buffer_is_the_memory_storage_and_crossings_copy_nothing()
    {
        using var runtime = Runtime(pages: 1024);
        var memory = MemoryOf(runtime);
        var data = runtime.Evaluate("buffer").AsArrayBuffer()!;
        Assert.Equal(64 << 20, data.Length);
        // The ArrayBuffer's byte[] is the memory's storage itself, not a copy of it.
        Assert.True(Unsafe.AreSame(ref data[0], ref MemoryMarshal.GetReference(memory.Span)));
        runtime.Evaluate("for (let i = 0; i < 3; i++) { memory.buffer; exports.load8(i); }"); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        runtime.Evaluate("for (let i = 0; i < 20; i++) { u8[i] = i; if (memory.buffer !== buffer || exports.load8(i) !== i) throw new Error('lost ' + i); }");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Twenty crossings with the buffer in use: none makes a new 64 MiB buffer (it stays the same object, above).
        Assert.True(allocated < 8 << 20, $"{allocated} bytes allocated");
        Assert.True(Unsafe.AreSame(ref runtime.Evaluate("memory.buffer").AsArrayBuffer()![0], ref MemoryMarshal.GetReference(memory.Span)));
    }
}
