using Weft.Fuzz;

namespace Weft.Tests.Fuzz;

public sealed class ReducerTests
{
    [Fact]
    public void Line_reduction_keeps_the_property_and_drops_the_rest()
    {
        // The property: the module is valid and f still returns 42. Everything else is noise to remove.
        const string Text = """
            (module
              (memory 1)
              (global $g (mut i32) (i32.const 0))
              (func $noise (param i32) (result i32)
                local.get 0
                i32.const 3
                i32.mul)
              (func (export "f") (result i32)
                i32.const 1
                global.set $g
                i32.const 40
                i32.const 2
                i32.add
                i32.const 7
                drop
                nop)
            )
            """;
        var lines = Text.Split('\n').ToList();
        int trials = 0;
        bool ReturnsFortyTwo(List<string> candidate)
        {
            trials++;
            try
            {
                var module = WasmModule.FromText(string.Join('\n', candidate));
                using var store = new Store();
                var f = new Linker().Instantiate(store, module).GetFunction("f");
                return f is not null && f.Invoke()[0].AsInt32() == 42;
            }
            catch (WeftException)
            {
                return false;
            }
        }

        var reduced = Reducer.ReduceLines(lines, ReturnsFortyTwo, () => trials < 2000);
        Assert.True(ReturnsFortyTwo(reduced), "the property was lost");
        Assert.True(trials < 2000, $"{trials} trials");
        string text = string.Join('\n', reduced);
        Assert.True(reduced.Count < lines.Count / 2, $"{reduced.Count} of {lines.Count} lines left:\n{text}");
        Assert.DoesNotContain("$noise", text);
        Assert.DoesNotContain("memory", text);
        Assert.DoesNotContain("drop", text);
        Assert.True(reduced.Count < lines.Count / 2, $"{reduced.Count} of {lines.Count} lines left:\n{text}");
    }
}
