using System.Reflection;
using Weft.Compilation;
using Weft.Runtime;

namespace Weft.Tests.Execution;

/// <summary>
/// call_ref candidates from the struct fields functions are stored in (Compilation/FieldFunctions.cs), replay clones
/// of leaves that write a struct field after their last trap, forwarders' inlinable clones (CallRefTargets.ForwarderFor)
/// and casts to sealed classes as a method-table compare: results, traps, their backtraces and the state a trap leaves,
/// and which methods the compiler made (the path taken).
/// </summary>
public sealed class GcCallsTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    // Vtables: $step holds the three step functions, $weight the three weights, all of one type (six functions: by
    // type alone more than the guard limit). counterStep and mixerStep write a field after every instruction that can
    // trap (replayable with writes), scalerStep divides (a helper's trap: never replayed).
    private const string Dispatch = """
        (module (@name "dispatch")
          (rec
            (type $method (func (param (ref $Base) i32) (result i32)))
            (type $vtable (struct (field $step (ref $method)) (field $weight (ref $method))))
            (type $Base (sub (struct (field $vt (ref $vtable)) (field $x (mut i32)))))
            (type $Counter (sub final $Base (struct (field $vt (ref $vtable)) (field $x (mut i32)) (field $by i32))))
            (type $Scaler (sub final $Base (struct (field $vt (ref $vtable)) (field $x (mut i32)) (field $mul i32) (field $mod i32))))
            (type $Mixer (sub $Base (struct (field $vt (ref $vtable)) (field $x (mut i32)) (field $other (ref null $Base))))))
          (elem declare func $counterStep $counterWeight $scalerStep $scalerWeight $mixerStep $mixerWeight)
          (global $cv (ref $vtable) (struct.new $vtable (ref.func $counterStep) (ref.func $counterWeight)))
          (func $counterStep (@name "counterStep") (type $method)
            (local $c (ref $Counter))
            (local.set $c (ref.cast (ref $Counter) (local.get 0)))
            (struct.set $Counter $x (local.get $c) (i32.add (struct.get $Counter $x (local.get $c)) (i32.add (struct.get $Counter $by (local.get $c)) (local.get 1))))
            (struct.get $Counter $x (local.get $c)))
          (func $counterWeight (@name "counterWeight") (type $method) (i32.and (struct.get $Base $x (local.get 0)) (i32.const 7)))
          (func $scalerStep (@name "scalerStep") (type $method)
            (local $s (ref $Scaler))
            (local.set $s (ref.cast (ref $Scaler) (local.get 0)))
            (struct.set $Scaler $x (local.get $s)
              (i32.rem_u (i32.add (i32.mul (struct.get $Scaler $x (local.get $s)) (struct.get $Scaler $mul (local.get $s))) (local.get 1))
                         (struct.get $Scaler $mod (local.get $s))))
            (struct.get $Scaler $x (local.get $s)))
          (func $scalerWeight (@name "scalerWeight") (type $method) (i32.const 3))
          (func $mixerStep (@name "mixerStep") (type $method)
            (local $m (ref $Mixer)) (local $o (ref null $Base))
            (local.set $m (ref.cast (ref $Mixer) (local.get 0)))
            (local.set $o (struct.get $Mixer $other (local.get $m)))
            (if (ref.is_null (local.get $o)) (then (return (local.get 1))))
            (struct.set $Mixer $x (local.get $m) (i32.xor (struct.get $Mixer $x (local.get $m)) (struct.get $Base $x (local.get $o))))
            (struct.get $Mixer $x (local.get $m)))
          (func $mixerWeight (@name "mixerWeight") (type $method) (i32.const 1))
          (func (export "counter") (param i32) (result (ref $Base)) (struct.new $Counter (global.get $cv) (i32.const 0) (local.get 0)))
          (func (export "scaler") (param i32) (result (ref $Base))
            (struct.new $Scaler (struct.new $vtable (ref.func $scalerStep) (ref.func $scalerWeight)) (i32.const 1) (i32.const 31) (local.get 0)))
          (func (export "mixer") (param (ref null $Base)) (result (ref $Base))
            (struct.new $Mixer (struct.new $vtable (ref.func $mixerStep) (ref.func $mixerWeight)) (i32.const 5) (local.get 0)))
          ;; A scaler that carries the counter's vtable: counterStep's cast fails.
          (func (export "impostor") (result (ref $Base)) (struct.new $Scaler (global.get $cv) (i32.const 9) (i32.const 1) (i32.const 7)))
          (func (export "x") (param (ref $Base)) (result i32) (struct.get $Base $x (local.get 0)))
          (func $run (@name "run") (export "run") (param $o (ref $Base)) (param $n i32) (result i32)
            (local $acc i32) (local $i i32)
            (loop $l
              (local.set $acc (i32.add (local.get $acc)
                (call_ref $method (local.get $o) (local.get $i) (struct.get $vtable $step (struct.get $Base $vt (local.get $o))))))
              (local.set $acc (i32.add (local.get $acc)
                (call_ref $method (local.get $o) (local.get $i) (struct.get $vtable $weight (struct.get $Base $vt (local.get $o))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc)))
        """;

    // $apply is a forwarder: its parameters, unchanged, to a call_ref of its closure's code.
    private const string Closures = """
        (module (@name "closures")
          (rec
            (type $fn (func (param (ref null $clo) i32) (result i32)))
            (type $clo (sub (struct (field $code (mut (ref null $fn))))))
            (type $add (sub final $clo (struct (field $code (mut (ref null $fn))) (field $k i32))))
            (type $compose (sub final $clo (struct (field $code (mut (ref null $fn))) (field $f (ref $clo)) (field $g (ref $clo))))))
          (elem declare func $addCode $composeCode $selfCode)
          (func $addCode (@name "addCode") (type $fn) (i32.add (local.get 1) (struct.get $add $k (ref.cast (ref $add) (local.get 0)))))
          (func $composeCode (@name "composeCode") (type $fn)
            (local $c (ref $compose))
            (local.set $c (ref.cast (ref $compose) (local.get 0)))
            (call $apply (struct.get $compose $f (local.get $c)) (call $apply (struct.get $compose $g (local.get $c)) (local.get 1))))
          ;; Calls itself through apply without end: the stack runs out.
          (func $selfCode (@name "selfCode") (type $fn) (i32.add (i32.const 1) (call $apply (local.get 0) (local.get 1))))
          (func $apply (@name "apply") (param $c (ref null $clo)) (param $x i32) (result i32)
            (call_ref $fn (local.get $c) (local.get $x) (struct.get $clo $code (local.get $c))))
          (func (export "add") (param i32) (result (ref $clo)) (struct.new $add (ref.func $addCode) (local.get 0)))
          (func (export "bad") (result (ref $clo)) (struct.new $clo (ref.func $addCode)))
          (func (export "empty") (result (ref $clo)) (struct.new $clo (ref.null $fn)))
          (func (export "self") (result (ref $clo)) (struct.new $clo (ref.func $selfCode)))
          (func (export "compose") (param (ref $clo)) (param (ref $clo)) (result (ref $clo))
            (struct.new $compose (ref.func $composeCode) (local.get 0) (local.get 1)))
          (func $run (@name "run") (export "run") (param $c (ref null $clo)) (param $n i32) (result i32)
            (local $acc i32) (local $i i32)
            (loop $l
              (local.set $acc (call $apply (local.get $c) (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $acc)))
        """;

    private Instance Instantiate(string text) => new Linker().Instantiate(_store, WasmModule.FromText(text));

    private static object Ref(Instance instance, string export, params WasmValue[] args) =>
        instance.GetFunction(export)!.Invoke(args)[0].AsReference()!;

    private static int Int(Instance instance, string export, params WasmValue[] args) =>
        instance.GetFunction(export)!.Invoke(args)[0].AsInt32();

    private List<MethodInfo> Methods(Instance instance)
    {
        var code = Assert.IsType<CompiledModule>(instance.Module.CompiledFor(_store.CodeOptions));
        return code.CodeTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)).ToList();
    }

    private static WasmValue R(object? o) => WasmValue.FromReference(o);

    private static WasmValue I(int i) => WasmValue.FromInt32(i);

    [Fact]
    public void VtableCallsComputeWhatTheMethodsSay()
    {
        var instance = Instantiate(Dispatch);
        var counter = Ref(instance, "counter", I(3));
        // step i: x += 3 + i, returns x; weight: x & 7.
        int x = 0, expected = 0;
        for (int i = 0; i < 100; i++)
        {
            x += 3 + i;
            expected += x + (x & 7);
        }
        Assert.Equal(expected, Int(instance, "run", R(counter), I(100)));
        // Each step wrote its field exactly once (a replay would have written it twice).
        Assert.Equal(x, Int(instance, "x", R(counter)));

        var scaler = Ref(instance, "scaler", I(65521));
        int s = 1, sum = 0;
        for (int i = 0; i < 50; i++)
        {
            s = (int)(((uint)s * 31u + (uint)i) % 65521u);
            sum += s + 3;
        }
        Assert.Equal(sum, Int(instance, "run", R(scaler), I(50)));

        var lone = Ref(instance, "mixer", R(null));
        Assert.Equal(Enumerable.Range(0, 10).Sum(i => i + 1), Int(instance, "run", R(lone), I(10)));
        Assert.Equal(5, Int(instance, "x", R(lone)));
        var mixer = Ref(instance, "mixer", R(counter));
        Assert.Equal(5 ^ x, Int(instance, "run", R(mixer), I(1)) - 1);
        Assert.Equal(5 ^ x, Int(instance, "x", R(mixer)));
    }

    [Fact]
    public void FieldCandidatesGiveTheWritingStepsCloneAndTheDividingOneNone()
    {
        var instance = Instantiate(Dispatch);
        var names = Methods(instance).Where(m => m.Name.StartsWith("replay_", StringComparison.Ordinal)).Select(m => m.Name).Order().ToList();
        if (!CallRefTargets.Enabled || !FieldFunctions.Enabled || !CallRefTargets.ReplayWrites) return;
        // counterStep 0, counterWeight 1, scalerStep 2 (divides: its clone tests the divisor first), scalerWeight 3
        // and mixerWeight 5 (safe leaves: inlined as they are), mixerStep 4. By type alone six candidates: no guards,
        // no clones at all.
        Assert.Equal(CallRefTargets.ReplayDivisions ? ["replay_0", "replay_1", "replay_2", "replay_4"] : ["replay_0", "replay_1", "replay_4"], names);
    }

    [Fact]
    public void ATrapBeforeAWriteInAnInlinedCloneLeavesTheObjectAsItWas()
    {
        var instance = Instantiate(Dispatch);
        var counter = Ref(instance, "counter", I(1));
        Assert.Equal(1 + 1, Int(instance, "run", R(counter), I(1)));
        var impostor = Ref(instance, "impostor");
        var trap = Assert.Throws<TrapException>(() => Int(instance, "run", R(impostor), I(3)));
        Assert.Equal(TrapKind.CastFailure, trap.Kind);
        Assert.Equal("cast failure", trap.Message);
        Assert.Equal(["counterStep", "run"], trap.Frames.Select(f => f.FunctionName));
        Assert.Equal(9, Int(instance, "x", R(impostor)));
        // A scaler with modulus 0: the clone's divisor test replays scalerStep, whose helper traps in its frame.
        var zero = Ref(instance, "scaler", I(0));
        var div = Assert.Throws<TrapException>(() => Int(instance, "run", R(zero), I(1)));
        Assert.Equal(TrapKind.IntegerDivideByZero, div.Kind);
        Assert.Equal(["scalerStep", "run"], div.Frames.Select(f => f.FunctionName));
        Assert.Equal(1, Int(instance, "x", R(zero)));
    }

    [Theory]
    // A write after which nothing can trap (struct.get of the non-null parameter).
    [InlineData("(func (param (ref $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.const 1)) (struct.get $s 0 (local.get 0)))", true)]
    // A cast after the write: its trap would replay the write.
    [InlineData("(func (param (ref $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.const 1)) (struct.get $s 0 (ref.cast (ref $s) (local.get 0))))", false)]
    // struct.get of a nullable local after the write may trap.
    [InlineData("(func (param (ref null $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.const 1)) (struct.get $s 0 (local.get 0)))", false)]
    // Two writes: the second may trap after the first.
    [InlineData("(func (param (ref $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.const 1)) (struct.set $s 0 (local.get 0) (i32.const 2)) (i32.const 0))", false)]
    // A division before the write: its clone tests the divisor at a trap site of its own.
    [InlineData("(func (param (ref $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.rem_u (i32.const 7) (struct.get $s 0 (local.get 0)))) (i32.const 0))", true)]
    // A division after the write.
    [InlineData("(func (param (ref $s)) (result i32) (struct.set $s 0 (local.get 0) (i32.const 1)) (i32.div_u (i32.const 7) (struct.get $s 0 (local.get 0))))", false)]
    // div_s may also overflow, in its helper: never replayed.
    [InlineData("(func (param (ref $s)) (result i32) (i32.div_s (i32.const 7) (struct.get $s 0 (local.get 0))))", false)]
    // A loop: a trap early in the code may run after a write of an earlier iteration.
    [InlineData("(func (param (ref $s)) (result i32) (loop $l (struct.set $s 0 (local.get 0) (i32.const 1))) (i32.const 0))", false)]
    public void WhatIsReplayableWithWrites(string function, bool replayable)
    {
        var syntax = WasmModule.FromText($"(module (type $s (struct (field (mut i32)))) {function})").Syntax;
        var body = syntax.Codes[^1];
        var type = (Weft.Syntax.FuncType)syntax.Types[(int)syntax.Functions[^1]].Composite;
        bool divides = function.Contains("rem_u", StringComparison.Ordinal);
        Assert.Equal(replayable && CallRefTargets.ReplayWrites && (!divides || CallRefTargets.ReplayDivisions),
            CallRefTargets.IsReplayable(body, 1, CodeOptions.Default, type.Params));
        // Without the parameter types (the old rule) no write is replayable.
        Assert.False(CallRefTargets.IsReplayable(body, 1, CodeOptions.Default));
    }

    [Fact]
    public void TheFieldScanFindsWhatIsStoredAndGivesUpOnWhatItCannotSee()
    {
        var module = WasmModule.FromText("""
            (module
              (type $f (func))
              (type $box (sub (struct (field (mut (ref null $f))) (field (ref null $f)))))
              (type $sub (sub final $box (struct (field (mut (ref null $f))) (field (ref null $f)))))
              (elem declare func $a $b $c)
              (func $a) (func $b) (func $c)
              (global (ref $box) (struct.new $box (ref.func $a) (ref.null $f)))
              (func (param (ref $sub)) (param (ref null $f))
                (drop (struct.new $sub (ref.func $b) (local.get 1)))
                (struct.set $sub 0 (local.get 0) (ref.func $c))))
            """);
        var flow = FieldFunctions.Of(module.Valid);
        var box = module.Valid.Type(1);
        var sub = module.Valid.Type(2);
        Assert.Equal([0, 1, 2], flow.For(box, 0)!.Order());
        Assert.Equal([1, 2], flow.For(sub, 0)!.Order());
        // Field 1 of $sub got a local's value: unknown, and so is everything that may read it.
        Assert.Null(flow.For(sub, 1));
        Assert.Null(flow.For(box, 1));
    }

    [Fact]
    public void AForwarderGetsAnInliningCloneAndKeepsItsFrameInBacktraces()
    {
        var instance = Instantiate(Closures);
        var methods = Methods(instance);
        if (CallRefTargets.Enabled && CallRefTargets.ForwarderClones)
        {
            // apply is function 3; its clone's guard calls addCode's clone that replays apply.
            var inline = Assert.Single(methods, m => m.Name == "inline_3");
            Assert.True(inline.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveInlining));
            Assert.Contains(methods, m => m.Name == "through_3_0");
        }
        var add3 = Ref(instance, "add", I(3));
        Assert.Equal(3000, Int(instance, "run", R(add3), I(1000)));
        var both = Ref(instance, "compose", R(add3), R(Ref(instance, "add", I(4))));
        Assert.Equal(70, Int(instance, "run", R(both), I(10)));

        var bad = Ref(instance, "bad");
        var cast = Assert.Throws<TrapException>(() => Int(instance, "run", R(bad), I(2)));
        Assert.Equal(TrapKind.CastFailure, cast.Kind);
        Assert.Equal(["addCode", "apply", "run"], cast.Frames.Select(f => f.FunctionName));
        var nested = Assert.Throws<TrapException>(() => Int(instance, "run", R(Ref(instance, "compose", R(add3), R(bad))), I(2)));
        Assert.Equal(["addCode", "apply", "composeCode", "apply", "run"], nested.Frames.Select(f => f.FunctionName));

        // Traps of the forwarder's own code: a null code field, a null closure.
        var empty = Assert.Throws<TrapException>(() => Int(instance, "run", R(Ref(instance, "empty")), I(1)));
        Assert.Equal(TrapKind.NullFunctionReference, empty.Kind);
        Assert.Equal(["apply", "run"], empty.Frames.Select(f => f.FunctionName));
        var none = Assert.Throws<TrapException>(() => Int(instance, "run", R(null), I(1)));
        Assert.Equal(TrapKind.NullStructureReference, none.Kind);
        Assert.Equal(["apply", "run"], none.Frames.Select(f => f.FunctionName));

        // Recursion through the forwarder's clone still runs out of stack as a trap.
        var deep = Assert.Throws<TrapException>(() => Int(instance, "run", R(Ref(instance, "self")), I(1)));
        Assert.Equal(TrapKind.CallStackExhausted, deep.Kind);
        Assert.Equal(3000, Int(instance, "run", R(add3), I(1000)));
    }

    [Fact]
    public void AClosureOfAnotherInstanceGoesThroughTheForwarderItself()
    {
        var a = Instantiate(Closures);
        var b = Instantiate(Closures);
        var fromB = Ref(b, "add", I(2));
        Assert.Equal(20, Int(a, "run", R(fromB), I(10)));
        var mixed = Ref(a, "compose", R(Ref(a, "add", I(1))), R(fromB));
        Assert.Equal(30, Int(a, "run", R(mixed), I(10)));
        var badB = Ref(b, "bad");
        var trap = Assert.Throws<TrapException>(() => Int(a, "run", R(badB), I(1)));
        Assert.Equal(["addCode", "apply", "run"], trap.Frames.Select(f => f.FunctionName));
    }

    [Theory]
    [InlineData("a", "a", 0)]
    [InlineData("b", "a", -1)]
    [InlineData("null", "a", -2)]
    [InlineData("null", "a?", 7)]
    [InlineData("b", "a?", -1)]
    [InlineData("a", "a?", 0)]
    public void CastsToFinalTypes(string value, string target, int expected)
    {
        var instance = Instantiate("""
            (module
              (type $top (sub (struct (field i32))))
              (type $a (sub final $top (struct (field i32))))
              (type $b (sub final $top (struct (field i32) (field i32))))
              (func $make (param i32) (result (ref null $top))
                (if (result (ref null $top)) (i32.eqz (local.get 0)) (then (struct.new $a (i32.const 0)))
                  (else (if (result (ref null $top)) (i32.eq (local.get 0) (i32.const 1)) (then (struct.new $b (i32.const 1) (i32.const 1))) (else (ref.null $top))))))
              (func (export "cast") (param i32) (result i32) (struct.get $a 0 (ref.cast (ref $a) (call $make (local.get 0)))))
              (func (export "castNull") (param i32) (result i32)
                (local $r (ref null $a))
                (local.set $r (ref.cast (ref null $a) (call $make (local.get 0))))
                (if (result i32) (ref.is_null (local.get $r)) (then (i32.const 7)) (else (struct.get $a 0 (local.get $r))))))
            """);
        int which = value switch { "a" => 0, "b" => 1, _ => 2 };
        string export = target == "a" ? "cast" : "castNull";
        if (expected >= 0)
        {
            Assert.Equal(expected, Int(instance, export, I(which)));
            return;
        }
        var trap = Assert.Throws<TrapException>(() => Int(instance, export, I(which)));
        Assert.Equal(TrapKind.CastFailure, trap.Kind);
    }
}
