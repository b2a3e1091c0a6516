using System.Runtime.Loader;
using System.Text;
using Weft.Binary;
using Weft.Compilation;
using Weft.Compilation.Aot;
using Weft.Gc;
using Weft.Runtime;
using Weft.Script;
using Weft.Tests.Conformance;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Tests.Aot;

/// <summary>
/// A sample of the spec suite with every module precompiled: its assembly written, loaded in a fresh
/// AssemblyLoadContext and run from there (through <see cref="PrecompiledCode"/>), with every assertion of the script
/// passing as on the JIT path. Modules with GC struct types, which cannot be precompiled yet, take the JIT path; the
/// test checks that most modules did not.
/// </summary>
public sealed class PrecompiledSpecTests
{
    /// <summary>Generates every module's code by the round trip; struct modules by the IL generator.</summary>
    private sealed class RoundTripGenerator(Engine engine) : ICodeGenerator
    {
        private readonly IlCodeGenerator _inner = new(engine);
        public int Precompiled;
        public int Jitted;

        public IModuleCode Generate(SyntaxModule module, ValidModule valid, CodeOptions options)
        {
            foreach (var type in valid.Types)
            {
                if (!type.IsStruct) continue;
                Interlocked.Increment(ref Jitted);
                return _inner.Generate(module, valid, options);
            }
            using var output = new MemoryStream();
            AotCompiler.Compile(module, valid, ModuleWriter.Write(module), output, "SpecRoundTrip", options);
            var context = new AssemblyLoadContext("spec round trip", isCollectible: true);
            var entry = context.LoadFromStream(new MemoryStream(output.ToArray())).GetType(AotFormat.EntryTypeName)!;
            var parts = (PrecompiledParts)entry.GetMethod(AotFormat.GetPartsMethod)!.Invoke(null, null)!;
            Assert.Equal(module.Functions.Count, parts.EntryPoints.Length);
            Interlocked.Increment(ref Precompiled);
            return new PrecompiledCode(parts, module);
        }

        public bool NativeEntryPoints => true;

        public StructLayout StructLayout(DefinedType type) => _inner.StructLayout(type);

        public nint HostEntry(DefinedType type, Type? typedDelegate) => _inner.HostEntry(type, typedDelegate);

        public DynamicInvoker.Stub Invoker(DefinedType type) => _inner.Invoker(type);

        public void Dispose() => _inner.Dispose();
    }

    private static readonly string[] s_scripts =
    [
        "core/i32.wast",
        "core/i64.wast",
        "core/f64.wast",
        "core/conversions.wast",
        "core/br_table.wast",
        "core/call_indirect.wast",
        "core/return_call_indirect.wast",
        "core/func_ptrs.wast",
        "core/global.wast",
        "core/imports.wast",
        "core/linking.wast",
        "core/memory_grow.wast",
        "core/left-to-right.wast",
        "core/elem.wast",
        "core/table.wast",
        "core/start.wast",
        "core/names.wast",
        "core/exceptions/try_table.wast",
        "core/simd/simd_f32x4_arith.wast",
        "core/simd/simd_i16x8_sat_arith.wast",
        "core/gc/i31.wast",
        "core/gc/array.wast",
        "core/gc/struct.wast",
    ];

    public static TheoryData<string> Scripts => [.. s_scripts];

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void PassesWithEveryModulePrecompiled(string script)
    {
        string path = Path.Combine(SpecSuite.Root!, script);
        Assert.True(File.Exists(path), $"{script} is not in the suite");
        using var engine = new Engine();
        var generator = new RoundTripGenerator(engine);
        engine.WithGenerator(generator);
        WastScriptReport? report = null;
        var thread = new Thread(() => report = WastRunner.RunScript(path, ModuleLoader.For(engine), new EngineExecutor(engine)), 256 << 20);
        thread.Start();
        thread.Join();
        var message = new StringBuilder($"{script}: {report!.Summary}").AppendLine();
        foreach (var failure in report.Failures.Take(20)) message.AppendLine(failure.ToString());
        Assert.True(report.Failed == 0 && report.Skipped == 0, message.ToString());
        Assert.True(report.Passed > 0, script);
        // Struct scripts fall back to the JIT path module by module; the others precompile every module.
        if (script.EndsWith("struct.wast", StringComparison.Ordinal)) Assert.True(generator.Jitted > 0, "struct.wast took no JIT path");
        else Assert.True(generator.Precompiled > 0 && generator.Jitted == 0, $"{generator.Precompiled} precompiled, {generator.Jitted} jitted");
    }
}
