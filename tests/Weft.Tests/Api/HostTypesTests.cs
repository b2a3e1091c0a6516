using Weft.Syntax;

namespace Weft.Tests.Api;

/// <summary>
/// What a host of real compiler output needs (issue 14, items 4-6): structured import and export types with concrete
/// GC types, host functions of those types defined without any adapter wasm, several definitions of one name told
/// apart by type, instantiation from a list or a resolver, custom section contents, and a data slot per store.
/// </summary>
public sealed class HostTypesTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    // The types sit in one recursion group, as J2CL and dart2wasm emit them: a standalone host type with the same
    // structure is a different type (iso-recursive canonicalization), so only the module's own type matches.
    private const string Program = """
        (module
          (rec
            (type $i16array (array (mut i16)))
            (type $point (struct (field i32) (field i32)))
            (type $takesArray (func (param (ref null $i16array)) (result i32))))
          (import "m" "len" (func $len (type $takesArray)))
          (import "m" "mk" (func $mk (param i32 i32) (result (ref $point))))
          (import "m" "name" (func $name (result (ref extern))))
          (import "m" "dup" (func $dupI (param i32) (result i32)))
          (import "m" "dup" (func $dupF (param f64) (result f64)))
          (import "m" "g" (global $g (mut i64)))
          (memory (export "mem") 1)
          (@custom "strings" "abc\00def")
          (func (export "run") (result i32)
            (call $len (array.new_default $i16array (i32.const 7))))
          (func (export "sumPoint") (result i32)
            (local $p (ref $point))
            (local.set $p (call $mk (i32.const 3) (i32.const 4)))
            (i32.add (struct.get $point 0 (local.get $p)) (struct.get $point 1 (local.get $p))))
          (func (export "getName") (result externref) (call $name))
          (func (export "dups") (result f64)
            (f64.add (f64.convert_i32_s (call $dupI (i32.const 2))) (call $dupF (f64.const 0.5)))))
        """;

    private static WasmModule Module() => WasmModule.FromText(Program);

    private static WasmFunctionType FuncType(WasmModule module, string name, int nth = 0) =>
        (WasmFunctionType)module.Imports.Where(i => i.Name == name).ElementAt(nth).Type;

    private Global GlobalI64() => new(_store, new GlobalType(ValType.I64, true), WasmValue.FromInt64(5));

    private Linker HostLinker(WasmModule module)
    {
        var point = module.GetGcType(1);
        var linker = new Linker();
        linker.DefineFunction("m", "len", FuncType(module, "len"), (GcArray? chars) => chars!.Length);
        linker.DefineFunction("m", "mk", FuncType(module, "mk"), (int a, int b) => point.NewStruct(WasmValue.FromInt32(a), WasmValue.FromInt32(b)));
        linker.DefineFunction("m", "name", WasmFunctionType.Create([], [ValType.Ref(HeapType.Extern, nullable: false)]), () => (object)"weft");
        linker.Define("m", "dup", (int x) => x * 10);
        linker.Define("m", "dup", (double x) => x * 2);
        linker.Define("m", "g", GlobalI64());
        return linker;
    }

    [Fact]
    public void ImportsAndExportsCarryStructuredTypesInDeclarationOrder()
    {
        var module = Module();
        Assert.Equal(["len", "mk", "name", "dup", "dup", "g"], module.Imports.Select(i => i.Name));
        Assert.Equal([0, 1, 2, 3, 4, 5], module.Imports.Select(i => i.Index));
        var len = FuncType(module, "len");
        var array = Assert.IsType<GcType>(len.GetGcType(len.Parameters[0]));
        Assert.True(array.IsArray);
        Assert.Equal(PackedType.I16, array.ElementType.Storage.Packed);
        Assert.Same(module.GetGcType(0), array);
        Assert.True(len.Parameters[0].Nullable);
        Assert.Equal("(func (param (ref null 0)) (result i32))", len.ToString());
        var mk = FuncType(module, "mk");
        Assert.False(mk.Results[0].Nullable);
        Assert.True(mk.GetGcType(mk.Results[0])!.IsStruct);
        var name = FuncType(module, "name");
        Assert.Equal(ValType.Ref(HeapType.Extern, nullable: false), name.Results[0]);
        Assert.NotEqual(FuncType(module, "dup", 0), FuncType(module, "dup", 1));
        var g = Assert.IsType<WasmGlobalType>(module.Imports[5].Type);
        Assert.True(g.Mutable);
        Assert.Equal(ValType.I64, g.ValueType);
        var mem = Assert.IsType<WasmMemoryType>(module.Exports.Single(e => e.Name == "mem").Type);
        Assert.Equal(1UL, mem.Limits.Min);
        Assert.Equal(65536UL, mem.PageSize);
        Assert.Equal(["mem", "run", "sumPoint", "getName", "dups"], module.Exports.Select(e => e.Name));
        Assert.Equal(module.GetFunctionType(2), len);
    }

    [Fact]
    public void CustomSectionContentsAreReadable()
    {
        var module = Module();
        var section = Assert.Single(module.CustomSections, c => c.Name == "strings");
        Assert.Equal("abc\0def"u8.ToArray(), section.Data.ToArray());
        Assert.Equal("abc\0def"u8.ToArray(), Assert.Single(module.GetCustomSections("strings")).ToArray());
        Assert.Empty(module.GetCustomSections("absent"));
    }

    [Fact]
    public void HostFunctionsOverTheModulesOwnGcTypesAndNonNullExternrefRun()
    {
        var module = Module();
        var instance = HostLinker(module).Instantiate(_store, module);
        Assert.Equal(7, instance.GetFunction<int>("run")!());
        Assert.Equal(7, instance.GetFunction<int>("sumPoint")!());
        Assert.Equal("weft", instance.GetFunction<object>("getName")!());
        // Each "m" "dup" import took the definition of its own type.
        Assert.Equal(20 + 1.0, instance.GetFunction<double>("dups")!());
    }

    [Fact]
    public void AStandaloneTypeOfTheSameShapeIsNotTheModulesRecursiveType()
    {
        var module = Module();
        var linker = HostLinker(module);
        var array = module.GetGcType(0);
        // Same structure, but outside the module's recursion group: an exact, spec-conformant link refuses it.
        linker.DefineFunction("m", "len", WasmFunctionType.Create([array.Ref(nullable: true)], [ValType.I32]), (GcArray? a) => 0);
        Assert.Equal(2, linker.GetDefinitions("m", "len").Count);
        var instance = linker.Instantiate(_store, module); // the module's own type is still there and taken
        Assert.Equal(7, instance.GetFunction<int>("run")!());

        var only = new Linker();
        only.DefineFunction("m", "len", WasmFunctionType.Create([array.Ref(nullable: true)], [ValType.I32]), (GcArray? a) => 0);
        var e = Assert.Throws<LinkException>(() => only.Instantiate(_store, module));
        Assert.Equal("incompatible import type", e.Reason);
    }

    [Fact]
    public void WrongOrMissingDefinitionsGiveTheSpecMessages()
    {
        var module = Module();
        // "dup" defined for i32 and f32: no definition fits the (func (param f64) (result f64)) import.
        var noF64 = new Linker();
        noF64.DefineFunction("m", "len", FuncType(module, "len"), (GcArray? chars) => 0);
        noF64.DefineFunction("m", "mk", FuncType(module, "mk"), (int a, int b) => module.GetGcType(1).NewDefaultStruct());
        noF64.DefineFunction("m", "name", FuncType(module, "name"), () => (object)"x");
        noF64.Define("m", "dup", (int x) => x);
        noF64.Define("m", "dup", (float x) => x);
        noF64.Define("m", "g", GlobalI64());
        Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => noF64.Instantiate(_store, module)).Reason);
        var empty = new Linker();
        Assert.Equal("unknown import", Assert.Throws<LinkException>(() => empty.Instantiate(_store, module)).Reason);
        // The same name and type twice is still a duplicate.
        var strict = new Linker();
        strict.Define("m", "dup", (int x) => x);
        Assert.Throws<ArgumentException>(() => strict.Define("m", "dup", (int y) => y));
        // Shadowing replaces every definition of the name: the i32 one is gone.
        strict.Define("m", "dup", (double x) => x);
        strict.AllowShadowing = true;
        strict.Define("m", "dup", (float x) => x);
        Assert.Equal(ValType.F32, ((Function)Assert.Single(strict.GetDefinitions("m", "dup"))).Parameters[0]);
    }

    [Fact]
    public void TypedDelegatesMustFitTheWasmType()
    {
        var module = Module();
        var linker = new Linker();
        // (ref null $i16array) is never a struct, and i32 is not a long.
        Assert.Throws<ArgumentException>(() => linker.DefineFunction("m", "len", FuncType(module, "len"), (GcStruct? s) => 0));
        Assert.Throws<ArgumentException>(() => linker.DefineFunction("m", "len", FuncType(module, "len"), (GcArray? s) => 0L));
        Assert.Empty(linker.GetDefinitions("m", "len"));
    }

    [Fact]
    public void ReferenceResultsAreCheckedAgainstTheirWasmType()
    {
        var module = Module();
        var linker = HostLinker(module);
        linker.AllowShadowing = true;
        linker.DefineFunction("m", "name", FuncType(module, "name"), () => (object?)null);
        var instance = linker.Instantiate(_store, module);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<object>("getName")!());
        Assert.Equal(TrapKind.HostError, trap.Kind);

        // A struct of another type where (ref $point) is expected traps too, typed or untyped.
        var other = WasmModule.FromText("(module (type (struct (field f32))))").GetGcType(0);
        var typed = HostLinker(module);
        typed.AllowShadowing = true;
        typed.DefineFunction("m", "mk", FuncType(module, "mk"), (int a, int b) => other.NewDefaultStruct());
        Assert.Equal(TrapKind.HostError, Assert.Throws<TrapException>(() => typed.Instantiate(_store, module).GetFunction<int>("sumPoint")!()).Kind);
        var untyped = HostLinker(module);
        untyped.AllowShadowing = true;
        untyped.DefineFunction("m", "mk", FuncType(module, "mk"), (args, results) => results[0] = WasmValue.FromReference(other.NewDefaultStruct()));
        Assert.Equal(TrapKind.HostError, Assert.Throws<TrapException>(() => untyped.Instantiate(_store, module).GetFunction<int>("sumPoint")!()).Kind);
    }

    [Fact]
    public void ResolverAndExplicitListInstantiateWithoutALinker()
    {
        var module = Module();
        var point = module.GetGcType(1);
        var asked = new List<string>();
        Extern? Resolve(ModuleImport import)
        {
            asked.Add($"{import.Name}:{import.Type}");
            return import.Name switch
            {
                "len" => Function.FromDelegate((WasmFunctionType)import.Type, (GcArray? a) => a!.Length + 1),
                "mk" => Function.FromDelegate((WasmFunctionType)import.Type, (int a, int b) => point.NewStruct(WasmValue.FromInt32(a), WasmValue.FromInt32(b))),
                "name" => Function.FromDelegate((WasmFunctionType)import.Type, () => (object)"resolved"),
                // One name, two types: the resolver sees which one is asked for.
                "dup" when ((WasmFunctionType)import.Type).Parameters[0] == ValType.I32 => Function.FromDelegate((int x) => x),
                "dup" => Function.FromDelegate((double x) => x),
                "g" => GlobalI64(),
                _ => null,
            };
        }
        var instance = module.Instantiate(_store, Resolve);
        Assert.Equal(8, instance.GetFunction<int>("run")!());
        Assert.Equal("resolved", instance.GetFunction<object>("getName")!());
        Assert.Equal(2.5, instance.GetFunction<double>("dups")!());
        Assert.Equal(6, asked.Count);
        Assert.Equal("dup:(func (param f64) (result f64))", asked[4]);

        var list = module.Imports.Select(i => Resolve(i)!).ToArray();
        Assert.Equal(8, module.Instantiate(_store, list).GetFunction<int>("run")!());
        Assert.Equal("incompatible import type", Assert.Throws<LinkException>(() => module.Instantiate(_store, [list[0], list[1], list[2], list[4], list[3], list[5]])).Reason);
        Assert.Equal("unknown import", Assert.Throws<LinkException>(() => module.Instantiate(_store, list[..5])).Reason);
        Assert.Equal("unknown import", Assert.Throws<LinkException>(() => module.Instantiate(_store, i => i.Name == "g" ? null : Resolve(i))).Reason);
    }

    private sealed class Counter
    {
        public int Calls;
    }

    [Fact]
    public void AbstractReferenceTypesAndTheUntypedCallbackWithCallerAndStoreData()
    {
        var module = WasmModule.FromText("""
            (module
              (import "h" "take" (func $take (param anyref eqref i31ref structref arrayref exnref) (result i32)))
              (import "h" "log" (func $log (param i32 i32)))
              (type $s (struct))
              (type $a (array i8))
              (memory 1)
              (data (i32.const 8) "logged")
              (func (export "run") (result i32)
                (call $log (i32.const 8) (i32.const 6))
                (call $take (ref.i31 (i32.const 1)) (ref.i31 (i32.const 2)) (ref.i31 (i32.const 3))
                  (struct.new $s) (array.new_default $a (i32.const 4)) (ref.null exn))))
            """);
        _store.Data = new Counter();
        string? logged = null;
        var linker = new Linker();
        linker.DefineFunction("h", "take", (WasmFunctionType)module.Imports[0].Type,
            (object? any, object? eq, I31Ref? i31, GcStruct? s, GcArray? a, WasmException? exn) =>
                (int)((I31Ref)any!).Value + ((I31Ref)eq!).Value + i31!.Value + (s is null ? 0 : 10) + a!.Length * 100 + (exn is null ? 1000 : 0));
        linker.DefineFunction("h", "log", (WasmFunctionType)module.Imports[1].Type, (Caller caller, ReadOnlySpan<WasmValue> args, Span<WasmValue> results) =>
        {
            caller.GetData<Counter>().Calls++;
            logged = caller.Memory!.ReadString((uint)args[0].AsInt32(), args[1].AsInt32());
        });
        var instance = linker.Instantiate(_store, module);
        Assert.Equal(1 + 2 + 3 + 10 + 400 + 1000, instance.GetFunction<int>("run")!());
        Assert.Equal("logged", logged);
        Assert.Equal(1, _store.GetData<Counter>().Calls);
        Assert.Throws<InvalidOperationException>(() => _store.GetData<string>());
    }

    [Fact]
    public void TypedTuplesOfNarrowerClassesAreRepackedAndChecked()
    {
        var module = WasmModule.FromText("""
            (module
              (type $p (struct (field i32)))
              (import "h" "two" (func $two (result (ref $p) i32 funcref)))
              (func (export "run") (result i32)
                (local $f funcref) (local $n i32)
                (call $two)
                (local.set $f)
                (local.set $n)
                (struct.get $p 0)
                (i32.add (local.get $n))
                (i32.add (ref.is_null (local.get $f)))))
            """);
        var p = module.GetGcType(0);
        var type = (WasmFunctionType)module.Imports[0].Type;
        bool giveNull = false;
        var linker = new Linker();
        linker.DefineFunction("h", "two", type, () => (giveNull ? null : p.NewStruct(WasmValue.FromInt32(40)), 2, (Function?)null));
        var run = linker.Instantiate(_store, module).GetFunction<int>("run")!;
        Assert.Equal(40 + 2 + 1, run());
        giveNull = true; // (ref $p) is non-null: the first tuple element is checked
        Assert.Equal(TrapKind.HostError, Assert.Throws<TrapException>(() => run()).Kind);
    }

    [Fact]
    public void FunctionsDescribeTheirTypesAndBogusTypeIdsAreRefused()
    {
        var module = Module();
        var instance = HostLinker(module).Instantiate(_store, module);
        var run = instance.GetFunction("run")!;
        Assert.Equal([ValType.I32], run.Type.Results);
        Assert.Empty(run.Type.Parameters);
        Assert.Equal(FuncType(module, "len"), instance.Module.GetFunctionType(2));
        Assert.True(FuncType(module, "len").IsSubtypeOf(module.GetFunctionType(2)));
        Assert.Throws<ArgumentException>(() => module.GetFunctionType(0)); // an array type
        Assert.Throws<ArgumentException>(() => WasmFunctionType.Create([ValType.Ref(HeapType.Concrete(uint.MaxValue - 1), true)], []));
        Assert.Throws<ArgumentException>(() => WasmFunctionType.Create([ValType.Bottom], []));
        // Inferred from CLR types: GcArray is arrayref.
        Assert.Equal([ValType.ArrayRef], Function.FromDelegate((GcArray? a) => { }).Type.Parameters);
    }
}
