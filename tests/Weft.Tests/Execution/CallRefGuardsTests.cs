using System.Reflection;
using Weft.Compilation;
using Weft.Runtime;

namespace Weft.Tests.Execution;

/// <summary>
/// Guarded direct calls for call_ref and replay clones (Compilation/CallRefTargets.cs), and null checks left out on
/// operands the validator knows are non-null (FunctionCompiler.Nullability.cs): results, traps and their backtraces
/// through the inlined clones, functions of another instance (same code, other context) taking the general path, null
/// function references, and which functions get clones.
/// </summary>
public sealed class CallRefGuardsTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    // $addCode/$mulCode: replayable leaves (read only, may trap in their cast); $composeCode calls. $bias is a global
    // of the instance, so a closure of another instance computes with that instance's bias.
    private const string Module = """
        (module (@name "closures")
          (rec
            (type $fn (func (param (ref $clo) i32) (result i32)))
            (type $clo (sub (struct (field $code (ref $fn)))))
            (type $add (sub final $clo (struct (field $code (ref $fn)) (field $k i32))))
            (type $mul (sub final $clo (struct (field $code (ref $fn)) (field $k i32))))
            (type $compose (sub final $clo (struct (field $code (ref $fn)) (field $f (ref $clo)) (field $g (ref $clo))))))
          (type $nfn (func (param i32) (result i32)))
          (global $bias (mut i32) (i32.const 0))
          (elem declare func $addCode $mulCode $composeCode)
          (func $addCode (@name "addCode") (type $fn)
            (i32.add (global.get $bias) (i32.add (local.get 1) (struct.get $add $k (ref.cast (ref $add) (local.get 0))))))
          (func $mulCode (@name "mulCode") (type $fn) (i32.mul (local.get 1) (struct.get $mul $k (ref.cast (ref $mul) (local.get 0)))))
          (func $composeCode (@name "composeCode") (type $fn)
            (local $c (ref $compose))
            (local.set $c (ref.cast (ref $compose) (local.get 0)))
            (call $apply (struct.get $compose $f (local.get $c)) (call $apply (struct.get $compose $g (local.get $c)) (local.get 1))))
          (func $apply (@name "apply") (export "apply") (param $c (ref $clo)) (param $x i32) (result i32)
            (call_ref $fn (local.get $c) (local.get $x) (struct.get $clo $code (local.get $c))))
          (func (export "setBias") (param i32) (global.set $bias (local.get 0)))
          (func (export "add") (param i32) (result (ref $clo)) (struct.new $add (ref.func $addCode) (local.get 0)))
          (func (export "mul") (param i32) (result (ref $clo)) (struct.new $mul (ref.func $mulCode) (local.get 0)))
          ;; A closure whose code does not match its shape: $addCode's cast fails.
          (func (export "bad") (result (ref $clo)) (struct.new $mul (ref.func $addCode) (i32.const 1)))
          (func (export "compose") (param (ref $clo)) (param (ref $clo)) (result (ref $clo))
            (struct.new $compose (ref.func $composeCode) (local.get 0) (local.get 1)))
          (func $run (@name "run") (export "run") (param $c (ref $clo)) (param $n i32) (result i32)
            (local $acc i32) (local $i i32)
            (loop $l
              (local.set $acc (call $apply (local.get $c) (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc))
          (func (export "callNull") (param i32) (result i32)
            (call_ref $nfn (local.get 0) (ref.null $nfn))))
        """;

    private Instance Instantiate() => new Linker().Instantiate(_store, WasmModule.FromText(Module));

    private static object Ref(Instance instance, string export, params WasmValue[] args) =>
        instance.GetFunction(export)!.Invoke(args)[0].AsReference()!;

    private static int Run(Instance instance, object closure, int n) =>
        instance.GetFunction("run")!.Invoke(WasmValue.FromReference(closure), WasmValue.FromInt32(n))[0].AsInt32();

    [Fact]
    public void GuardedSitesComputeWhatTheClosuresSay()
    {
        var instance = Instantiate();
        var add3 = Ref(instance, "add", WasmValue.FromInt32(3));
        var mul5 = Ref(instance, "mul", WasmValue.FromInt32(5));
        var both = Ref(instance, "compose", WasmValue.FromReference(add3), WasmValue.FromReference(mul5));
        Assert.Equal(3 * 1000, Run(instance, add3, 1000));
        Assert.Equal(0, Run(instance, mul5, 1000));
        // compose(f, g)(x) = f(g(x)) = 5x + 3, applied 10 times from 0.
        int expected = 0;
        for (int i = 0; i < 10; i++) expected = unchecked(5 * expected + 3);
        Assert.Equal(expected, Run(instance, both, 10));
    }

    [Fact]
    public void ReplayableLeavesGetAnInliningCloneAndOthersDoNot()
    {
        var instance = Instantiate();
        var code = Assert.IsType<CompiledModule>(instance.Module.CompiledFor(_store.CodeOptions));
        var methods = code.CodeTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)).ToList();
        var clones = methods.Where(m => m.Name.StartsWith("replay_", StringComparison.Ordinal)).ToList();
        if (!CallRefTargets.Enabled)
        {
            Assert.Empty(clones);
            return;
        }
        // $addCode is function 0, $mulCode 1; $composeCode calls, so it has none.
        Assert.Equal(["replay_0", "replay_1"], clones.Select(m => m.Name).Order());
        Assert.All(clones, m => Assert.True(m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveInlining)));
        // The originals keep their frame.
        Assert.True(methods.Single(m => m.Name == "addCode$0").MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining));
    }

    [Fact]
    public void ATrapInAnInlinedCloneIsRaisedInTheOriginalsFrame()
    {
        var instance = Instantiate();
        var add3 = Ref(instance, "add", WasmValue.FromInt32(3));
        Assert.Equal(3000, Run(instance, add3, 1000));
        var bad = Ref(instance, "bad");
        var trap = Assert.Throws<TrapException>(() => Run(instance, bad, 5));
        Assert.Equal(TrapKind.CastFailure, trap.Kind);
        Assert.Equal("cast failure", trap.Message);
        Assert.Equal(["addCode", "apply", "run"], trap.Frames.Select(f => f.FunctionName));
        // Through a composition: the frames of composeCode and both applies.
        var both = Ref(instance, "compose", WasmValue.FromReference(add3), WasmValue.FromReference(bad));
        var nested = Assert.Throws<TrapException>(() => Run(instance, both, 3));
        Assert.Equal(["addCode", "apply", "composeCode", "apply", "run"], nested.Frames.Select(f => f.FunctionName));
        // The instance still works.
        Assert.Equal(30, Run(instance, add3, 10));
    }

    [Fact]
    public void AFunctionOfAnotherInstanceRunsInItsOwnInstance()
    {
        var a = Instantiate();
        var b = Instantiate();
        b.GetFunction("setBias")!.Invoke(WasmValue.FromInt32(1000));
        var fromB = Ref(b, "add", WasmValue.FromInt32(2));
        var fromA = Ref(a, "add", WasmValue.FromInt32(2));
        // Same code, but not a's own function object: the guard misses and the call runs with b's context.
        Assert.Equal(1000 + 1 + 2, a.GetFunction("apply")!.Invoke(WasmValue.FromReference(fromB), WasmValue.FromInt32(1))[0].AsInt32());
        Assert.Equal(1 + 2, a.GetFunction("apply")!.Invoke(WasmValue.FromReference(fromA), WasmValue.FromInt32(1))[0].AsInt32());
        Assert.Equal(1000 + 1 + 2, b.GetFunction("apply")!.Invoke(WasmValue.FromReference(fromB), WasmValue.FromInt32(1))[0].AsInt32());
        // A composition mixing both instances' closures.
        var mixed = Ref(a, "compose", WasmValue.FromReference(fromA), WasmValue.FromReference(fromB));
        Assert.Equal(2 + (1000 + 2 + 5), a.GetFunction("apply")!.Invoke(WasmValue.FromReference(mixed), WasmValue.FromInt32(5))[0].AsInt32());
    }

    [Fact]
    public void ANullFunctionReferenceStillTraps()
    {
        var instance = Instantiate();
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("callNull")!.Invoke(WasmValue.FromInt32(1)));
        Assert.Equal(TrapKind.NullFunctionReference, trap.Kind);
    }

    [Fact]
    public void TheHostCannotPassNullForANonNullableParameter()
    {
        // apply's struct.get and call_ref have no null checks (its parameter is (ref $clo)): the host boundary must
        // refuse null, or the check would be needed.
        var instance = Instantiate();
        var ex = Record.Exception(() => instance.GetFunction("apply")!.Invoke(WasmValue.FromReference(null), WasmValue.FromInt32(1)));
        Assert.NotNull(ex);
        Assert.IsNotType<NullReferenceException>(ex);
    }

    [Theory]
    [InlineData("(func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))", true)]
    [InlineData("(func (param i32) (result i32) (local.set 0 (i32.const 1)) (local.get 0))", false)]
    [InlineData("(global $g (mut i32) (i32.const 0)) (func (param i32) (result i32) (global.set $g (local.get 0)) (i32.const 0))", false)]
    [InlineData("(func (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))", false)]
    [InlineData("(memory 1) (func (param i32) (result i32) (i32.load (local.get 0)))", false)]
    [InlineData("(func (param i32) (result i32) (local $t i32) (local.set $t (local.get 0)) (local.get $t))", true)]
    public void WhatIsReplayable(string functions, bool replayable)
    {
        var syntax = WasmModule.FromText($"(module {functions})").Syntax;
        var body = syntax.Codes[^1];
        Assert.Equal(replayable, CallRefTargets.IsReplayable(body, 1, CodeOptions.Default));
        Assert.False(CallRefTargets.IsReplayable(body, 1, CodeOptions.WithFuel));
    }
}
