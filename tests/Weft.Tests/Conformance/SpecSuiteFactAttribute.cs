namespace Weft.Tests.Conformance;

/// <summary>A fact about the spec suite, skipped with a loud message when the suite is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpecSuiteFactAttribute : FactAttribute
{
    public SpecSuiteFactAttribute()
    {
        if (SpecSuite.Root is null) Skip = SpecSuite.AbsentMessage;
    }
}
