using Weft.Script;
using Weft.Tests.Text;

namespace Weft.Tests.Script;

public class WastParserSuiteTests
{
    public static TheoryData<string> Scripts() => SpecSuite.ScriptData();

    [SuiteTheory]
    [MemberData(nameof(Scripts))]
    public void EveryScriptParses(string script)
    {
        var bytes = File.ReadAllBytes(SpecSuite.FullPath(script));
        var parsed = WastParser.Parse(bytes, script);
        Assert.NotEmpty(parsed.Commands);
    }
}
