using System.Runtime.CompilerServices;
using System.Text;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Tests.Api;

public class EngineTests
{
    // A distinct struct type per number (its 14 fields spell the number in i32/i64), and a function whose body lacks
    // its result: the module fails validation after its types were canonicalized.
    private static string InvalidModule(int number)
    {
        var text = new StringBuilder("(module (type (struct");
        for (int bit = 0; bit < 14; bit++) text.Append((number >> bit & 1) == 0 ? " (field i32)" : " (field i64)");
        text.Append(")) (func (result i32)))");
        return text.ToString();
    }

    [Fact]
    public void RejectedModulesLeaveNoTypesAndADisposedEngineNone()
    {
        var engine = new Engine();
        for (int i = 0; i < 10_000; i++)
        {
            var error = Assert.Throws<InvalidModuleException>(() => WasmModule.FromText(engine, InvalidModule(i)));
            Assert.Contains("type mismatch", error.Message);
        }
        // Released as each module was rejected, not only at the engine's end.
        Assert.Equal(0, engine.TypeCount);

        var valid = WasmModule.FromText(engine, "(module (type (struct (field i32) (field i64))))");
        Assert.Equal(1, engine.TypeCount);
        var weak = WeakTypeOf(valid);
        engine.Dispose();
        Assert.Equal(0, engine.TypeCount);
        valid = null;
        Collect();
        Assert.False(weak.IsAlive, "a disposed engine's canonical type stayed reachable");
        Assert.Throws<ObjectDisposedException>(() => WasmModule.FromText(engine, "(module)"));
    }

    [Fact]
    public void TheDefaultEngineReleasesRejectedModulesTypesToo()
    {
        // Other tests may add types to the default engine meanwhile, so the bound is loose; without the release it
        // grew by one type per module.
        int before = Engine.Default.TypeCount;
        for (int i = 0; i < 2_000; i++) Assert.Throws<InvalidModuleException>(() => WasmModule.FromText(InvalidModule(i)));
        Assert.True(Engine.Default.TypeCount - before < 500, $"{Engine.Default.TypeCount - before} types stayed registered");
    }

    [Fact]
    public void ASharedGroupSurvivesTheRejectionOfAnotherModuleUsingIt()
    {
        using var engine = new Engine();
        var valid = WasmModule.FromText(engine, "(module (type (struct (field i32))))");
        var type = valid.GetGcType(0);
        // The same group, held a second time by a module that is then rejected: the first still holds it.
        Assert.Throws<InvalidModuleException>(() => WasmModule.FromText(engine, "(module (type (struct (field i32))) (func (result i32)))"));
        Assert.Equal(1, engine.TypeCount);
        Assert.Same(type, WasmModule.FromText(engine, "(module (type (struct (field i32))))").GetGcType(0));
    }

    [Fact]
    public void EnginesDoNotShareTypes()
    {
        using var a = new Engine();
        using var b = new Engine();
        const string text = "(module (type (struct (field i32))))";
        Assert.NotSame(WasmModule.FromText(a, text).GetGcType(0), WasmModule.FromText(b, text).GetGcType(0));
        Assert.Same(WasmModule.FromText(a, text).GetGcType(0), WasmModule.FromText(a, text).GetGcType(0));
    }

    [Fact]
    public void AModuleOfOneEngineIsRefusedByAStoreOfAnother()
    {
        using var a = new Engine();
        using var b = new Engine();
        var module = WasmModule.FromText(a, "(module (func (export \"f\")))");
        using var store = new Store(b);
        var error = Assert.Throws<ArgumentException>(() => new Linker(b).Instantiate(store, module));
        Assert.Contains("another engine", error.Message);
        // And with the default engine's linker and store.
        using var defaultStore = new Store();
        Assert.Throws<ArgumentException>(() => new Linker().Instantiate(defaultStore, module));
    }

    [Fact]
    public void ImportsOfAnotherEngineAreALinkError()
    {
        using var a = new Engine();
        using var b = new Engine();
        var module = WasmModule.FromText(a, """
            (module (import "env" "f" (func (param i32))) (import "env" "t" (tag (param i32))))
            """);
        using var store = new Store(a);
        // Host function and tag typed in engine b (the linker's engine and the tag's).
        var foreign = new Linker(b).DefineFunction("env", "f", (int x) => { }).Define("env", "t", new Tag(b, ValType.I32));
        var error = Assert.Throws<LinkException>(() => foreign.Instantiate(store, module));
        Assert.Contains("another engine", error.Message);

        var local = new Linker(a).DefineFunction("env", "f", (int x) => { });
        local.Define("env", "t", new Tag(ValType.I32));        // the default engine's tag
        error = Assert.Throws<LinkException>(() => local.Instantiate(store, module));
        Assert.Contains("\"env\" \"t\" belongs to another engine", error.Message);

        // The same imports from engine a link.
        new Linker(a).DefineFunction("env", "f", (int x) => { }).Define("env", "t", new Tag(a, ValType.I32)).Instantiate(store, module);
    }

    [Fact]
    public void EngineOptionsAreTheDefaultsOfItsStores()
    {
        using var engine = new Engine(new EngineOptions { ConsumeFuel = true, Interruptible = true });
        using var store = new Store(engine);
        Assert.True(store.ConsumeFuel);
        Assert.True(store.Interruptible);
        using var off = new Store(engine) { ConsumeFuel = false };
        Assert.False(off.ConsumeFuel);
        var module = WasmModule.FromText(engine, "(module (func (export \"spin\") (loop (br 0))))");
        store.Fuel = 1000;
        var spin = new Linker(engine).Instantiate(store, module).GetFunction("spin")!;
        Assert.Equal(TrapKind.OutOfFuel, Assert.Throws<TrapException>(() => spin.Invoke()).Kind);
    }

    [Fact]
    public void DisposingTheDefaultEngineDoesNothing()
    {
        Engine.Default.Dispose();
        Assert.False(Engine.Default.IsDisposed);
        Assert.NotNull(WasmModule.FromText("(module)"));
    }

    [Fact]
    public void ADisposedEnginesGeneratedCodeIsCollected()
    {
        var (engine, weak) = UseEngine();
        engine.Dispose();
        // The background JIT may be compiling the module's methods right now (a batch it holds for that while), so
        // allow it a few seconds to let go.
        var alive = new List<string>();
        for (int round = 0; round < 50; round++)
        {
            Collect();
            alive = weak.Where(w => w.Item2.IsAlive).Select(w => w.Item1).ToList();
            if (alive.Count == 0) break;
            Thread.Sleep(100);
        }
        Assert.True(alive.Count == 0, $"reachable after the engine was disposed: {string.Join(", ", alive)}");
    }

    // Everything the engine generates once used: a struct class (allocated by wasm and by the host), a host adapter,
    // an invoke stub and a compiled module.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Engine, List<(string, WeakReference)>) UseEngine()
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, """
            (module
              (type $point (struct (field (mut i32)) (field i64)))
              (import "env" "twice" (func $twice (param i32) (result i32)))
              (func (export "make") (param i32) (result (ref $point))
                (struct.new $point (call $twice (local.get 0)) (i64.const 7))))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).DefineFunction("env", "twice", (int x) => 2 * x).Instantiate(store, module);
        var point = (GcStruct)instance.GetFunction("make")!.Invoke(WasmValue.FromInt32(21))[0].AsReference()!;
        Assert.Equal(42, point.GetInt32(0));
        var host = (GcStruct)module.GetGcType(0).NewStruct(1, 2L);
        Assert.Same(point.GetType(), host.GetType());
        Assert.True(point.GetType().Assembly.IsCollectible, "the struct class is not in a collectible assembly");
        return (engine, [
            ("the struct class", new WeakReference(point.GetType())),
            ("the canonical type", new WeakReference(module.Valid.Types[0])),
            ("the compiled module", new WeakReference(module.Compiled)),
            ("the compiled module's class", new WeakReference(((Weft.Compilation.CompiledModule)module.Compiled).ContextType)),
            ("the module", new WeakReference(module)),
        ]);
    }

    [Fact]
    public void TieredCompilationNeedsANonCollectibleEngine()
    {
        using var collectible = new Engine();
        using var store = new Store(collectible) { TieredCompilation = true };
        var module = WasmModule.FromText(collectible, "(module (func (export \"f\")))");
        Assert.Throws<CompilationException>(() => new Linker(collectible).Instantiate(store, module));

        Assert.Throws<ArgumentException>(() => new Engine(new EngineOptions { TieredCompilation = true }));
        using var fixedCode = new Engine(new EngineOptions { Collectible = false, TieredCompilation = true });
        using var tieredStore = new Store(fixedCode);
        Assert.True(tieredStore.TieredCompilation);
        var fixedModule = WasmModule.FromText(fixedCode, "(module (type (struct (field i32))) (func (export \"f\") (result i32) (struct.get 0 0 (struct.new 0 (i32.const 5)))))");
        Assert.Equal(5, new Linker(fixedCode).Instantiate(tieredStore, fixedModule).GetFunction("f")!.Invoke()[0].AsInt32());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakTypeOf(WasmModule? module) => new(module!.Valid.Types[0]);

    internal static void Collect()
    {
        // Collectible assemblies take several collections: their loader allocator is freed only after the objects
        // and types keeping it alive are.
        for (int i = 0; i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
