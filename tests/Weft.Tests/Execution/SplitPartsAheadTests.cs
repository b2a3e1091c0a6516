using System.Reflection;
using Weft.Compilation;

namespace Weft.Tests.Execution;

/// <summary>
/// The background JIT is given each split function's parts right after the function (SplitPartsAhead,
/// docs/RATIONALE.md "Split parts compiled ahead"): parts are found by the names ModuleCompiler gives them and
/// assigned to their defined function in part order.
/// </summary>
public class SplitPartsAheadTests
{
    // Stand-ins with the names of parts: function 3 (defined 1 with two imports) has parts 0, 1 and 10; function 5
    // (defined 3) part 0; the others are not parts or name a function outside the module.
    public static class PartNames
    {
#pragma warning disable IDE1006, CA1707 // the names are the point
    public static void outlined_3_10() { }
    public static void outlined_3_0() { }
    public static void outlined_5_0() { }
    public static void outlined_3_1() { }
    public static void outlined_1_0() { }
    public static void outlined_9_0() { }
    public static void outlined_x_0() { }
    public static void f3() { }
#pragma warning restore IDE1006, CA1707
    }

    private static RuntimeMethodHandle Handle(string name) => typeof(PartNames).GetMethod(name)!.MethodHandle;

    [Fact]
    public void PartsGoToTheirFunctionInPartOrder()
    {
        var methods = typeof(PartNames).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
        var parts = SplitPartsAhead.Collect(methods, importedFunctions: 2, definedFunctions: 5);
        Assert.Equal(5, parts.Length);
        Assert.Equal([Handle("outlined_3_0"), Handle("outlined_3_1"), Handle("outlined_3_10")], parts[1]);
        Assert.Equal([Handle("outlined_5_0")], parts[3]);
        // outlined_1_0 names an import and outlined_9_0 a function past the module: neither is queued.
        Assert.Empty(parts[0]);
        Assert.Empty(parts[2]);
        Assert.Empty(parts[4]);
    }

    [Theory]
    [InlineData("outlined_52_10", true, 52, 10)]
    [InlineData("outlined_0_0", true, 0, 0)]
    [InlineData("f52", false, 0, 0)]
    [InlineData("outlined_52", false, 0, 0)]
    [InlineData("outlined__1", false, 0, 0)]
    [InlineData("outlined_5_-1", false, 0, 0)]
    public void PartNamesAreRead(string name, bool isPart, int function, int part)
    {
        Assert.Equal(isPart, SplitPartsAhead.TryParse(name, out int f, out int k));
        if (!isPart) return;
        Assert.Equal(function, f);
        Assert.Equal(part, k);
    }
}
