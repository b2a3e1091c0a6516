using Weft.Fuzz;

namespace Weft.Tests.Fuzz;

/// <summary>The fuzzing-support host: Weft's trace of a hand-written module is what binaryen's fuzz-exec prints.</summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzHostTests(OracleFixture fixture) : IClassFixture<OracleFixture>
{
    // Export indexes (call-export-catch takes one): g 0, a 1, b 2, c 3, d 4, e 5, t 6, x 7.
    private const string Module = """
        (module
          (import "fuzzing-support" "log-i32" (func $log (param i32)))
          (import "fuzzing-support" "log-i64" (func $log64 (param i64)))
          (import "fuzzing-support" "throw" (func $throw (param i32)))
          (import "fuzzing-support" "call-export-catch" (func $cec (param i32) (result i32)))
          (import "fuzzing-support" "wasmtag" (tag $wt (param i32)))
          (global (export "g") i32 (i32.const 7))
          (func (export "a") (result i32) (call $log (i32.const 3)) (call $log64 (i64.const 0x100000002)) (i32.const 42))
          (func (export "b") (call $throw (i32.const 5)))
          (func (export "c") (result i32) (call $cec (i32.const 2)))
          (func (export "d") (param i64) (result f32) (f32.const 1.5))
          (func (export "e") (result i32) (call $cec (i32.const 0)))
          (func (export "t") unreachable)
          (func (export "x") (result i32)
            (block $h (result i32)
              (try_table (catch $wt $h) (call $throw (i32.const 9)))
              (i32.const 0)))
        )
        """;

    // What binaryen 132's `wasm-opt --fuzz-exec-before` prints for it (checked against the oracle below).
    private const string Expected = """
        [fuzz-exec] export g
        [LoggingExternalInterface logging 7]
        [fuzz-exec] export a
        [LoggingExternalInterface logging 3]
        [LoggingExternalInterface logging 2 1]
        [fuzz-exec] note result: a => 42
        [fuzz-exec] export b
        [exception thrown: imported-wasm-tag 5]
        [fuzz-exec] export c
        [fuzz-exec] note result: c => 1
        [fuzz-exec] export d
        [fuzz-exec] note result: d => 1.5
        [fuzz-exec] export e
        [fuzz-exec] note result: e => 1
        [fuzz-exec] export t
        [trap unreachable]
        [fuzz-exec] export x
        [fuzz-exec] note result: x => 9

        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Weft_prints_binaryens_trace_for_the_fuzzing_support_imports(bool tiered)
    {
        var (trace, hostLimit) = FuzzHost.Run(WasmModule.FromText(Module), tiered);
        Assert.False(hostLimit);
        Assert.Null(TraceComparer.Compare(Expected, trace));
        Assert.Contains("[LoggingExternalInterface logging 2 1]", trace);   // an i64 as its two halves, low first
    }

    [SkippableFact]
    public void Binaryen_prints_the_expected_trace_for_the_module()
    {
        var oracle = fixture.Require();
        string path = Path.Combine(Path.GetTempPath(), $"weft-fuzzhost-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(path, WasmModule.FromText(Module).ToBinary());
        try
        {
            var result = oracle.Run("wasm-opt", path, "-all", "--fuzz-exec-before", "-o", path + ".out");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(Expected.Replace("\r", ""), result.Stdout);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".out");
        }
    }
}
