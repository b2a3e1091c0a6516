using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Weft.Cli;

/// <summary>
/// ReadyToRun for <c>weft compile --ready-to-run</c>: runs crossgen2 over the IL assembly Weft wrote, so the module's
/// code is machine code when it loads. Besides start-up, this is what lifts RyuJIT's size limits: the JIT compiles a
/// method over about 60,000 IL bytes (or 20,000 instructions, 2,000 blocks) with no optimization at all, while
/// crossgen2 optimizes it (docs/RATIONALE.md, "Large wasm functions run unoptimized").
/// </summary>
internal static class ReadyToRun
{
    /// <summary>The environment variable that names crossgen2 when <c>--crossgen2</c> does not.</summary>
    public const string Crossgen2Variable = "WEFT_CROSSGEN2";

    /// <summary>
    /// crossgen2 for this platform: <paramref name="explicitPath"/>, else <see cref="Crossgen2Variable"/>, else the
    /// crossgen2 package in the NuGet cache (where the SDK puts it for any <c>dotnet publish -p:PublishReadyToRun=true</c>)
    /// in the version of the running .NET if present, else the newest of its major version.
    /// </summary>
    /// <exception cref="UsageException">No crossgen2 is found, or the one named does not exist.</exception>
    public static string FindCrossgen2(string? explicitPath)
    {
        string? named = explicitPath ?? Environment.GetEnvironmentVariable(Crossgen2Variable);
        if (!string.IsNullOrEmpty(named))
        {
            if (!File.Exists(named)) throw new UsageException($"crossgen2 not found at '{named}'");
            return Path.GetFullPath(named);
        }
        string package = Path.Combine(NuGetRoot(), $"microsoft.netcore.app.crossgen2.{RuntimeInformation.RuntimeIdentifier}".ToLowerInvariant());
        var candidates = Directory.Exists(package)
            ? Directory.GetDirectories(package)
                .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d), out var v) ? v : null))
                .Where(c => c.Version is { } v && v.Major == Environment.Version.Major && ToolIn(c.Directory) is not null)
                .OrderByDescending(c => c.Version == Environment.Version)
                .ThenByDescending(c => c.Version)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new UsageException($"crossgen2 for {RuntimeInformation.RuntimeIdentifier} (.NET {Environment.Version.Major}) is not in the NuGet cache " +
                $"({package}); name it with --crossgen2 PATH or {Crossgen2Variable}, or let the SDK fetch it: " +
                "`dotnet publish -p:PublishReadyToRun=true` of any project (this repository's tests/Weft.Tests restore it)");
        }
        return ToolIn(candidates[0].Directory)!;
    }

    // The package's tools folder holds crossgen2 as a native executable (crossgen2.exe on Windows) or, in older
    // packages, as crossgen2.dll for the dotnet host.
    private static string? ToolIn(string packageVersion)
    {
        string tools = Path.Combine(packageVersion, "tools");
        foreach (string name in new[] { OperatingSystem.IsWindows() ? "crossgen2.exe" : "crossgen2", "crossgen2.dll" })
        {
            string path = Path.Combine(tools, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static string NuGetRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// Compiles <paramref name="input"/> (an IL assembly written with <see cref="PrecompileOptions.ForReadyToRun"/>)
    /// into the ReadyToRun image <paramref name="output"/> for this machine's OS and architecture, against the running
    /// .NET's framework and this Weft.
    /// </summary>
    /// <exception cref="ExternalToolException">crossgen2 fails; its own output is in the message.</exception>
    public static void Compile(string crossgen2, string input, string output)
    {
        string framework = RuntimeEnvironment.GetRuntimeDirectory();
        string weft = typeof(WasmModule).Assembly.Location;
        if (weft.Length == 0) throw new ExternalToolException("ReadyToRun needs Weft.dll as a file, and this weft runs from a single-file bundle");
        var start = new ProcessStartInfo
        {
            FileName = crossgen2.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? DotnetHost() : crossgen2,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (crossgen2.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) start.ArgumentList.Add(crossgen2);
        foreach (string argument in new[]
        {
            input, "-o", output, "-O",
            "-r", Path.Combine(framework, "*.dll"), "-r", weft,
            "--targetos", TargetOs(), "--targetarch", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new ExternalToolException($"could not start {crossgen2}");
        // Both streams are read concurrently: a child blocked on a full pipe would never exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // crossgen2 prints its own exceptions with their stack traces: the message is what the user can act on.
            var lines = (stderr + "\n" + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !line.StartsWith("at ", StringComparison.Ordinal));
            throw new ExternalToolException($"crossgen2 failed (exit {process.ExitCode}): {string.Join(" ", lines)}");
        }
    }

    private static string TargetOs() =>
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsFreeBSD() ? "freebsd" : "linux";

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? host : "dotnet";
}
