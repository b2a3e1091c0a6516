using System.Reflection;
using System.Reflection.Metadata;
using Weft.Compilation.Aot;
using System.Reflection.PortableExecutable;
using Weft.Tests.Cli;

namespace Weft.Tests.Aot;

/// <summary>
/// <c>weft compile --ready-to-run</c> (crossgen2 over the precompiled assembly) and the optimization mark of
/// precompiled methods: by default each function's method is AggressiveOptimization (a loaded assembly's methods are
/// otherwise tiered); for ReadyToRun they are unmarked, since crossgen2 leaves marked methods to the JIT. crossgen2
/// comes from the NuGet cache, where this project's restore puts it (PackageDownload in Weft.Tests.csproj).
/// </summary>
public sealed class ReadyToRunCliTests
{
    private static readonly string s_wasm = PrecompiledCliTests.Sha256Wasm;
    private static readonly string s_expected = PrecompiledCliTests.Sha256Expected;

    private const string Adder = """
        (module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "twice") (param i32) (result i32) local.get 0 local.get 0 call 0))
        """;

    [Fact]
    public void ReadyToRunAssemblyHoldsMachineCodeAndPrintsWhatTheNativeBuildPrints()
    {
        string work = Directory.CreateTempSubdirectory("weft-r2r-cli-").FullName;
        try
        {
            string dll = Path.Combine(work, "sha256.dll");
            var compiled = InProcessCli.Run("compile", s_wasm, "-o", dll, "--ready-to-run");
            Assert.True(compiled.Exit == 0, compiled.Err);
            Assert.Contains("(ReadyToRun)", compiled.Out);
            Assert.True(IsReadyToRunImage(dll), "crossgen2's output has no ReadyToRun header");
            Assert.DoesNotContain(Directory.GetFiles(work, "*", SearchOption.AllDirectories), f => f != dll);

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
    public void PlainPrecompiledMethodsAreMarkedOptimizedAndReadyToRunOnesAreNot()
    {
        var module = WasmModule.FromText(Adder);
        using var plain = new MemoryStream();
        module.Precompile(plain, new PrecompileOptions { AssemblyName = "Plain" });
        using var forR2R = new MemoryStream();
        module.Precompile(forR2R, new PrecompileOptions { AssemblyName = "ForR2R", ForReadyToRun = true });

        Assert.Equal([true, true], FunctionMethodsMarked(plain.ToArray()));
        Assert.Equal([false, false], FunctionMethodsMarked(forR2R.ToArray()));
        Assert.False(IsReadyToRunImage(plain.ToArray()));
    }

    [Fact]
    public void MarkedPrecompiledCodeServesDefaultStores()
    {
        // The mark is not a code option: the assembly's code must be what a default store runs (not a variant
        // compiled again at run time), with the same results.
        using var engine = new Engine();
        var module = WasmModule.FromText(engine, Adder);
        var entry = PrecompiledModuleTests.LoadInFreshContext(PrecompiledModuleTests.Precompile(module), out var context);
        try
        {
            var loaded = WasmModule.FromPrecompiled(engine, entry, module.ToBinary());
            using var store = new Store(engine);
            var instance = new Linker(engine).Instantiate(store, loaded);
            Assert.Equal(14, instance.GetFunction("twice")!.Invoke(WasmValue.FromInt32(7))[0].AsInt32());
            Assert.Equal(CodeOrigin.Assembly, Assert.IsType<PrecompiledCode>(loaded.Compiled).Origin);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void MissingCrossgen2IsAUsageErrorBeforeAnyOutput()
    {
        string work = Directory.CreateTempSubdirectory("weft-r2r-missing-").FullName;
        try
        {
            string dll = Path.Combine(work, "sha256.dll");
            var result = InProcessCli.Run("compile", s_wasm, "-o", dll, "--ready-to-run", "--crossgen2", Path.Combine(work, "no-such-crossgen2"));
            Assert.Equal(2, result.Exit);
            Assert.Contains("crossgen2 not found at", result.Err);
            Assert.False(File.Exists(dll));

            var alone = InProcessCli.Run("compile", s_wasm, "-o", dll, "--crossgen2", Path.Combine(work, "no-such-crossgen2"));
            Assert.Equal(2, alone.Exit);
            Assert.Contains("--crossgen2 needs --ready-to-run", alone.Err);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in crossgen2 is a shell script
    public void FailingCrossgen2IsReportedInOneLineWithItsExitCode()
    {
        string work = Directory.CreateTempSubdirectory("weft-r2r-fails-").FullName;
        try
        {
            // A "crossgen2" that fails the way a broken tool does: a message on stderr and exit 3.
            string fake = Path.Combine(work, "crossgen2");
            File.WriteAllText(fake, "#!/bin/sh\necho 'boom: bad input' >&2\nexit 3\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string dll = Path.Combine(work, "sha256.dll");
            var result = InProcessCli.Run("compile", s_wasm, "-o", dll, "--ready-to-run", "--crossgen2", fake);
            Assert.Equal(1, result.Exit);
            Assert.Contains("crossgen2 failed (exit 3): boom: bad input", result.Err);
            Assert.DoesNotContain("internal error", result.Err);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static bool IsReadyToRunImage(string path) => IsReadyToRunImage(File.ReadAllBytes(path));

    // crossgen2 output points the CLI header's managed-native-header directory at its READYTORUN header; IL-only
    // assemblies leave it empty.
    private static bool IsReadyToRunImage(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    // Whether each wasm function's method (f0, f1, ...) carries AggressiveOptimization, in function order.
    private static bool[] FunctionMethodsMarked(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var marks = new SortedDictionary<int, bool>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            string name = metadata.GetString(method.Name);
            if (name.Length < 2 || name[0] != 'f' || !int.TryParse(name.AsSpan(1), out int index)) continue;
            marks[index] = (method.ImplAttributes & MethodImplAttributes.AggressiveOptimization) != 0;
        }
        return [.. marks.Values];
    }
}
