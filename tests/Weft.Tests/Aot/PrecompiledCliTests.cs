using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Weft.Tests.Cli;
using Weft.Tests.Conformance;

namespace Weft.Tests.Aot;

/// <summary>
/// <c>weft compile</c> and <c>weft run FILE.dll</c> on bench/programs' sha256: the precompiled assembly prints what the
/// native build printed, on the JIT runtime and in a process where Reflection.Emit throws (the runtimeconfig switch
/// System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported=false, which makes AssemblyBuilder and
/// DynamicMethod throw PlatformNotSupportedException, as under NativeAOT).
/// </summary>
public sealed class PrecompiledCliTests
{
    private static readonly string s_programs = Path.Combine(SpecSuite.RepositoryRoot, "bench", "programs");
    private static readonly string s_wasm = Path.Combine(s_programs, "wasm", "sha256.wasm");
    private static readonly string s_expected = File.ReadAllText(Path.Combine(s_programs, "expected", "sha256.out"));

    /// <summary>bench/programs' sha256.wasm (also for ReadyToRunCliTests).</summary>
    internal static string Sha256Wasm => s_wasm;

    /// <summary>What sha256's native build printed.</summary>
    internal static string Sha256Expected => s_expected;

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void CompiledSha256RunsAndPrintsWhatTheNativeBuildPrints()
    {
        string work = Directory.CreateTempSubdirectory("weft-aot-cli-").FullName;
        try
        {
            string dll = Path.Combine(work, "sha256.dll");
            var compiled = InProcessCli.Run("compile", s_wasm, "-o", dll);
            Assert.True(compiled.Exit == 0, compiled.Err);
            Assert.True(new FileInfo(dll).Length > 0);
            var run = InProcessCli.Run("run", dll);
            Assert.True(run.Exit == 0, run.Err);
            Assert.Equal(s_expected, run.Out);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void WithoutDynamicCodeThePrecompiledAssemblyRunsAndTheWasmIsRefusedClearly()
    {
        string work = Directory.CreateTempSubdirectory("weft-aot-nodyn-").FullName;
        try
        {
            string dll = Path.Combine(work, "sha256.dll");
            Assert.Equal(0, InProcessCli.Run("compile", s_wasm, "-o", dll).Exit);
            string config = NoDynamicCodeRuntimeConfig(work);

            var precompiled = RunCli(config, work, "run", dll);
            Assert.True(precompiled.Exit == 0, $"exit {precompiled.Exit}: {precompiled.Err}");
            Assert.Equal(s_expected, precompiled.Out);

            // The same program from its .wasm needs code generated now: refused with Weft's message, no crash.
            var jit = RunCli(config, work, "run", s_wasm);
            Assert.Equal(1, jit.Exit);
            Assert.Contains("this runtime cannot generate code (RuntimeFeature.IsDynamicCodeSupported is false)", jit.Err);
            Assert.DoesNotContain("internal error", jit.Err);
            Assert.Equal("", jit.Out);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // The test host's own runtimeconfig (its framework and roll-forward) plus the switch.
    private static string NoDynamicCodeRuntimeConfig(string folder)
    {
        string own = Path.Combine(AppContext.BaseDirectory, "Weft.Tests.runtimeconfig.json");
        var json = JsonNode.Parse(File.ReadAllText(own))!;
        var options = json["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not JsonObject properties) options["configProperties"] = properties = [];
        properties["System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"] = false;
        string path = Path.Combine(folder, "nodynamic.runtimeconfig.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static (int Exit, string Out, string Err) RunCli(string runtimeConfig, string work, params string[] args)
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
        foreach (string arg in (string[])["exec", "--runtimeconfig", runtimeConfig, Path.Combine(AppContext.BaseDirectory, "Weft.Cli.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"weft {string.Join(' ', args)} did not finish in {s_timeout}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
