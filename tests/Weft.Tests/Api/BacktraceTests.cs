using Xunit.Abstractions;
using System.Reflection;

namespace Weft.Tests.Api;

/// <summary>
/// Wasm backtraces: traps and wasm exceptions list the wasm functions on their stack (<see cref="TrapException.Frames"/>),
/// named from the name section, and compiled methods carry those names; .NET failures of Weft itself are
/// <see cref="TrapKind.InternalError"/>, on typed and untyped calls alike.
/// </summary>
public sealed class BacktraceTests(ITestOutputHelper output) : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    // Each function does some work around its call so that it stays a frame of its own (a tiny leaf could be
    // inlined by RyuJIT, and an inlined function has no frame; see WasmFrame).
    private const string ThreeDeep = """
        (module (@name "calc")
          (func $outer (@name "outer") (export "outer") (param i32) (result i32)
            (i32.add (call $middle (i32.mul (local.get 0) (i32.const 3))) (i32.const 1)))
          (func $middle (@name "middle") (param i32) (result i32)
            (i32.xor (call $inner (i32.sub (local.get 0) (i32.const 3))) (i32.const 5)))
          (func $inner (@name "inner") (param i32) (result i32)
            (i32.div_s (i32.const 100) (local.get 0))))
        """;

    [Fact]
    public void ATrapFromAThreeDeepCallShowsThreeNamedFrames()
    {
        var instance = new Linker().Instantiate(_store, WasmModule.FromText(ThreeDeep));
        Assert.Equal(1 + (5 ^ 16), instance.GetFunction<int, int>("outer")!(3)); // 9-3 = 6; 100/6 = 16

        var untyped = Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Invoke(WasmValue.FromInt32(1)));
        var typed = Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("outer")!(1));
        foreach (var trap in new[] { untyped, typed })
        {
            Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
            Assert.Equal(["inner", "middle", "outer"], trap.Frames.Select(f => f.FunctionName));
            Assert.Equal([2, 1, 0], trap.Frames.Select(f => f.FunctionIndex));
            Assert.All(trap.Frames, f => Assert.Equal("calc", f.ModuleName));
            Assert.Equal("calc!inner", trap.Frames[0].ToString());
            Assert.Equal("    0: calc!inner\n    1: calc!middle\n    2: calc!outer\n", WasmFrame.Format(trap.Frames));
        }
    }

    [Fact]
    public void TextIdsNameFramesWithoutANameSectionAndAreNotWrittenAsOne()
    {
        const string text = """
            (module
              (func $leaf (unreachable))
              (func (call $leaf))
              (func $root (export "root") (call 1)))
            """;
        var module = WasmModule.FromText(text);
        var instance = new Linker().Instantiate(_store, module);
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("root")!());
        Assert.Equal(["leaf", null, "root"], trap.Frames.Select(f => f.FunctionName));
        // An @name annotation still wins, and the ids do not become a name section in the binary.
        Assert.Empty(module.GetCustomSections("name"));
        var binary = WasmModule.FromBytes(module.ToBinary());
        var again = Assert.Throws<TrapException>(() => new Linker().Instantiate(_store, binary).GetAction("root")!());
        Assert.All(again.Frames, f => Assert.Null(f.FunctionName));
        var annotated = WasmModule.FromText("(module (func $id (@name \"shown\") (export \"f\") (unreachable)))");
        var named = Assert.Throws<TrapException>(() => new Linker().Instantiate(_store, annotated).GetAction("f")!());
        Assert.Equal("shown", named.Frames[0].FunctionName);
    }

    [Fact]
    public void CompiledMethodsAreNamedAfterTheirFunctionsInDotNetStackTraces()
    {
        var instance = new Linker().Instantiate(_store, WasmModule.FromText(ThreeDeep));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("outer")!(1));
        Assert.Contains("inner$2(", trap.StackTrace);
        Assert.Contains("middle$1(", trap.StackTrace);
        Assert.Contains("outer$0(", trap.StackTrace);
    }

    [Fact]
    public void FramesOfABinaryModuleWithoutNamesHaveIndicesAndCodeOffsets()
    {
        // The binary from the text keeps no names (no @name annotations): wasmtime's placeholders are shown.
        byte[] binary = WasmModule.FromText("""
            (module
              (func (export "run") (call 1))
              (func unreachable))
            """).ToBinary();
        var module = WasmModule.FromBytes(binary);
        var instance = new Linker().Instantiate(_store, module);
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("run")!());
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal([1, 0], trap.Frames.Select(f => f.FunctionIndex));
        Assert.All(trap.Frames, f => Assert.Null(f.FunctionName));
        Assert.All(trap.Frames, f => Assert.Null(f.ModuleName));
        // The offset is where the function's code starts in the binary: function 1's body is the last bytes.
        int offset1 = trap.Frames[0].CodeOffset!.Value;
        int offset0 = trap.Frames[1].CodeOffset!.Value;
        Assert.True(offset0 < offset1 && offset1 < binary.Length);
        Assert.Equal(0x00, binary[offset1 - 1]); // no local declarations just before the code
        Assert.Equal(0x00, binary[offset1]); // unreachable
        Assert.Equal($"0x{offset1:x} - <unknown>!<wasm function 1>", trap.Frames[0].ToString());
    }

    [Fact]
    public void FramesOnBothSidesOfAHostFunctionAreKept()
    {
        var linker = new Linker();
        Function? again = null;
        linker.Define("env", "host", (int x) => again!.Invoke(WasmValue.FromInt32(x))[0].AsInt32());
        var instance = linker.Instantiate(_store, WasmModule.FromText("""
            (module
              (import "env" "host" (func $host (param i32) (result i32)))
              (func $enter (@name "enter") (export "enter") (param i32) (result i32)
                (i32.add (call $host (local.get 0)) (i32.const 7)))
              (func $fail (@name "fail") (export "fail") (param i32) (result i32)
                (if (i32.eqz (local.get 0)) (then unreachable))
                (i32.mul (local.get 0) (i32.const 2))))
            """));
        again = instance.GetFunction("fail");
        Assert.Equal(2 * 4 + 7, instance.GetFunction<int, int>("enter")!(4));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("enter")!(0));
        Assert.Equal(TrapKind.Unreachable, trap.Kind);
        Assert.Equal(["fail", "enter"], trap.Frames.Select(f => f.FunctionName));
        Assert.Equal([2, 1], trap.Frames.Select(f => f.FunctionIndex));
    }

    [Fact]
    public void AHostErrorCarriesTheFramesOfItsWasmCallers()
    {
        var linker = new Linker();
        linker.Define("env", "host", new Action<int>(_ => throw new InvalidOperationException("boom")));
        var instance = linker.Instantiate(_store, WasmModule.FromText("""
            (module
              (import "env" "host" (func $host (param i32)))
              (func $a (@name "a") (export "a") (param i32) (call $b (i32.add (local.get 0) (i32.const 1))) (drop (i32.const 0)))
              (func $b (@name "b") (param i32) (call $host (i32.mul (local.get 0) (i32.const 3))) (nop)))
            """));
        var trap = Assert.Throws<TrapException>(() => instance.GetAction<int>("a")!(1));
        Assert.Equal(TrapKind.HostError, trap.Kind);
        Assert.Equal(["b", "a"], trap.Frames.Select(f => f.FunctionName));
    }

    [Fact]
    public void AnUncaughtWasmExceptionCarriesTheFramesWhereItWasThrown()
    {
        var instance = new Linker().Instantiate(_store, WasmModule.FromText("""
            (module
              (tag $t (param i32))
              (func $top (@name "top") (export "top") (param i32) (call $deep (i32.add (local.get 0) (i32.const 1))))
              (func $deep (@name "deep") (param i32) (throw $t (i32.mul (local.get 0) (i32.const 2)))))
            """));
        var exception = Assert.Throws<WasmException>(() => instance.GetAction<int>("top")!(1));
        Assert.Equal(4, exception.Payload[0].AsInt32());
        // Between functions of one module the exception travels by return (the pending-exception protocol,
        // docs/RATIONALE.md) and is thrown by the entry of the outermost one, so its frames start there.
        Assert.Equal(["top"], exception.Frames.Select(f => f.FunctionName));
    }

    [Fact]
    public void ATrapNeverThrownHasNoFrames()
    {
        Assert.Empty(new TrapException(TrapKind.Unreachable).Frames);
    }

    public static int Broken(object context) => throw new NullReferenceException("a bug in the runtime");

    [Fact]
    public void ANonTrapExceptionOutOfCompiledCodeIsAnInternalErrorOnTypedAndUntypedCalls()
    {
        // Stands in for a bug in Weft: the function's entry point is replaced by a method that fails like one.
        var instance = new Linker().Instantiate(_store, WasmModule.FromText("(module (func (export \"f\") (result i32) (i32.const 1)))"));
        var function = instance.GetFunction("f")!;
        function.Code = typeof(BacktraceTests).GetMethod(nameof(Broken), BindingFlags.Public | BindingFlags.Static)!.MethodHandle.GetFunctionPointer();

        var untyped = Assert.Throws<TrapException>(() => function.Invoke());
        var typed = Assert.Throws<TrapException>(() => function.AsFunc<int>()());
        foreach (var trap in new[] { untyped, typed })
        {
            Assert.Equal(TrapKind.InternalError, trap.Kind);
            Assert.IsType<NullReferenceException>(trap.InnerException);
            Assert.Contains("a bug in the runtime", trap.Message);
        }
        // The store stays usable: the typed caller left it.
        Assert.Equal(1, new Linker().Instantiate(_store, WasmModule.FromText("(module (func (export \"g\") (result i32) (i32.const 1)))")).GetFunction<int>("g")!());
    }

    [Fact]
    public void FramesCostNothingUntilReadAndLittleWhenRead()
    {
        var instance = new Linker().Instantiate(_store, WasmModule.FromText(ThreeDeep));
        var outer = instance.GetFunction<int, int>("outer")!;
        const int Traps = 2000;
        TrapException? last = null;
        double TimeTraps(bool read)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < Traps; i++)
            {
                try
                {
                    outer(1);
                }
                catch (TrapException e)
                {
                    last = e;
                    if (read && e.Frames.Count != 3) throw new InvalidOperationException("frames lost");
                }
            }
            return watch.Elapsed.TotalMicroseconds / Traps;
        }
        TimeTraps(read: true); // warm up both paths
        double plain = double.MaxValue, reading = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            plain = Math.Min(plain, TimeTraps(read: false));
            reading = Math.Min(reading, TimeTraps(read: true));
        }
        output.WriteLine($"trap through 3 frames: {plain:F1} us; with Frames read: {reading:F1} us");
        Assert.Equal(3, last!.Frames.Count);
        // Reading the frames walks a stack trace .NET has already captured (measured 2.6 us per trap, 15 us with the
        // frames read, on the loaded 2-core machine; the bound is generous for noise).
        Assert.True(reading < plain * 5 + 50, $"reading frames: {reading:F1} us per trap against {plain:F1} us");
    }
}
