using System.Reflection;
using Weft.Compilation;
using Weft.Runtime;

namespace Weft.Tests.Execution;

/// <summary>
/// Leaf functions (Compilation/LeafFunctions.cs, docs/RATIONALE.md "GC steady state, second look"): which functions
/// are safe leaves (inlined by default) or guard-less leaves (NoInlining), that backtraces are what they were (every
/// frame that can trap or call is still listed, including next to an inlined safe leaf and for a trapping leaf reached
/// through call_ref), and that recursion through guard-less leaves still ends in "call stack exhausted".
/// </summary>
public sealed class LeafFunctionsTests : IDisposable
{
    private readonly Store _store = new();

    public void Dispose() => _store.Dispose();

    // $safe: no call, no trap (inlined). $trapLeaf: a leaf that traps, only reached through call_ref (no guard,
    // NoInlining). $direct: a trapping leaf called directly (keeps its guard, no flag). $looping: a safe leaf with a loop.
    // $caller calls $safe (inlined into it), then $mid, which calls $direct; $viaRef reaches $trapLeaf by call_ref.
    private const string Module = """
        (module (@name "leaves")
          (type $ii (func (param i32) (result i32)))
          (elem declare func $trapLeaf)
          (func $safe (@name "safe") (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))
          (func $trapLeaf (@name "trapLeaf") (type $ii) (i32.div_u (i32.const 1000) (local.get 0)))
          (func $direct (@name "direct") (param i32) (result i32) (i32.rem_s (i32.const 77) (local.get 0)))
          (func $looping (@name "looping") (param i32) (result i32) (local $s i32)
            (block $d (loop $l (br_if $d (i32.eqz (local.get 0)))
              (local.set $s (i32.add (local.get $s) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br $l)))
            (local.get $s))
          (func $mid (@name "mid") (param i32) (result i32) (i32.xor (call $direct (local.get 0)) (i32.const 5)))
          (func $caller (@name "caller") (export "caller") (param i32) (result i32)
            (i32.add (call $mid (i32.sub (call $safe (local.get 0)) (i32.const 1))) (call $looping (local.get 0))))
          (func $viaRef (@name "viaRef") (export "viaRef") (param i32) (result i32)
            (i32.add (call_ref $ii (local.get 0) (ref.func $trapLeaf)) (i32.const 1)))
          (func (export "trapLeaf") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.func $trapLeaf)))
          (func $deep (export "deep") (param i32) (result i32)
            (i32.add (call_ref $ii (i32.const 1) (ref.func $trapLeaf)) (call $deep (i32.add (local.get 0) (i32.const 1))))))
        """;

    private static int Caller(int x) => ((77 % (3 * x)) ^ 5) + x * (x + 1) / 2;

    private Instance Instantiate() => new Linker().Instantiate(_store, WasmModule.FromText(Module));

    [Fact]
    public void SafeLeavesAreInlinedTrappingLeavesOnlyLoseTheirGuardWhenNotCalledDirectly()
    {
        var syntax = WasmModule.FromText(Module).Syntax;
        var types = syntax.FunctionSpace.Select(t => (Weft.Syntax.FuncType)syntax.Types[(int)t].Composite).ToArray();
        var kinds = LeafFunctions.Classify(syntax, types, 0, CodeOptions.Default);
        Assert.Equal([LeafKind.SafeLeaf, LeafKind.Leaf, LeafKind.None, LeafKind.SafeLeaf, LeafKind.None, LeafKind.None, LeafKind.None, LeafKind.None, LeafKind.None], kinds);
        // Fuel and interrupt checks at the entry can trap: no safe leaf then (a leaf still needs no guard).
        var fuel = LeafFunctions.Classify(syntax, types, 0, CodeOptions.WithFuel);
        Assert.Equal(LeafKind.Leaf, fuel[1]);
        Assert.Equal(LeafKind.None, fuel[0]); // $safe is then a trapping leaf called directly: it keeps its guard
        Assert.Equal(LeafKind.None, LeafFunctions.Classify(syntax, types, 0, CodeOptions.WithInterrupts)[3]); // $looping: called directly

        var instance = Instantiate();
        var code = Assert.IsType<CompiledModule>(instance.Module.CompiledFor(_store.CodeOptions));
        MethodImplAttributes Flags(string name) => code.CodeTypes.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Single(m => m.Name.StartsWith(name + "$", StringComparison.Ordinal)).MethodImplementationFlags;
        Assert.True(Flags("safe").HasFlag(MethodImplAttributes.AggressiveInlining));
        Assert.True(Flags("looping").HasFlag(MethodImplAttributes.AggressiveInlining));
        Assert.True(Flags("trapLeaf").HasFlag(MethodImplAttributes.NoInlining));
        Assert.False(Flags("direct").HasFlag(MethodImplAttributes.AggressiveInlining) || Flags("direct").HasFlag(MethodImplAttributes.NoInlining));
        Assert.False(Flags("mid").HasFlag(MethodImplAttributes.AggressiveInlining));
    }

    [Fact]
    public void ATrapInAFunctionCalledNextToAnInlinedSafeLeafKeepsEveryFrame()
    {
        var instance = Instantiate();
        var caller = instance.GetFunction<int, int>("caller")!;
        // Warm up so that RyuJIT has compiled $caller with $safe and $looping inlined.
        for (int x = 1; x < 2000; x++) Assert.Equal(Caller(x), caller(x));
        // x = 0: $safe gives 1, $mid passes 0 to $direct, whose rem_s traps.
        var trap = Assert.Throws<TrapException>(() => caller(0));
        Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
        Assert.Equal("integer divide by zero", trap.Message);
        Assert.Equal(["direct", "mid", "caller"], trap.Frames.Select(f => f.FunctionName));
        Assert.Equal([2, 4, 5], trap.Frames.Select(f => f.FunctionIndex));
    }

    [Fact]
    public void ATrappingLeafWithoutItsGuardKeepsItsFrameThroughCallRefAndFromTheHost()
    {
        var instance = Instantiate();
        var viaRef = instance.GetFunction<int, int>("viaRef")!;
        var exported = instance.GetFunction<int, int>("trapLeaf")!;
        for (int x = 1; x < 2000; x++) Assert.Equal(1000 / x + 1, viaRef(x));
        var trap = Assert.Throws<TrapException>(() => viaRef(0));
        Assert.Equal(TrapKind.IntegerDivideByZero, trap.Kind);
        Assert.Equal(["trapLeaf", "viaRef"], trap.Frames.Select(f => f.FunctionName));
        var untyped = Assert.Throws<TrapException>(() => instance.GetFunction("viaRef")!.Invoke(WasmValue.FromInt32(0)));
        Assert.Equal(["trapLeaf", "viaRef"], untyped.Frames.Select(f => f.FunctionName));
        var direct = Assert.Throws<TrapException>(() => exported(0));
        Assert.Equal("trapLeaf", direct.Frames[0].FunctionName);
        Assert.Equal(2, direct.Frames.Count);
    }

    [Fact]
    public void RecursionThroughGuardlessLeavesStillExhaustsTheStackAsATrap()
    {
        var instance = Instantiate();
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("deep")!(0));
        Assert.Equal(TrapKind.CallStackExhausted, trap.Kind);
        Assert.Equal("call stack exhausted", trap.Message);
        // The store still works afterwards.
        Assert.Equal(Caller(7), instance.GetFunction<int, int>("caller")!(7));
    }
}
