namespace Weft.Tests.Conformance;

/// <summary>
/// A theory over the spec suite's scripts that is skipped, with a message saying so in capitals, when the suite is
/// absent: a missing suite must never look like a passing one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SpecSuiteTheoryAttribute : SkippableTheoryAttribute
{
    public SpecSuiteTheoryAttribute()
    {
        if (SpecSuite.Root is null) Skip = SpecSuite.AbsentMessage;
    }
}
