using System.Diagnostics;
using System.Text;

namespace Weft.Tests.Wasi;

/// <summary>
/// The WASI test suite through the built <c>weft run</c>, one fresh process per test, the way the suite's own runner
/// tests other engines: what a test sees of a new process (clocks, stdio, exit codes) is only tested this way. Each
/// test runs in a writable copy of its folder; a few processes run at a time.
/// </summary>
public sealed class WasiTestSuiteCliTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public async Task EveryTestPassesUnderWeftRun()
    {
        Skip.If(WasiTestSuite.Root is null, WasiTestSuite.AbsentMessage);
        string cli = Path.Combine(AppContext.BaseDirectory, "Weft.Cli.dll");
        Assert.True(File.Exists(cli), $"the built CLI is missing: {cli}");
        var tests = WasiTestSuite.Tests().ToList();
        Assert.NotEmpty(tests);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(tests, new ParallelOptions { MaxDegreeOfParallelism = 3 }, async (test, _) =>
        {
            var spec = WasiTestSuite.ReadSpec(Path.Combine(WasiTestSuite.Root!, test));
            var (exit, stdout, stderr) = await RunAsync(cli, test, spec);
            if (exit != spec.ExitCode || stdout != spec.Stdout || stderr != spec.Stderr)
            {
                failures.Add($"{test}: exit {exit} (expected {spec.ExitCode}), stdout \"{stdout}\" (expected \"{spec.Stdout}\"), stderr \"{stderr}\" (expected \"{spec.Stderr}\")");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {tests.Count} failed:\n{string.Join('\n', failures.Order(StringComparer.Ordinal))}");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string cli, string test, WasiTestSuite.Spec spec)
    {
        string work = WasiTestSuite.CopyTestFolder(test);
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = work,
            };
            start.ArgumentList.Add(cli);
            start.ArgumentList.Add("run");
            if (spec.Root is { } root)
            {
                start.ArgumentList.Add("--dir");
                start.ArgumentList.Add($"{Path.Combine(work, root)}::/");
            }
            foreach (var dir in spec.Dirs)
            {
                start.ArgumentList.Add("--dir");
                start.ArgumentList.Add($"{Path.Combine(work, dir)}::{dir}");
            }
            foreach (var (name, value) in spec.Env)
            {
                start.ArgumentList.Add("--env");
                start.ArgumentList.Add($"{name}={value}");
            }
            start.ArgumentList.Add(Path.Combine(work, Path.GetFileName(test)));
            start.ArgumentList.Add("--");
            foreach (var arg in spec.Args) start.ArgumentList.Add(arg);

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(s_timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, await stdout, $"timed out after {s_timeout}: {await stderr}");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
