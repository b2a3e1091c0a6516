using System.Text.RegularExpressions;
using Weft.JavaScript.Tests.JsApi;

namespace Weft.JavaScript.Tests.RealPrograms;

/// <summary>
/// The compiler-produced programs of ../shared/real-programs (read in place, never copied), run as their README runs
/// them under node: through their own unmodified loaders and runner scripts with <c>weft js</c>. The MoonBit ones run
/// from C# with only the engine in Weft.Tests (Builtins/MoonBitTests).
/// </summary>
public sealed partial class RealProgramsTests
{
    private static string Root => Path.GetFullPath(Path.Combine(JsApiSuite.RepositoryRoot, "..", "shared", "real-programs"));

    [Fact]
    public void Programs_are_present()
    {
        // Without them the tests below would have nothing to judge.
        Assert.True(File.Exists(Path.Combine(Root, "dart2wasm-list-access", "run_dart.mjs")), $"REAL PROGRAMS NOT FOUND at {Root}");
        Assert.True(File.Exists(Path.Combine(Root, "moonbit-small", "run_moonbit.js")), $"REAL PROGRAMS NOT FOUND at {Root}");
    }

    [Fact]
    public void Dart2wasm_list_access_runs_through_its_own_mjs_with_weft_js()
    {
        string dir = Path.Combine(Root, "dart2wasm-list-access");
        var (code, output, error) = RunWeftJs(dir, "run_dart.mjs",
            "non_devirtualized_list_access.dart2wasm.mjs", "non_devirtualized_list_access.dart2wasm.wasm");
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        // node 26 prints exactly one line: "NonDevirtualizedList(RunTime): <N> us." (a wrong sum would add a line).
        Assert.Matches(TimingLine(), output);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("traits")]
    public void MoonBit_runs_through_run_moonbit_js_with_weft_js(string program)
    {
        string dir = Path.Combine(Root, "moonbit-small");
        var (code, output, error) = RunWeftJs(dir, "run_moonbit.js", program + ".wasm");
        Assert.True(code == 0, $"exit code {code}\n{output}\n{error}");
        Assert.Equal(File.ReadAllText(Path.Combine(dir, program + ".expected")), output);
    }

    /// <summary>Runs <c>weft js SCRIPT ARGS</c> in-process (the CLI's own command) with the working directory at <paramref name="dir"/>.</summary>
    private static (int Code, string Output, string Error) RunWeftJs(string dir, string script, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string previous = Directory.GetCurrentDirectory();
        int code;
        lock (s_cwd)
        {
            Directory.SetCurrentDirectory(dir);
            try { code = Weft.Cli.JsCommand.Run(Path.Combine(dir, script), args, output, error); }
            finally { Directory.SetCurrentDirectory(previous); }
        }
        return (code, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }

    private static readonly object s_cwd = new();

    [GeneratedRegex(@"\ANonDevirtualizedList\(RunTime\): [0-9.e+-]+ us\.\n\z")]
    private static partial Regex TimingLine();
}
