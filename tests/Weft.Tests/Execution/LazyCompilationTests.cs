using System.Text;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// Lazy code generation (EngineOptions.LazyCompilation, opt-in): a function's IL is emitted when it is first
/// called, with the uncompiled functions it calls directly; failures of that compilation are Weft exceptions of the
/// call; stores on several threads share one module's lazily compiled code.
/// </summary>
public class LazyCompilationTests
{
    private const string Chain = """
        (module
          (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
          (func $mid (export "mid") (param i32) (result i32) (call $leaf (i32.add (local.get 0) (i32.const 1))))
          (func $cold (export "cold") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
          (func $other (export "other") (param i32) (result i32) (call $leaf (local.get 0))))
        """;

    private static LazyCompiler LazyOf(WasmModule module, Store store) =>
        ((CompiledModule)module.CompiledFor(store.CodeOptions)).Lazy ?? throw new InvalidOperationException("not lazy");

    private static int Call(Instance instance, string name, int argument) =>
        instance.GetFunction(name)!.Invoke(WasmValue.FromInt32(argument))[0].AsInt32();

    [Fact]
    public void AFunctionIsCompiledOnItsFirstCallWithItsDirectCallees()
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = true });
        var module = WasmModule.FromText(engine, Chain);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var lazy = LazyOf(module, store);
        Assert.Equal(0, lazy.CompiledFunctions);

        Assert.Equal(15, Call(instance, "mid", 4));
        Assert.Equal(2, lazy.CompiledFunctions); // mid and leaf, in one batch
        Assert.Equal(1, lazy.Batches);

        // leaf is compiled already: other's batch is other alone, and its call of leaf is direct.
        Assert.Equal(21, Call(instance, "other", 7));
        Assert.Equal(3, lazy.CompiledFunctions);
        Assert.Equal(2, lazy.Batches);

        // A second call compiles nothing; cold was never called and never compiled until now.
        Assert.Equal(15, Call(instance, "mid", 4));
        Assert.Equal(3, lazy.CompiledFunctions);
        Assert.Equal(9, Call(instance, "cold", 10));
        Assert.Equal(4, lazy.CompiledFunctions);
    }

    [Fact]
    public void AnInstanceCreatedAfterCompilationCallsTheBodiesAndTablesReachThem()
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = true });
        var module = WasmModule.FromText(engine, """
            (module
              (type $t (func (param i32) (result i32)))
              (table funcref (elem $inc $dbl))
              (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
              (func (export "via") (param i32 i32) (result i32) (call_indirect (type $t) (local.get 0) (local.get 1))))
            """);
        using var store = new Store(engine);
        var first = new Linker(engine).Instantiate(store, module);
        Assert.Equal(6, first.GetFunction("via")!.Invoke(WasmValue.FromInt32(5), WasmValue.FromInt32(0))[0].AsInt32());
        Assert.Equal(10, first.GetFunction("via")!.Invoke(WasmValue.FromInt32(5), WasmValue.FromInt32(1))[0].AsInt32());
        var second = new Linker(engine).Instantiate(store, module);
        Assert.Equal(8, second.GetFunction("via")!.Invoke(WasmValue.FromInt32(4), WasmValue.FromInt32(1))[0].AsInt32());
        Assert.Equal(3, LazyOf(module, store).CompiledFunctions);
    }

    // "bad" has more try blocks than one function may have (FunctionCompiler.MaxTries): an implementation limit the
    // compiler reports when it compiles that function.
    private static string WithTooManyTries()
    {
        var text = new StringBuilder("""
            (module
              (func $good (export "good") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func $caller (export "caller") (param i32) (result i32) (call $bad (local.get 0)))
              (func $bad (export "bad") (param i32) (result i32)
                (block $out

            """);
        for (int i = 0; i <= FunctionCompiler.MaxTries; i++) text.Append("(try_table (catch_all $out) nop)\n");
        text.Append(") (local.get 0)))");
        return text.ToString();
    }

    [Fact]
    public void ALimitHitWhileCompilingLazilyIsACompilationExceptionOfTheCallAndTheStoreStaysUsable()
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = true });
        var module = WasmModule.FromText(engine, WithTooManyTries());
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);

        var e = Assert.Throws<CompilationException>(() => Call(instance, "bad", 1));
        Assert.Contains("try blocks", e.Message);
        // Again, the same failure (not a half-compiled function).
        Assert.Throws<CompilationException>(() => Call(instance, "bad", 1));
        // A caller of the function compiles (alone, after its batch with bad failed) and its call fails the same way.
        Assert.Throws<CompilationException>(() => Call(instance, "caller", 1));
        // The store runs other code.
        Assert.Equal(42, Call(instance, "good", 41));
        Assert.Equal(43, Call(new Linker(engine).Instantiate(store, module), "good", 42));
    }

    [Fact]
    public void EagerCompilationReportsTheLimitAtInstantiation()
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = false });
        var module = WasmModule.FromText(engine, WithTooManyTries());
        using var store = new Store(engine);
        Assert.Throws<CompilationException>(() => new Linker(engine).Instantiate(store, module));

        var chain = WasmModule.FromText(engine, Chain);
        Assert.Null(((CompiledModule)chain.CompiledFor(store.CodeOptions)).Lazy);
        Assert.Equal(15, Call(new Linker(engine).Instantiate(store, chain), "mid", 4));
    }

    [Fact]
    public void StoresOnTwoThreadsCallTheSameUncompiledFunctionsAtOnce()
    {
        const int functions = 64;
        var text = new StringBuilder("(module\n");
        for (int f = 0; f < functions; f++)
        {
            text.Append($"(func (export \"f{f}\") (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const {f + 2})) (i32.const {f})))\n");
        }
        text.Append(')');
        for (int round = 0; round < 5; round++)
        {
            var engine = new Engine(new EngineOptions { LazyCompilation = true });
            var module = WasmModule.FromText(engine, text.ToString());
            ConcurrentThreads.Run(2, (t, start) =>
            {
                using var store = new Store(engine);
                var instance = new Linker(engine).Instantiate(store, module);
                start.SignalAndWait();
                for (int f = 0; f < functions; f++)
                {
                    int x = t * 100 + f;
                    Assert.Equal(x * (f + 2) + f, Call(instance, $"f{f}", x));
                }
            });
            using var check = new Store(engine);
            // Every function compiled once, each in a batch of its own (they call nothing).
            Assert.Equal(functions, LazyOf(module, check).CompiledFunctions);
            Assert.Equal(functions, LazyOf(module, check).Batches);
        }
    }

    [Fact]
    public void ATrapInALazilyCompiledFunctionShowsNoStubFrames()
    {
        var engine = new Engine(new EngineOptions { LazyCompilation = true });
        var module = WasmModule.FromText(engine, """
            (module
              (func $boom (unreachable))
              (func $via (export "via") (call $boom)))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        var e = Assert.Throws<TrapException>(() => instance.GetFunction("via")!.Invoke());
        Assert.Equal(TrapKind.Unreachable, e.Kind);
        Assert.Equal("boom via", string.Join(" ", e.Frames.Select(f => f.FunctionName)));
    }
}
