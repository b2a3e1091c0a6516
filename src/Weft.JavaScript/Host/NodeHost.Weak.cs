using Jint;
using Jint.Native;
using Jint.Native.Object;
using Weft.JavaScript.Api;

namespace Weft.JavaScript.Host;

internal sealed partial class NodeHost
{
    // Targets deref()'d in the current task stay alive until it ends (the spec's KeepDuringJob).
    private readonly List<object> _keptAlive = [];

    public void ClearKeptAlive() => _keptAlive.Clear();

    /// <summary>What a JS value's lifetime is: a wasm object's wrapper lives exactly as long as the wasm object.</summary>
    private static object LifetimeKey(JsValue v) => v is OpaqueReference o ? o.Target : v;

    private void DefineWeak(Action<string, Func<JsValue[], JsValue>> def)
    {
        def("weakNew", a => new WeakCell(Engine, a[0]));
        def("weakDeref", a =>
        {
            var cell = (WeakCell)a[0];
            if (!cell.Target.TryGetTarget(out var target)) return JsValue.Undefined;
            _keptAlive.Add(target);
            return target;
        });
        def("registerFinalizer", a =>
        {
            var callback = a[1];
            var loop = _loop;
            // The store runs this on its thread at a safe point; the cleanup itself is a task of the event loop.
            _store.RegisterFinalizer(LifetimeKey(a[0]), () => loop.QueueTask(() => callback.Call()));
            return JsValue.Undefined;
        });
    }

    /// <summary>A WeakRef's weak reference to its target (the wrapper; for wasm objects it lives as long as the object).</summary>
    private sealed class WeakCell : ObjectInstance
    {
        public WeakCell(Jint.Engine engine, JsValue target) : base(engine)
        {
            Prototype = null;
            Target = new WeakReference<JsValue>(target);
        }

        public WeakReference<JsValue> Target { get; }
    }
}
