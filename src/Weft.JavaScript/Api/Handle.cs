using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace Weft.JavaScript.Api;

/// <summary>
/// An opaque JavaScript value that carries a Weft object (module, memory, table, global, tag, exception) between the
/// bridge and webassembly.js. Only webassembly.js ever holds one (in its brand WeakMaps); it has no prototype and no
/// properties, so nothing of the .NET object is reachable from script.
/// </summary>
internal sealed class Handle : ObjectInstance
{
    public Handle(Jint.Engine engine, object target) : base(engine)
    {
        Target = target;
    }

    public object Target { get; }
}

/// <summary>
/// A wasm GC object (struct, array) or other engine reference seen from JavaScript: opaque as the JS API's GC
/// "WebAssembly objects" are, with no prototype, no properties, not extensible, and every write refused.
/// </summary>
internal sealed class OpaqueReference : ObjectInstance
{
    public OpaqueReference(Jint.Engine engine, object target) : base(engine)
    {
        Target = target;
        base.PreventExtensions();
    }

    public object Target { get; }

    protected override ObjectInstance? GetPrototypeOf() => null;
    // The JS API's WebAssembly objects throw a TypeError for every change, in sloppy mode too.
    public override bool PreventExtensions() => throw Refused("prevent extensions of");
    public override Jint.Runtime.Descriptors.PropertyDescriptor GetOwnProperty(JsValue property) => Jint.Runtime.Descriptors.PropertyDescriptor.Undefined;
    public override bool DefineOwnProperty(JsValue property, Jint.Runtime.Descriptors.PropertyDescriptor desc) => throw Refused("define a property of");
    public override bool HasProperty(JsValue property) => false;
    public override JsValue Get(JsValue property, JsValue receiver) => Undefined;
    public override bool Set(JsValue property, JsValue value, JsValue receiver) => throw Refused("set a property of");
    public override bool Delete(JsValue property) => throw Refused("delete a property of");

    private Jint.Runtime.JavaScriptException Refused(string what) =>
        new(Engine.Intrinsics.TypeError, $"cannot {what} a WebAssembly object");
    public override List<JsValue> GetOwnPropertyKeys(Jint.Runtime.Types types = Jint.Runtime.Types.String | Jint.Runtime.Types.Symbol) => [];
}
