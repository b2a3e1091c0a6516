using System.Text.Json;
using Weft.Tests.Conformance;
using Weft.Wasi;

namespace Weft.Tests.Wasi;

/// <summary>
/// Finds and runs the WASI test suite (prebuilt C and AssemblyScript preview1 tests): <c>$WEFT_WASI_TESTSUITE</c> if
/// set, else <c>../shared/wasi-testsuite</c> beside the repository root. A test is a <c>.wasm</c> file with an optional
/// <c>.json</c> spec (args, env, root or dirs to preopen, expected exit code, stdout and stderr), per the suite's
/// doc/specification.md.
/// </summary>
internal static class WasiTestSuite
{
    public const string EnvironmentVariable = "WEFT_WASI_TESTSUITE";

    private static readonly Lazy<string?> s_root = new(Locate);

    /// <summary>The suite's folder, or null when it is absent.</summary>
    public static string? Root => s_root.Value;

    public static string AbsentMessage =>
        $"WASI TEST SUITE NOT FOUND: looked for ${EnvironmentVariable} and {Path.GetFullPath(Path.Combine(SpecSuite.RepositoryRoot, "..", "shared", "wasi-testsuite"))}. The WASI suite did not run.";

    /// <summary>Every test, as a path relative to the suite's root, with forward slashes.</summary>
    public static IEnumerable<string> Tests() => Root is null
        ? []
        : Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.wasm", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>What a test expects and how it is run.</summary>
    public sealed record Spec(string[] Args, Dictionary<string, string> Env, string? Root, string[] Dirs, int ExitCode, string Stdout, string Stderr);

    public static Spec ReadSpec(string wasmPath)
    {
        string json = Path.ChangeExtension(wasmPath, ".json");
        if (!File.Exists(json)) return new Spec([], [], null, [], 0, "", "");
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var e = doc.RootElement;
        string[] Strings(string name) => e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        string Text(string name) => e.TryGetProperty(name, out var v) ? v.GetString()! : "";
        var env = e.TryGetProperty("env", out var envValue)
            ? envValue.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
        return new Spec(
            Strings("args"), env,
            e.TryGetProperty("root", out var root) && root.ValueKind == JsonValueKind.String ? root.GetString() : null,
            Strings("dirs"),
            e.TryGetProperty("exit_code", out var code) ? code.GetInt32() : 0,
            Text("stdout"), Text("stderr"));
    }

    /// <summary>Copies a test's folder somewhere writable, runs the test there and returns what it did.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string relativePath, Spec spec)
    {
        string source = Path.Combine(Root!, relativePath);
        string work = CopyTestFolder(relativePath);
        try
        {
            string wasm = Path.Combine(work, Path.GetFileName(source));
            using var stdout = new MemoryStream();
            using var stderr = new MemoryStream();
            var config = new WasiConfig
            {
                Args = [Path.GetFileName(source), .. spec.Args],
                Environment = new Dictionary<string, string>(spec.Env),
                Stdout = stdout,
                Stderr = stderr,
            };
            if (spec.Root is { } root) config.Preopens["/"] = Path.Combine(work, root);
            foreach (var dir in spec.Dirs) config.Preopens[dir] = Path.Combine(work, dir);
            var linker = new Linker().AddWasi(config);
            using var store = new Store();
            int exit = linker.Instantiate(store, WasmModule.FromFile(wasm)).RunWasiCommand();
            return (exit, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A writable copy of a test's folder, without its <c>*.cleanup</c> artifacts; the caller deletes it.</summary>
    public static string CopyTestFolder(string relativePath)
    {
        string work = Directory.CreateTempSubdirectory("weft-wasi-").FullName;
        CopyFolder(Path.GetDirectoryName(Path.Combine(Root!, relativePath))!, work);
        foreach (var cleanup in Directory.EnumerateFileSystemEntries(work, "*.cleanup", SearchOption.AllDirectories)) Delete(cleanup);
        return work;
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            File.SetAttributes(target, FileAttributes.Normal); // shared/ is read-only; the copy must be writable
        }
    }

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        string beside = Path.GetFullPath(Path.Combine(SpecSuite.RepositoryRoot, "..", "shared", "wasi-testsuite"));
        return Directory.Exists(beside) ? beside : null;
    }
}

/// <summary>A theory over the WASI suite's tests, skipped loudly when the suite is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WasiSuiteTheoryAttribute : SkippableTheoryAttribute
{
    public WasiSuiteTheoryAttribute()
    {
        if (WasiTestSuite.Root is null) Skip = WasiTestSuite.AbsentMessage;
    }
}
