using Weft.Compilation;

namespace Weft.Tests.Exceptions;

/// <summary>
/// Flat mode (functions with many try blocks: one IL region per method, a state local naming the try whose
/// dispatch a caught exception re-enters; see FunctionCompiler.Exceptions.cs) on the shapes where a stale state or
/// a lost operand would show: each test runs forced flat and in the ordinary per-region lowering, and both must
/// give the wasm result.
/// </summary>
public sealed class FlatLoweringTests
{
    private const string Module = """
        (module
          (type $ft (func (param i32) (result i32)))
          (tag $e (param i32))
          (table 1 funcref)
          (elem (i32.const 0) func $throw-e-result)
          (func $nop)
          (func $throw-e (param i32) (throw $e (local.get 0)))
          (func $throw-e-result (param i32) (result i32) (throw $e (local.get 0)))
          (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))

          ;; br out of an inner try (after a call in it), then a call that throws: the outer try catches, not the
          ;; exited inner one. 1 is right, 2 means the inner handler ran.
          (func (export "br-out-then-call") (result i32)
            (block $outer-caught
              (try_table (catch_all $outer-caught)
                (block $inner-caught
                  (block $left
                    (try_table (catch_all $inner-caught)
                      (call $nop)
                      (br $left))
                    (return (i32.const 99)))
                  (call $throw-e (i32.const 0))
                  (return (i32.const 98)))
                (return (i32.const 2))))
            (i32.const 1))

          ;; The same with a direct throw after leaving.
          (func (export "br-out-then-throw") (result i32)
            (block $outer-caught
              (try_table (catch_all $outer-caught)
                (block $inner-caught
                  (block $left
                    (try_table (catch_all $inner-caught)
                      (call $nop)
                      (br $left))
                    (return (i32.const 99)))
                  (throw $e (i32.const 0)))
                (return (i32.const 2))))
            (i32.const 1))

          ;; A caught exception, then at function level (no try open) a call that throws: to the caller, with its
          ;; payload (a stale state would send it back to the finished try's dispatch).
          (func (export "caught-then-uncaught") (param i32)
            (block $h
              (try_table (catch_all $h) (call $throw-e (i32.const 1))))
            (call $throw-e (local.get 0)))

          ;; throw_ref of an exception caught by an inner try_table, to the outer one's catch of its tag.
          (func (export "throw-ref-to-outer") (result i32)
            (block $outer (result i32)
              (try_table (result i32) (catch $e $outer)
                (block $inner (result exnref)
                  (try_table (catch_all_ref $inner) (call $throw-e (i32.const 5)))
                  (unreachable))
                (throw_ref))))

          ;; Legacy rethrow from a catch_all to the enclosing try's catch.
          (func (export "rethrow-to-outer") (result i32)
            (try (result i32)
              (do
                (try (result i32)
                  (do (call $throw-e (i32.const 6)) (i32.const 0))
                  (catch_all (rethrow 0))))
              (catch $e)))

          ;; delegate to an outer try skips the catch_all between.
          (func (export "delegate-to-outer") (result i32)
            (try $t (result i32)
              (do
                (try (result i32)
                  (do
                    (try (result i32)
                      (do (call $throw-e (i32.const 8)) (i32.const 0))
                      (delegate $t)))
                  (catch_all (i32.const 100))))
              (catch $e)))

          ;; delegate to the function label: to the caller, past the catch_all around it.
          (func $delegate-to-caller (param i32) (result i32)
            (try (result i32)
              (do
                (try (result i32)
                  (do (call $throw-e (local.get 0)) (i32.const 0))
                  (delegate 1)))
              (catch_all (i32.const 100))))
          (func (export "delegate-to-caller") (param i32) (result i32)
            (call $delegate-to-caller (local.get 0)))
          (func (export "delegate-to-caller-caught") (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call $delegate-to-caller (i32.const 9)))))

          ;; An exception from a function called through a table, caught with its payload.
          (func (export "from-indirect-callee") (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call_indirect (type $ft) (i32.const 11) (i32.const 0)))))

          ;; A trap in a callee passes every catch_all.
          (func (export "trap-passes") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h)
                (block $h2 (result exnref)
                  (try_table (catch_all_ref $h2)
                    (return (call $div (local.get 0))))
                  (unreachable))
                (drop)
                (return (i32.const -2))))
            (i32.const -1))

          ;; Values below the try and locals set in it survive the catch, each of ten times round a loop.
          (func (export "loop-catch") (result i32) (local $i i32) (local $n i32)
            (i32.const 1000)
            (loop $l (param i32) (result i32)
              (block $h
                (try_table (catch_all $h)
                  (local.set $n (i32.add (local.get $n) (local.get $i)))
                  (call $throw-e (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
            (local.get $n)
            (i32.add))

          ;; return_call_indirect inside a try: the callee's exception is the caller's, not this try's.
          (func $tail (param i32) (result i32)
            (block $h
              (try_table (catch_all $h)
                (return_call_indirect (type $ft) (local.get 0) (i32.const 0))))
            (i32.const -1))
          (func (export "tail-call-in-try") (result i32)
            (block $h (result i32)
              (try_table (result i32) (catch $e $h)
                (call $tail (i32.const 12)))))
        )
        """;

    public static TheoryData<bool> Modes => [true, false];

    /// <summary>Compiles and instantiates the module with flat mode forced or not, and runs the check.</summary>
    private static void With(bool flat, Action<Instance> check)
    {
        FunctionCompiler.ForceFlat.Value = flat;
        try
        {
            using var store = new Store();
            check(Wasm.Instantiate(store, Module));
        }
        finally
        {
            FunctionCompiler.ForceFlat.Value = false;
        }
    }

    private static int Payload(WasmException e) => e.Payload.Single().AsInt32();

    [Theory]
    [MemberData(nameof(Modes))]
    public void BranchOutOfATryThenRaiseGoesToTheOuterTry(bool flat) => With(flat, instance =>
    {
        Assert.Equal(1, instance.CallI32("br-out-then-call"));
        Assert.Equal(1, instance.CallI32("br-out-then-throw"));
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void AnExceptionAfterACatchAtFunctionLevelReachesTheCaller(bool flat) => With(flat, instance =>
    {
        var e = Assert.Throws<WasmException>(() => instance.Call("caught-then-uncaught", WasmValue.FromInt32(4)));
        Assert.Equal(4, Payload(e));
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void RethrowAndThrowRefReachTheOuterTry(bool flat) => With(flat, instance =>
    {
        Assert.Equal(5, instance.CallI32("throw-ref-to-outer"));
        Assert.Equal(6, instance.CallI32("rethrow-to-outer"));
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void DelegateReachesTheOuterTryOrTheCaller(bool flat) => With(flat, instance =>
    {
        Assert.Equal(8, instance.CallI32("delegate-to-outer"));
        Assert.Equal(9, instance.CallI32("delegate-to-caller-caught"));
        var e = Assert.Throws<WasmException>(() => instance.Call("delegate-to-caller", WasmValue.FromInt32(10)));
        Assert.Equal(10, Payload(e));
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void ExceptionsFromCalleesAreCaught(bool flat) => With(flat, instance =>
    {
        Assert.Equal(11, instance.CallI32("from-indirect-callee"));
        Assert.Equal(12, instance.CallI32("tail-call-in-try"));
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void TrapsPassThroughCatchAll(bool flat) => With(flat, instance =>
    {
        Assert.Equal(1, instance.CallI32("trap-passes", WasmValue.FromInt32(1)));
        var e = Assert.Throws<TrapException>(() => instance.Call("trap-passes", WasmValue.FromInt32(0)));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
    });

    [Theory]
    [MemberData(nameof(Modes))]
    public void OperandsAndLocalsSurviveRepeatedCatches(bool flat) => With(flat, instance =>
    {
        Assert.Equal(1000 + 45, instance.CallI32("loop-catch"));
    });

    /// <summary>Random nests of handlers and branches give the same outcome in flat mode as in the per-region lowering.</summary>
    [Fact]
    public void RandomHandlerProgramsBehaveTheSameFlat()
    {
        const int functions = 25;
        for (int seed = 0; seed < 8; seed++)
        {
            string text = RandomHandlerPrograms.Module(seed, functions);
            string[] Outcomes(bool flat)
            {
                var outcomes = new List<string>();
                FunctionCompiler.ForceFlat.Value = flat;
                try
                {
                    using var store = new Store();
                    var instance = Wasm.Instantiate(store, text);
                    for (int f = 0; f < functions; f++)
                    {
                        for (int argument = 0; argument < 4; argument++)
                        {
                            try
                            {
                                outcomes.Add($"f{f}({argument}) = {instance.CallI32($"f{f}", argument)}");
                            }
                            catch (WeftException e)
                            {
                                outcomes.Add($"f{f}({argument}): {e.GetType().Name} {(e as WasmException)?.Payload.Count}");
                            }
                        }
                    }
                }
                finally
                {
                    FunctionCompiler.ForceFlat.Value = false;
                }
                return [.. outcomes];
            }
            Assert.Equal(Outcomes(flat: false), Outcomes(flat: true));
        }
    }
}
