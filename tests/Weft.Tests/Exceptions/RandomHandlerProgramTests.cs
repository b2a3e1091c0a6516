using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Weft.Compilation;

namespace Weft.Tests.Exceptions;

/// <summary>
/// Random nests of handlers and branches (see <see cref="RandomHandlerPrograms"/>) must compile to IL that both JIT
/// tiers accept, and run to a result or an uncaught <see cref="WasmException"/>: nothing in them can trap, so any
/// <see cref="TrapException"/> (for instance an "internal error" from invalid IL) is a compiler bug.
/// </summary>
/// <remarks>
/// For a long run set <c>WEFT_EH_RANDOM_MODULES</c> (default 12 modules of 25 functions) and optionally
/// <c>WEFT_EH_RANDOM_SEED</c> (the first seed, default 0); <c>WEFT_EH_RANDOM_DUMP</c> names a folder that receives
/// each module's text.
/// </remarks>
public class RandomHandlerProgramTests
{
    private const int FunctionsPerModule = 25;

    private static int Modules => int.TryParse(Environment.GetEnvironmentVariable("WEFT_EH_RANDOM_MODULES"), out int n) && n > 0 ? n : 12;

    private static int FirstSeed => int.TryParse(Environment.GetEnvironmentVariable("WEFT_EH_RANDOM_SEED"), out int n) ? n : 0;

    [Fact]
    public void RandomProgramsRunToAResultOrAnUncaughtException()
    {
        var failures = new StringBuilder();
        int results = 0, exceptions = 0;
        for (int seed = FirstSeed; seed < FirstSeed + Modules; seed++)
        {
            string text = RandomHandlerPrograms.Module(seed, FunctionsPerModule);
            if (Environment.GetEnvironmentVariable("WEFT_EH_RANDOM_DUMP") is { } dump) File.WriteAllText(Path.Combine(dump, $"seed{seed}.wat"), text);
            using var store = new Store();
            var instance = Wasm.Instantiate(store, text);
            for (int f = 0; f < FunctionsPerModule; f++)
            {
                for (int argument = 0; argument < 4; argument++)
                {
                    try
                    {
                        int first = instance.CallI32($"f{f}", argument);
                        Assert.Equal(first, instance.CallI32($"f{f}", argument));
                        results++;
                    }
                    catch (WasmException)
                    {
                        exceptions++;
                    }
                    catch (WeftException e)
                    {
                        failures.AppendLine($"seed {seed} f{f}({argument}): {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        // The generator must exercise both outcomes.
        Assert.InRange(results, 50, int.MaxValue);
        Assert.InRange(exceptions, 20, int.MaxValue);
    }

    [Fact]
    public void RandomProgramsCompileUnderFullOptimization()
    {
        for (int seed = FirstSeed; seed < FirstSeed + Modules; seed++)
        {
            var module = WasmModule.FromText(RandomHandlerPrograms.Module(seed, FunctionsPerModule));
            var compiled = ModuleCompiler.Compile(module.Syntax, module.Valid, new Weft.Runtime.CodeOptions { AggressiveOptimization = true });
            foreach (var method in compiled.ContextType.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                // Forces the JIT now; invalid IL would throw InvalidProgramException here.
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    /// <summary>
    /// When node is on the PATH (or <c>WEFT_EH_NODE</c> names one; V8 runs legacy exception handling, and older versions no
    /// exnref), programs must give node's results, values and uncaught exceptions alike: legacy programs as they are,
    /// programs with try_table (without exnref) against the same program with each try_table written as a legacy try.
    /// </summary>
    [SkippableFact]
    public void LegacyProgramsAgreeWithNode()
    {
        string? node = Environment.GetEnvironmentVariable("WEFT_EH_NODE") is { Length: > 0 } named ? named : FindOnPath("node");
        Skip.If(node is null, "node was not found (set WEFT_EH_NODE to a node executable) to compare with V8");
        string folder = Directory.CreateTempSubdirectory("weft-eh-").FullName;
        try
        {
            string script = Path.Combine(folder, "run.js");
            File.WriteAllText(script, """
                const bytes = require('fs').readFileSync(process.argv[2]);
                const count = +process.argv[3];
                const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
                const out = [];
                for (let f = 0; f < count; f++) for (let a = 0; a < 4; a++) {
                  try { out.push(String(instance.exports['f' + f](a))); }
                  catch (e) { out.push(e instanceof WebAssembly.Exception ? 'exception' : 'error ' + e); }
                }
                console.log(out.join('\n'));
                """);
            var differences = new StringBuilder();
            for (int seed = FirstSeed; seed < FirstSeed + Modules; seed++)
            {
                // Legacy programs as they are; try_table programs against their legacy twin.
                Compare(seed, RandomHandlerPrograms.Module(seed, FunctionsPerModule, ProgramForm.LegacyOnly), null);
                Compare(seed, RandomHandlerPrograms.Module(seed, FunctionsPerModule, ProgramForm.NoRefs),
                    RandomHandlerPrograms.Module(seed, FunctionsPerModule, ProgramForm.NoRefsAsLegacy));
            }

            void Compare(int seed, string text, string? nodeText)
            {
                var module = WasmModule.FromText(text);
                if (Environment.GetEnvironmentVariable("WEFT_EH_RANDOM_DUMP") is { } dump)
                {
                    File.WriteAllText(Path.Combine(dump, $"seed{seed}-{(nodeText is null ? "legacy" : "try_table")}.wat"), text);
                    if (nodeText is not null) File.WriteAllText(Path.Combine(dump, $"seed{seed}-twin.wat"), nodeText);
                }
                string wasm = Path.Combine(folder, $"seed{seed}.wasm");
                File.WriteAllBytes(wasm, WasmModule.FromText(nodeText ?? text).ToBinary());
                var start = new ProcessStartInfo(node!, [script, wasm, FunctionsPerModule.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                {
                    RedirectStandardOutput = true,
                };
                using var process = Process.Start(start)!;
                var expected = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                process.WaitForExit();
                Assert.True(expected.Length == FunctionsPerModule * 4, $"node printed {expected.Length} results for seed {seed}");

                using var store = new Store();
                var instance = new Linker().Instantiate(store, module);
                int line = 0;
                for (int f = 0; f < FunctionsPerModule; f++)
                {
                    for (int argument = 0; argument < 4; argument++, line++)
                    {
                        string actual;
                        try
                        {
                            actual = instance.CallI32($"f{f}", argument).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                        catch (WasmException)
                        {
                            actual = "exception";
                        }
                        if (actual != expected[line])
                        {
                            differences.AppendLine($"seed {seed} ({(nodeText is null ? "legacy" : "try_table")}) f{f}({argument}): node {expected[line]}, weft {actual}");
                        }
                    }
                }
            }
            Assert.True(differences.Length == 0, differences.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name))
            .FirstOrDefault(File.Exists);
}
