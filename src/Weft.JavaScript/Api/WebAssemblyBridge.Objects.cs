using Jint;
using Jint.Native;
using Jint.Runtime;
using Weft.Syntax;

namespace Weft.JavaScript.Api;

/// <summary>Memory, Table, Global, Tag and Exception operations for webassembly.js.</summary>
internal sealed partial class WebAssemblyBridge
{
    private delegate void Definer(string name, int length, Func<JsValue, JsValue[], JsValue> body);

    private static ulong Index(JsValue v) => (ulong)TypeConverter.ToNumber(v);

    private static AddressType Address(JsValue v) => v.ToString() == "i64" ? AddressType.I64 : AddressType.I32;

    private static JsValue AddressName(Limits limits) => limits.AddressType == AddressType.I64 ? "i64" : "i32";

    private void DefineMemory(Definer def)
    {
        def("memoryNew", 4, (_, a) =>
        {
            ulong? max = a[1].IsUndefined() ? null : Index(a[1]);
            var limits = new Limits(Address(a[3]), Index(a[0]), max, TypeConverter.ToBoolean(a[2]));
            try
            {
                return HandleOf(new Memory(Store, new MemoryType(limits)));
            }
            catch (TrapException e)
            {
                throw RangeError("WebAssembly.Memory(): could not allocate memory: " + e.Message);
            }
        });
        def("memoryAddress", 1, (_, a) => AddressName(Target<Memory>(a[0]).Type.Limits));
        def("memoryGrow", 2, (_, a) =>
        {
            var memory = Target<Memory>(a[0]);
            Flush();
            long old = memory.Grow(Index(a[1]));
            Refresh();
            if (old >= 0) Buffers.Detach(memory);
            return old;
        });
        def("memoryBuffer", 1, (_, a) => Buffers.BufferOf(Target<Memory>(a[0])));
    }

    private void DefineTable(Definer def)
    {
        def("tableNew", 6, (_, a) =>
        {
            var element = RefTypeNamed(a[0].ToString());
            ulong? max = a[2].IsUndefined() ? null : Index(a[2]);
            var limits = new Limits(Address(a[3]), Index(a[1]), max, false);
            var init = TypeConverter.ToBoolean(a[4]) ? ToReference(a[5], element) : DefaultValue(element).AsReference();
            if (init is null && !element.Nullable) throw TypeError("a non-nullable table needs an initial value");
            return HandleOf(new Table(Store, new TableType(element, limits), init));
        });
        def("tableAddress", 1, (_, a) => AddressName(Target<Table>(a[0]).Type.Limits));
        def("tableLength", 1, (_, a) => (double)Target<Table>(a[0]).Size);
        def("tableGrow", 4, (_, a) =>
        {
            var table = Target<Table>(a[0]);
            var element = table.Type.ElementType;
            var init = TypeConverter.ToBoolean(a[2]) ? ToReference(a[3], element) : DefaultValue(element).AsReference();
            if (init is null && !element.Nullable) throw TypeError("WebAssembly.Table.grow(): a non-nullable table needs a value");
            long old = table.Grow(Index(a[1]), init);
            if (old < 0) throw RangeError("WebAssembly.Table.grow(): failed to grow table");
            return old;
        });
        def("tableGet", 2, (_, a) =>
        {
            var table = Target<Table>(a[0]);
            ulong i = Index(a[1]);
            if (i >= table.Size) throw RangeError("WebAssembly.Table.get(): index out of bounds");
            return ToJs(WasmValue.FromReference(table.Get(i)), table.Type.ElementType);
        });
        def("tableSet", 4, (_, a) =>
        {
            var table = Target<Table>(a[0]);
            ulong i = Index(a[1]);
            if (i >= table.Size) throw RangeError("WebAssembly.Table.set(): index out of bounds");
            var element = table.Type.ElementType;
            var value = TypeConverter.ToBoolean(a[2]) ? ToReference(a[3], element) : DefaultValue(element).AsReference();
            if (value is null && !element.Nullable) throw TypeError("WebAssembly.Table.set(): a non-nullable table needs a value");
            table.Set(i, value);
            return JsValue.Undefined;
        });
    }

    private void DefineGlobal(Definer def)
    {
        def("globalNew", 4, (_, a) =>
        {
            var type = ValueTypeNamed(a[0].ToString());
            var value = TypeConverter.ToBoolean(a[2]) ? ToWasm(a[3], type) : DefaultValue(type);
            if (type.IsRef && value.AsReference() is null && !type.Nullable) throw TypeError("a non-nullable global needs a value");
            return HandleOf(new Global(Store, new GlobalType(type, TypeConverter.ToBoolean(a[1])), value));
        });
        def("globalGet", 1, (_, a) =>
        {
            var g = Target<Global>(a[0]);
            return ToJs(g.Value, g.Type.ValueType);
        });
        def("globalSet", 2, (_, a) =>
        {
            var g = Target<Global>(a[0]);
            if (!g.Type.Mutable) throw TypeError("WebAssembly.Global: cannot set the value of an immutable global");
            g.Value = ToWasm(a[1], g.Type.ValueType);
            return JsValue.Undefined;
        });
    }

    private void DefineTagAndException(Definer def)
    {
        def("tagNew", 1, (_, a) =>
        {
            var types = a[0].AsArray();
            var list = new ValType[types.Length];
            for (uint i = 0; i < types.Length; i++) list[i] = ValueTypeNamed(types[i].ToString());
            return HandleOf(new Tag(Engine, list));
        });
        def("exceptionNew", 2, (_, a) =>
        {
            var tag = Target<Tag>(a[0]);
            var values = a[1].AsArray();
            var parameters = tag.Parameters;
            if (values.Length != parameters.Count) throw TypeError($"WebAssembly.Exception: the tag takes {parameters.Count} values, {values.Length} were given");
            var payload = new WasmValue[parameters.Count];
            for (int i = 0; i < payload.Length; i++) payload[i] = ToWasm(values[(uint)i], parameters[i]);
            return HandleOf(new WasmException(tag, payload));
        });
        def("exceptionIs", 2, (_, a) => ReferenceEquals(Target<WasmException>(a[0]).Tag, Target<Tag>(a[1])));
        def("exceptionGetArg", 3, (_, a) =>
        {
            var e = Target<WasmException>(a[0]);
            if (!ReferenceEquals(e.Tag, Target<Tag>(a[1]))) throw TypeError("WebAssembly.Exception.getArg(): the tag does not match the exception");
            int i = (int)Math.Min(TypeConverter.ToNumber(a[2]), int.MaxValue);
            if (i >= e.Payload.Count) throw RangeError("WebAssembly.Exception.getArg(): index out of range");
            return ToJs(e.Payload[i], e.Tag.Parameters[i]);
        });
    }

    private static ValType RefTypeNamed(string name) => name switch
    {
        "funcref" => ValType.FuncRef,
        "externref" => ValType.ExternRef,
        "anyref" => ValType.AnyRef,
        "eqref" => ValType.EqRef,
        "i31ref" => ValType.I31Ref,
        "structref" => ValType.StructRef,
        "arrayref" => ValType.ArrayRef,
        "exnref" => ValType.ExnRef,
        "nullref" => ValType.NullRef,
        "nullfuncref" => ValType.NullFuncRef,
        "nullexternref" => ValType.NullExternRef,
        "nullexnref" => ValType.NullExnRef,
        _ => throw new ArgumentException("unknown reference type " + name, nameof(name)),
    };

    private static ValType ValueTypeNamed(string name) => name switch
    {
        "i32" => ValType.I32,
        "i64" => ValType.I64,
        "f32" => ValType.F32,
        "f64" => ValType.F64,
        "v128" => ValType.V128,
        _ => RefTypeNamed(name),
    };
}
