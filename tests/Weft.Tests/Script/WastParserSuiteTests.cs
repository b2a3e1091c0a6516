using Weft.Tests.Conformance;
using Weft.Script;
using Weft.Tests.Text;

namespace Weft.Tests.Script;

public class WastParserSuiteTests
{
    public static TheoryData<string> Scripts() => TextSuite.ScriptData();

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void EveryScriptParses(string script)
    {
        var bytes = File.ReadAllBytes(TextSuite.FullPath(script));
        var parsed = WastParser.Parse(bytes, script);
        Assert.NotEmpty(parsed.Commands);
    }
}
