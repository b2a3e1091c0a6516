namespace Weft.Tests.Gc;

/// <summary>
/// Trap sites call a forwarder emitted into the function's own type (ModuleCompiler.TrapForwarder) rather than
/// TrapFactory.Create: the trap must still be the right kind, thrown from the wasm function itself, whose backtrace
/// lists only wasm functions, in eager and lazy compilation and in every type of a module.
/// </summary>
public sealed class TrapSiteTests
{
    private const string Casts = """
        (module (@name "casts")
          (type $a (struct (field i32)))
          (type $b (struct (field i64)))
          (func $get (@name "get") (param anyref) (result i32)
            (i32.add (struct.get $a 0 (ref.cast (ref $a) (local.get 0))) (i32.const 1)))
          (func $run (@name "run") (export "run") (param i32) (result i32)
            (i32.mul (call $get (if (result anyref) (local.get 0)
              (then (struct.new $a (i32.const 41)))
              (else (struct.new $b (i64.const 7))))) (i32.const 2)))
          (func (export "null") (result i32) (call $get (ref.null any))))
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CastAndNullTrapsKeepTheirKindAndWasmOnlyFrames(bool lazy)
    {
        using var engine = new Engine(new EngineOptions { LazyCompilation = lazy });
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, WasmModule.FromText(engine, Casts));
        var run = instance.GetFunction<int, int>("run")!;
        Assert.Equal(84, run(1));

        var cast = Assert.Throws<TrapException>(() => run(0));
        Assert.Equal(TrapKind.CastFailure, cast.Kind);
        Assert.Equal(["get", "run"], cast.Frames.Select(f => f.FunctionName));

        var onNull = Assert.Throws<TrapException>(() => instance.GetFunction<int>("null")!());
        Assert.Equal(TrapKind.CastFailure, onNull.Kind);
        Assert.Equal("get", onNull.Frames[0].FunctionName);
        Assert.Equal(84, run(1)); // the store stays usable after the traps
    }
}
