using System.Text.RegularExpressions;
using Weft.Cli;
using Weft.Tests.Conformance;

namespace Weft.Tests.Cli;

/// <summary>The <c>weft</c> command line, run in-process.</summary>
public sealed partial class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("weft-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Exit, string Out, string Err) Weft(params string[] args) => InProcessCli.Run(args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^\d+ passed, \d+ failed, \d+ skipped$")]
    private static partial Regex Summary();

    [Fact]
    public void VersionPrintsTheProductVersion()
    {
        var (exit, output, error) = Weft("--version");
        Assert.Equal(0, exit);
        Assert.Equal($"weft {typeof(WasmModule).Assembly.GetName().Version!.ToString(3)}", output.Trim());
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    [InlineData("wat2wasm", "-h")]
    [InlineData("wast", "--help")]
    public void HelpWorksEverywhere(params string[] args)
    {
        var (exit, output, error) = Weft(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        Assert.Empty(error);
    }

    [Fact]
    public void RootHelpListsTheCommands()
    {
        string output = Weft("--help").Out;
        Assert.All(["validate", "wat2wasm", "wast"], command => Assert.Contains(command, output));
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("validate")]
    [InlineData("validate", "a.wasm", "b.wasm")]
    [InlineData("validate", "/no/such/file.wasm")]
    [InlineData("wat2wasm")]
    [InlineData("wast")]
    [InlineData("wast", "/no/such/folder")]
    [InlineData("wast", "--jobs", "0", ".")]
    [InlineData("wast", "--jobs", "many", ".")]
    [InlineData("--version", "validate")]
    public void BadArgumentsGiveOneUsageLineAndExitCode2(params string[] args)
    {
        var (exit, output, error) = Weft(args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        string line = Assert.Single(Lines(error));
        Assert.StartsWith("weft: ", line);
        Assert.Contains("Usage: weft", line);
        Assert.DoesNotContain("   at ", line); // no stack trace
    }

    [Fact]
    public void WastOnAnEmptyFolderEndsWithTheSummary()
    {
        var (exit, output, _) = Weft("wast", _folder);
        Assert.Equal(0, exit);
        Assert.Equal("0 passed, 0 failed, 0 skipped", Lines(output)[^1]);
    }

    [Fact]
    public void WastPrintsEachFailureWithFileAndLineThenTheSummaryAndExits1()
    {
        // Fails whatever the state of the parsers: either they are missing, or the message does not match.
        string script = Path.Combine(_folder, "bad.wast");
        File.WriteAllText(script, "(module)\n(assert_malformed (module quote \"(func\") \"no parser says this\")\n");

        var (exit, output, _) = Weft("wast", _folder);

        Assert.Equal(1, exit);
        var lines = Lines(output);
        Assert.Matches(Summary(), lines[^1]);
        Assert.DoesNotMatch(@" 0 failed", lines[^1]);
        Assert.Contains(lines, line => line.StartsWith(script + ":", StringComparison.Ordinal) && line.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateReportsProblemsInOneLineAndExits1()
    {
        string bad = Path.Combine(_folder, "bad.wasm");
        File.WriteAllBytes(bad, [0x00, 0x61, 0x73, 0x6D, 0x01]); // truncated header

        var (exit, output, error) = Weft("validate", bad);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Single(Lines(error));
    }

    [Fact]
    public void ValidateAcceptsTheReadmeExample()
    {
        string example = Path.Combine(SpecSuite.RepositoryRoot, "examples", "hello.wat");
        var (exit, output, error) = Weft("validate", example);
        Assert.True(exit == 0, error);
        Assert.Equal("valid", output.Trim());
    }

    [Fact]
    public void TheReadmeFirstCommandRunsTheExample()
    {
        // README: dotnet run --project src/Weft.Cli -- run examples/hello.wat --invoke factorial 20
        string example = Path.Combine(SpecSuite.RepositoryRoot, "examples", "hello.wat");
        var (exit, output, error) = Weft("run", example, "--invoke", "factorial", "20");
        Assert.True(exit == 0, error);
        Assert.Equal("2432902008176640000", output.Trim());
    }

    [Fact]
    public void Wat2WasmWritesABinaryThatValidates()
    {
        string example = Path.Combine(SpecSuite.RepositoryRoot, "examples", "hello.wat");
        string target = Path.Combine(_folder, "hello.wasm");

        var (exit, _, error) = Weft("wat2wasm", example, "-o", target);

        Assert.True(exit == 0, error);
        Assert.True(WasmModule.IsBinary(File.ReadAllBytes(target)));
        Assert.Equal((0, "valid"), (Weft("validate", target).Exit, Weft("validate", target).Out.Trim()));
    }
}
