namespace Weft.Tests.Conformance;

/// <summary>Checks on how the suite is found and split, so that no script is silently left out.</summary>
public class SpecSuiteLayoutTests
{
    [Theory]
    [InlineData("core/i32.wast", "core")]
    [InlineData("core/simd/simd_lane.wast", "simd")]
    [InlineData("core/relaxed-simd/i8x16_relaxed_swizzle.wast", "simd")]
    [InlineData("core/gc/struct.wast", "proposals")]
    [InlineData("core/memory64/memory64.wast", "proposals")]
    [InlineData("custom/custom/custom_annot.wast", "proposals")]
    [InlineData("legacy/exceptions/core/try_catch.wast", "proposals")]
    [InlineData("core/some-new-proposal/x.wast", "core")]
    [InlineData("elsewhere/x.wast", "core")]
    public void EveryScriptHasAGroup(string script, string group)
    {
        Assert.Equal(group, SpecSuite.GroupOf(script));
        Assert.Contains(group, SpecSuite.Groups);
    }

    [SpecSuiteFact]
    public void TheGroupsCoverTheWholeSuite()
    {
        var all = SpecSuite.AllScripts().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all.Count, SpecSuite.Groups.Sum(g => SpecSuite.Scripts(g).Count()));
    }
}
