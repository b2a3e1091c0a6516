using System.Reflection;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// The background JIT is given each split function's parts right after the function (SplitPartsAhead,
/// docs/RATIONALE.md "Split parts compiled ahead"): the parts the module compiler defined for a function, assigned to
/// that function in part order, and none to a function that was not split.
/// </summary>
public class SplitPartsAheadTests
{
    // Function 1 (defined 0, after one import) is long enough to split at a small threshold; function 2 is not.
    private const string Wat = """
        (module
          (import "env" "f" (func $imported (param i32) (result i32)))
          (func $long (export "long") (param $n i32) (result i32)
            (local $acc i32) (local $i i32)
            (block $done
              (loop $top
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 3))))
                (local.set $acc (i32.xor (local.get $acc) (i32.shl (local.get $i) (i32.const 2))))
                (local.set $acc (i32.sub (local.get $acc) (i32.rotl (local.get $acc) (i32.const 5))))
                (local.set $acc (i32.add (local.get $acc) (i32.and (local.get $i) (i32.const 0xff))))
                (br $top)))
            (local.get $acc))
          (func $short (export "short") (result i32) (i32.const 7)))
        """;

    [Fact]
    public void ASplitFunctionsPartsAreQueuedAfterItInPartOrder()
    {
        var engine = new Engine();
        var module = WasmModule.FromText(engine, Wat);
        using var store = new Store(engine) { SplitThreshold = 8 };
        var linker = new Linker(engine).DefineFunction("env", "f", (Func<int, int>)(x => x));
        var plain = new Linker(engine).DefineFunction("env", "f", (Func<int, int>)(x => x))
            .Instantiate(new Store(engine) { SplitThreshold = 0 }, module).GetFunction<int, int>("long")!;
        var instance = linker.Instantiate(store, module);
        // The split code computes what the whole function does.
        Assert.Equal(plain(100), instance.GetFunction<int, int>("long")!(100));

        var compiled = (CompiledModule)module.CompiledFor(store.CodeOptions);
        var partMethods = compiled.CodeTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.StartsWith("outlined_1_", StringComparison.Ordinal))
            .OrderBy(m => int.Parse(m.Name["outlined_1_".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(m => m.MethodHandle)
            .ToArray();
        Assert.NotEmpty(partMethods);
        Assert.Equal(SplitPartsAhead.Enabled ? partMethods : [], compiled.PartsOf(0));
        Assert.Empty(compiled.PartsOf(1));
    }
}
