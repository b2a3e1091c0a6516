namespace Weft.Tests.Binary;

/// <summary>A fact that is skipped, with a message saying why, when the spec test suite is absent.</summary>
internal sealed class SuiteFactAttribute : FactAttribute
{
    public SuiteFactAttribute()
    {
        if (SpecSuite.Root is null) Skip = SpecSuite.AbsentMessage;
    }
}
