using System.Text.Json;
using Weft.JavaScript;

namespace Weft.JavaScript.Tests.JsApi;

/// <summary>
/// Finds and runs the WebAssembly JS API test suite (<c>$WEFT_JSAPI_SUITE</c>, else <c>../shared/js-api</c> beside the
/// repository root): each testharness file in a fresh <see cref="JavaScriptRuntime"/>, through run-jsapi.js, which
/// loads testharness.js, the file's META scripts and the file, and prints every subtest's result as one JSON line.
/// </summary>
internal static class JsApiSuite
{
    public const string EnvironmentVariable = "WEFT_JSAPI_SUITE";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return !string.IsNullOrEmpty(configured)
                ? Path.GetFullPath(configured)
                : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "js-api"));
        }
    }

    /// <summary>The test files (*.any.js under jsapi/), relative, ordinal order; empty if the suite is absent.</summary>
    public static IEnumerable<string> Files()
    {
        string jsapi = Path.Combine(Root, "jsapi");
        if (!Directory.Exists(jsapi)) return [];
        return Directory.EnumerateFiles(jsapi, "*.any.js", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(jsapi, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }

    public sealed record Subtest(string Name, int Status, string? Message);

    public sealed record FileResult(int Harness, string? HarnessMessage, IReadOnlyList<Subtest> Subtests, string Output);

    /// <summary>Runs one file; testharness statuses: 0 pass, 1 fail, 2 timeout, 3 not run, 4 precondition failed.</summary>
    public static FileResult Run(string relativeFile)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string runner = Path.Combine(AppContext.BaseDirectory, "run-jsapi.js");
        int exit = -1;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var runtime = new JavaScriptRuntime([Root, relativeFile], output: output, error: error);
                exit = runtime.RunMain(runner);
            }
#pragma warning disable CA1031 // reported by the caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        }, 256 << 20);
        thread.Start();
        thread.Join();
        string all = output + error.ToString();
        if (failure is not null) throw new InvalidOperationException($"{relativeFile}: the runtime failed: {failure}\n{all}");
        var line = output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("JSAPI-RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{relativeFile}: no result (exit code {exit}):\n{all}");
        using var doc = JsonDocument.Parse(line["JSAPI-RESULT ".Length..]);
        var root = doc.RootElement;
        var subtests = root.GetProperty("results").EnumerateArray()
            .Select(r => new Subtest(r.GetProperty("name").GetString() ?? "", r.GetProperty("status").GetInt32(),
                r.GetProperty("message").ValueKind == JsonValueKind.String ? r.GetProperty("message").GetString() : null))
            .ToList();
        var message = root.GetProperty("message");
        return new FileResult(root.GetProperty("harness").GetInt32(), message.ValueKind == JsonValueKind.String ? message.GetString() : null, subtests, all);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }
}
