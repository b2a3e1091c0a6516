using Weft.Compilation;
using Xunit.Abstractions;

namespace Weft.Tests.Conformance;

/// <summary>
/// The spec scripts that use exception handling, with every function that has a try block compiled in flat mode
/// (which the compiler otherwise chooses only beyond <see cref="FunctionCompiler.FlatTryThreshold"/> try blocks,
/// more than any spec script has). The ordinary run of the same scripts is in <see cref="ProposalSpecTests"/> and
/// <see cref="CoreSpecTests"/>.
/// </summary>
public sealed class FlatExceptionSpecTests(ITestOutputHelper output) : SpecScriptTests(output)
{
    private static readonly string[] s_scripts =
    [
        "core/exceptions/tag.wast",
        "core/exceptions/throw.wast",
        "core/exceptions/throw_ref.wast",
        "core/exceptions/try_table.wast",
        "core/instance.wast",
        "legacy/exceptions/core/rethrow.wast",
        "legacy/exceptions/core/throw.wast",
        "legacy/exceptions/core/try_catch.wast",
        "legacy/exceptions/core/try_delegate.wast",
    ];

    public static TheoryData<string> Scripts => [.. s_scripts];

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void PassesFlat(string script)
    {
        Assert.True(File.Exists(Path.Combine(SpecSuite.Root!, script)), $"{script} is not in the suite");
        // The script runs on a thread of its own, which inherits the flag.
        FunctionCompiler.ForceFlat.Value = true;
        try
        {
            Run(script);
        }
        finally
        {
            FunctionCompiler.ForceFlat.Value = false;
        }
    }

    /// <summary>Every script of the suite with a try block is in <see cref="Scripts"/>.</summary>
    [SpecSuiteFact]
    public void EveryScriptWithATryBlockIsListed()
    {
        var missing = SpecSuite.AllScripts().Where(s =>
        {
            string text = File.ReadAllText(Path.Combine(SpecSuite.Root!, s));
            return text.Contains("try_table", StringComparison.Ordinal) || text.Contains("(try", StringComparison.Ordinal);
        }).Except(s_scripts).ToList();
        Assert.True(missing.Count == 0, $"not run flat: {string.Join(", ", missing)}");
    }
}
