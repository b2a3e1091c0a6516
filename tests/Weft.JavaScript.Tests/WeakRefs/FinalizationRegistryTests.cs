using Jint;
using Weft.JavaScript.Tests.JsApi;

namespace Weft.JavaScript.Tests.WeakRefs;

/// <summary>
/// FinalizationRegistry over wasm GC objects: the cleanup callback runs through the store's safe-point finalizer
/// queue, on the thread that uses the store, and may call into wasm (the dart2wasm pattern: a JS finalizer frees
/// the linear-memory buffer a wasm object owned).
/// </summary>
public sealed class FinalizationRegistryTests
{
    [Fact]
    public void Cleanup_of_a_wasm_gc_object_runs_on_the_store_thread_and_calls_a_wasm_export()
    {
        using var runtime = new JavaScriptRuntime();
        var cleanupThreads = new List<int>();
        runtime.Engine.SetValue("recordThread", new Action(() => cleanupThreads.Add(Environment.CurrentManagedThreadId)));
        runtime.Evaluate(File.ReadAllText(Path.Combine(JsApiSuite.Root, "jsapi", "wasm-module-builder.js")), "wasm-module-builder.js");
        runtime.Evaluate("""
            const builder = new WasmModuleBuilder();
            const s = builder.addStruct([makeField(kWasmI32, true)]);
            const freed = builder.addGlobal(kWasmI32, true);
            builder.addFunction('make', makeSig_r_v(wasmRefType(s)))
              .addBody([...wasmI32Const(7), ...GCInstr(kExprStructNew), s]).exportFunc();
            // free(id): what a finalizer would do with the object's buffer; here it sums the ids it was given.
            builder.addFunction('free', kSig_v_i)
              .addBody([kExprGlobalGet, freed.index, kExprLocalGet, 0, kExprI32Add, kExprGlobalSet, freed.index]).exportFunc();
            builder.addFunction('freed', makeSig_r_v(kWasmI32))
              .addBody([kExprGlobalGet, freed.index]).exportFunc();
            var exports = new WebAssembly.Instance(new WebAssembly.Module(builder.toBuffer())).exports;
            var ids = [];
            var registry = new FinalizationRegistry(id => { recordThread(); ids.push(id); exports.free(id); });
            // The objects are made and registered inside a function, so no JS binding keeps them alive.
            (function () { for (let i = 1; i <= 100; i++) registry.register(exports.make(), i); })();
            """);
        int storeThread = Environment.CurrentManagedThreadId;
        for (int attempt = 0; attempt < 20 && cleanupThreads.Count == 0; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            runtime.RunEventLoop(); // safe point: the store drains its queue, the cleanup tasks run
        }
        Assert.NotEmpty(cleanupThreads);
        Assert.All(cleanupThreads, t => Assert.Equal(storeThread, t));
        // Each cleanup ran once and called the wasm export free(id): the wasm global holds the sum of the ids seen.
        Assert.Equal(cleanupThreads.Count, (int)runtime.Evaluate("ids.length").AsNumber());
        Assert.Equal((int)runtime.Evaluate("ids.reduce((a, b) => a + b, 0)").AsNumber(), (int)runtime.Evaluate("exports.freed()").AsNumber());
        Assert.Equal(0, (int)runtime.Evaluate("ids.length - new Set(ids).size").AsNumber());
    }
}
