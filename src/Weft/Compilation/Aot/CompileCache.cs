using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Weft.Runtime;

namespace Weft.Compilation.Aot;

/// <summary>
/// The on-disk compile cache of an engine (<see cref="EngineOptions.CacheDirectory"/>): a module's code precompiled
/// once (<see cref="AotCompiler"/>) and loaded from the file by later processes. An entry is named by the SHA-256 of
/// the module's hash, Weft's version and build, and the code options, and holds a header, the SHA-256 of the
/// assembly and the assembly: an entry whose hash does not match (corrupt, truncated, half-written by a crashed
/// writer) is compiled again and replaced, never loaded. Writers write a temporary file and rename it into place, so
/// readers see a whole entry or none, and concurrent writers of one entry write the same bytes.
/// </summary>
internal static class CompileCache
{
    private static readonly byte[] s_magic = "WEFTAOT1"u8.ToArray();
    private const int HashSize = 32;

    /// <summary>Weft's build: the version string alone would let a rebuilt Weft of the same version load stale IL.</summary>
    private static readonly string s_build = $"{AotFormat.WeftVersion}/{typeof(CompileCache).Module.ModuleVersionId}";

    /// <summary>The code of a module from the cache, compiled and stored on a miss; null when the cache cannot serve it.</summary>
    public static IModuleCode? GetOrCompile(WasmModule module, CodeOptions options, string directory)
    {
        // Tiered code is the JIT path's own (collectible or not); GC struct modules cannot be precompiled. Without
        // dynamic code the cache serves nothing: NativeAOT cannot load assemblies, and a JIT runtime with emission
        // off could not fill a miss (precompiled assemblies are loaded by the host there).
        if (!RuntimeFeature.IsDynamicCodeSupported || options.Tiered || HasStructTypes(module)) return null;
        byte[] bytes = module.ToBinary();
        string key = Key(bytes, options);
        string path = Path.Combine(directory, key + ".weftaot");
        if (TryRead(path) is { } cached && Load(module, cached, bytes, key, CodeOrigin.Cache) is { } hit) return hit;
        byte[] assembly = Compile(module, bytes, key, options);
        Write(directory, path, assembly);
        return Load(module, assembly, bytes, key, CodeOrigin.CacheMiss);
    }

    private static bool HasStructTypes(WasmModule module)
    {
        foreach (var type in module.Valid.Types)
        {
            if (type.IsStruct) return true;
        }
        return false;
    }

    /// <summary>The entry name: a hash over everything the code depends on.</summary>
    internal static string Key(byte[] module, CodeOptions options)
    {
        var text = Encoding.UTF8.GetBytes($"{Convert.ToHexString(SHA256.HashData(module))}|{s_build}|{AotFormat.Version}|{AotFormat.Flags(options)}");
        return Convert.ToHexString(SHA256.HashData(text)).ToLowerInvariant();
    }

    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Precompiling writes IL with Reflection.Emit.")]
    private static byte[] Compile(WasmModule module, byte[] bytes, string key, CodeOptions options)
    {
        using var output = new MemoryStream();
        AotCompiler.Compile(module.Syntax, module.Valid, bytes, output, "WeftCache." + key[..16], options);
        return output.ToArray();
    }

    // The assembly of a whole, intact entry; null for a missing, short or corrupt one.
    private static byte[]? TryRead(string path)
    {
        byte[] entry;
        try
        {
            entry = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        int header = s_magic.Length + HashSize;
        if (entry.Length <= header || !entry.AsSpan(0, s_magic.Length).SequenceEqual(s_magic)) return null;
        var assembly = entry.AsSpan(header);
        return SHA256.HashData(assembly).AsSpan().SequenceEqual(entry.AsSpan(s_magic.Length, HashSize)) ? assembly.ToArray() : null;
    }

    private static void Write(string directory, string path, byte[] assembly)
    {
        string temporary = Path.Combine(directory, $"{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(s_magic);
                file.Write(SHA256.HashData(assembly));
                file.Write(assembly);
                file.Flush(flushToDisk: true);
            }
            // Atomic on one file system: a reader sees the old entry or the new one, never a mix.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs the next process a compilation.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // Loads an assembly in a load context of its own (collectible when the engine's code is); null if it is not the
    // precompiled code of this module by this Weft.
    private static PrecompiledCode? Load(WasmModule module, byte[] assembly, byte[] bytes, string key, CodeOrigin origin)
    {
        try
        {
            var context = new AssemblyLoadContext("Weft cache " + key[..16], isCollectible: module.Engine.Options.Collectible);
            var loaded = context.LoadFromStream(new MemoryStream(assembly));
            var entry = loaded.GetType(AotFormat.EntryTypeName);
            if (entry?.GetMethod(AotFormat.GetPartsMethod)?.Invoke(null, null) is not PrecompiledParts parts) return null;
            if (parts.FormatVersion != AotFormat.Version || parts.WeftVersion != AotFormat.WeftVersion || !parts.Module.AsSpan().SequenceEqual(bytes)
                || parts.EntryPoints.Length != module.Syntax.Functions.Count || parts.Invokers.Length != module.Valid.Types.Length)
            {
                return null;
            }
            if (module.Engine.CodeGenerator is PrecompiledOnlyGenerator generator) generator.Register(parts, module.Valid);
            Backtrace.Register(loaded, ModuleCompiler.SymbolsOf(module.Syntax, module.Valid.ImportedFunctionCount));
            return new PrecompiledCode(parts, module.Syntax) { Origin = origin };
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or System.Reflection.TargetInvocationException or TypeLoadException or MissingMemberException)
        {
            return null;
        }
    }
}
