using System.Diagnostics;
using System.Text;
using Weft.Binary;
using Weft.Tests.Binary;
using Xunit.Abstractions;

namespace Weft.Tests.Robustness;

/// <summary>
/// Truncated and randomly mutated modules must only ever produce <see cref="MalformedModuleException"/> (never another
/// exception, never a hang), and whatever still decodes must round-trip through the writer.
/// </summary>
/// <remarks>
/// The default run samples enough to take a few seconds. For a long run set <c>WEFT_ROBUSTNESS_ITERATIONS</c> to the
/// number of mutations per corpus module (default 40), and optionally <c>WEFT_ROBUSTNESS_SEED</c> to vary the seed:
/// <c>WEFT_ROBUSTNESS_ITERATIONS=5000 dotnet test tests/Weft.Tests --filter FullyQualifiedName~Robustness</c>.
/// When <c>WEFT_WASM_CORPUS</c> names a folder of .wasm files, they join the corpus.
/// </remarks>
public sealed class MalformedInputTests(ITestOutputHelper output)
{
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("WEFT_ROBUSTNESS_ITERATIONS"), out int n) && n > 0 ? n : 40;

    // Every n-th text module of the suite joins the corpus (encoded); WEFT_ROBUSTNESS_TEXT_EVERY=1 takes them all.
    private static int TextModuleSampling => int.TryParse(Environment.GetEnvironmentVariable("WEFT_ROBUSTNESS_TEXT_EVERY"), out int n) && n > 0 ? n : 25;

    private static IEnumerable<byte[]> SuiteTextModules(int every)
    {
        if (Weft.Tests.Conformance.SpecSuite.Root is not { } root) yield break;
        int seen = 0;
        foreach (string script in Weft.Tests.Conformance.SpecSuite.AllScripts())
        {
            var parsed = Weft.Script.WastParser.Parse(File.ReadAllBytes(Path.Combine(root, script)), script);
            foreach (var command in parsed.Commands)
            {
                if (command is Weft.Script.ModuleCommand { Module.Parsed: { } module } && seen++ % every == 0)
                {
                    yield return ModuleWriter.Write(module);
                }
            }
        }
    }

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("WEFT_ROBUSTNESS_SEED"), out int n) ? n : 20240601;

    // Suite modules that decode, their canonical rewrites, and synthetic modules of a few shapes.
    private static List<byte[]> Corpus()
    {
        var corpus = new List<byte[]>();
        foreach (var module in SpecSuite.BinaryModules)
        {
            try
            {
                var decoded = ModuleReader.Read(module.Bytes);
                corpus.Add(module.Bytes);
                corpus.Add(ModuleWriter.Write(decoded));
            }
            catch (MalformedModuleException)
            {
                corpus.Add(module.Bytes); // malformed modules are good seeds too
            }
        }
        for (int seed = 0; seed < 4; seed++) corpus.Add(ModuleWriter.Write(SyntheticModules.Generate(seed, 2 + seed * 5, 30)));
        corpus.AddRange(SuiteTextModules(every: TextModuleSampling));
        string? folder = Environment.GetEnvironmentVariable("WEFT_WASM_CORPUS");
        if (!string.IsNullOrEmpty(folder) && Directory.Exists(folder))
        {
            foreach (string path in Directory.EnumerateFiles(folder, "*.wasm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                corpus.Add(File.ReadAllBytes(path));
            }
        }
        return corpus;
    }

    [Fact]
    public void TruncatedModulesFailCleanly()
    {
        var random = new Random(Seed);
        var failures = new StringBuilder();
        int runs = 0;
        foreach (byte[] module in Corpus())
        {
            int cuts = Math.Min(module.Length, Iterations / 4 + 1);
            for (int i = 0; i < cuts; i++)
            {
                int length = cuts == module.Length ? i : random.Next(module.Length);
                Check(module.AsSpan(0, length).ToArray(), failures);
                runs++;
            }
        }
        output.WriteLine($"{runs} truncated modules");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void MutatedModulesFailCleanly()
    {
        var random = new Random(Seed);
        var failures = new StringBuilder();
        int runs = 0, decoded = 0;
        var clock = Stopwatch.StartNew();
        foreach (byte[] module in Corpus())
        {
            if (module.Length == 0) continue;
            for (int i = 0; i < Iterations; i++)
            {
                if (Check(Mutate(module, random), failures)) decoded++;
                runs++;
            }
        }
        output.WriteLine($"{runs} mutated modules, {decoded} still decoded, {s_validModules} valid (compiled), {s_calls} exported functions called, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void HugeCountsFailFast()
    {
        // Counts near 2^32 everywhere a vector starts: no pre-allocation, no long loops.
        string[] sections = ["01 05 ff ff ff ff 0f", "02 05 ff ff ff ff 0f", "03 05 ff ff ff ff 0f", "0a 05 ff ff ff ff 0f", "0b 05 ff ff ff ff 0f", "09 05 ff ff ff ff 0f"];
        var clock = Stopwatch.StartNew();
        foreach (string section in sections)
        {
            var e = Assert.Throws<MalformedModuleException>(() => ModuleReader.Read(Wasm.Module(section)));
            Assert.Equal("length out of bounds", e.Reason);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    private static byte[] Mutate(byte[] module, Random random)
    {
        var bytes = new List<byte>(module);
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            // Past the header most of the time: a broken header stops decoding at once.
            int at = bytes.Count > 8 && random.Next(10) != 0 ? random.Next(8, bytes.Count) : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                case 4: bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80; break; // LEB continuation / big values
                default: bytes[at] = (byte)(bytes[at] + random.Next(-2, 3)); break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>How long one input may take to decode, validate, compile (JIT included) and run: compile time is linear in size.</summary>
    private static readonly TimeSpan s_inputBudget = TimeSpan.FromSeconds(2);

    // Decodes; true when the module decoded (and then round-tripped). Any non-Weft exception, a broken invariant, a
    // valid module that does not compile, or an input that takes longer than the budget is a failure.
    private static bool Check(byte[] bytes, StringBuilder failures)
    {
        var clock = Stopwatch.StartNew();
        t_running = TimeSpan.Zero;
        try
        {
            return CheckUntimed(bytes, failures);
        }
        finally
        {
            // Running the exports (under fuel) is not compiling: only decode, validate and compile count.
            var compiling = clock.Elapsed - t_running;
            if (compiling > s_inputBudget) Report(failures, bytes, $"decoding, validating and compiling took {compiling.TotalSeconds:F1} s (budget {s_inputBudget.TotalSeconds} s)");
        }
    }

    private static bool CheckUntimed(byte[] bytes, StringBuilder failures)
    {
        try
        {
            var module = ModuleReader.Read(bytes);
            byte[] once = ModuleWriter.Write(module);
            byte[] twice = ModuleWriter.Write(ModuleReader.Read(once));
            if (!once.AsSpan().SequenceEqual(twice)) Report(failures, bytes, "Write(Read(Write(m))) != Write(m)");
            CompileIfValid(module);
            return true;
        }
        catch (MalformedModuleException)
        {
            return false;
        }
        catch (InvalidModuleException)
        {
            return true;
        }
        catch (CompilationException e)
        {
            // Only a module that validated gets this far: a valid module must compile.
            Report(failures, bytes, $"a valid module failed to compile: {e}");
            return true;
        }
        catch (Exception e)
        {
            Report(failures, bytes, e.ToString());
            return false;
        }
    }

    // A module that validates must compile to IL the JIT accepts: PrepareMethod JIT-compiles every function now, so an
    // invalid program surfaces here instead of at a first call in production.
    private static void CompileIfValid(Weft.Syntax.Module module)
    {
        var valid = Weft.Validation.Validator.Validate(module);
        var wasm = WasmModule.FromValidated(module, valid);
        var compiled = (Weft.Compilation.CompiledModule)wasm.Compiled;
        foreach (var method in compiled.CodeTypes.SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)))
        {
            System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            RunIfSelfContained(wasm);
        }
        finally
        {
            t_running = clock.Elapsed;
        }
    }

    [ThreadStatic]
    private static TimeSpan t_running;

    // A module without imports is instantiated and each exported function called with zero arguments, under fuel so
    // that a mutated loop cannot hang: whatever it does, only Weft's exceptions may come out.
    private static void RunIfSelfContained(WasmModule wasm)
    {
        Interlocked.Increment(ref s_validModules);
        if (wasm.Syntax.Imports.Count > 0) return;
        using var store = new Store(new StoreLimits { MaxMemoryBytes = 16 << 20, MaxTableElements = 100_000 }) { ConsumeFuel = true };
        store.Fuel = 100_000;
        Instance instance;
        try
        {
            instance = new Linker().Instantiate(store, wasm);
        }
        catch (WeftException e)
        {
            ThrowIfInternal(e);
            return;
        }
        foreach (var (_, item) in instance.Exports)
        {
            // Only functions whose parameters all have a default value (a host passing null for a non-nullable
            // reference is a host error, refused with ArgumentException before wasm runs).
            if (item is not Function function || !function.Parameters.All(p => p.IsDefaultable)) continue;
            Interlocked.Increment(ref s_calls);
            var args = function.Parameters.Select(Zero).ToArray();
            try
            {
                store.Fuel = 100_000;
                function.Invoke(args);
            }
            catch (WeftException e)
            {
                ThrowIfInternal(e);
            }
        }
    }

    // The module has no imports, so no host code runs: a trap that wraps a .NET exception means compiled code or a
    // runtime helper raised one itself. That is a bug even though Function.Invoke maps it, because the typed calls
    // (which have no catch, for speed) would let it out raw.
    private static void ThrowIfInternal(WeftException e)
    {
        if (e is CompilationException) throw new InvalidOperationException($"a valid module failed to compile: {e}");
        if (e is TrapException { InnerException: { } inner } && inner is not WeftException)
        {
            throw new InvalidOperationException($"compiled code raised a .NET exception: {inner}");
        }
    }

    private static int s_validModules, s_calls;

    private static WasmValue Zero(Weft.Syntax.ValType type) => type.Kind switch
    {
        Weft.Syntax.ValKind.I32 => WasmValue.FromInt32(0),
        Weft.Syntax.ValKind.I64 => WasmValue.FromInt64(0),
        Weft.Syntax.ValKind.F32 => WasmValue.FromSingle(0),
        Weft.Syntax.ValKind.F64 => WasmValue.FromDouble(0),
        Weft.Syntax.ValKind.V128 => WasmValue.FromVector(default),
        _ => WasmValue.FromReference(null),
    };

    private static void Report(StringBuilder failures, byte[] bytes, string what)
    {
        if (failures.Length > 20_000) return;
        failures.AppendLine($"{what}\n  input: {Convert.ToHexString(bytes)}");
    }
}
