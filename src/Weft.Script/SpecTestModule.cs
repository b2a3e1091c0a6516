using Weft.Syntax;

namespace Weft.Script;

/// <summary>The <c>spectest</c> host module that the spec's scripts import (see the suite's MANIFEST).</summary>
internal static class SpecTestModule
{
    public static void Define(Linker linker, Store store)
    {
        const string m = "spectest";
        linker.DefineFunction(m, "print", () => { });
        linker.DefineFunction(m, "print_i32", (int _) => { });
        linker.DefineFunction(m, "print_i64", (long _) => { });
        linker.DefineFunction(m, "print_f32", (float _) => { });
        linker.DefineFunction(m, "print_f64", (double _) => { });
        linker.DefineFunction(m, "print_i32_f32", (int _, float _) => { });
        linker.DefineFunction(m, "print_f64_f64", (double _, double _) => { });
        linker.Define(m, "global_i32", new Global(store, new GlobalType(ValType.I32, false), WasmValue.FromInt32(666)));
        linker.Define(m, "global_i64", new Global(store, new GlobalType(ValType.I64, false), WasmValue.FromInt64(666)));
        linker.Define(m, "global_f32", new Global(store, new GlobalType(ValType.F32, false), WasmValue.FromSingle(666.6f)));
        linker.Define(m, "global_f64", new Global(store, new GlobalType(ValType.F64, false), WasmValue.FromDouble(666.6)));
        linker.Define(m, "table", new Table(store, new TableType(ValType.FuncRef, new Limits(AddressType.I32, 10, 20))));
        linker.Define(m, "table64", new Table(store, new TableType(ValType.FuncRef, new Limits(AddressType.I64, 10, 20))));
        linker.Define(m, "memory", new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2))));
        // The threads proposal's scripts also import a shared one.
        linker.Define(m, "shared_memory", new Memory(store, new MemoryType(new Limits(AddressType.I32, 1, 2, Shared: true))));
    }
}
