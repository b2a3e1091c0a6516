using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Weft.Benchmarks.Harness;

/// <summary>What the results were measured on: hardware, OS, runtimes, and the settings that change JIT behaviour.</summary>
internal sealed record MachineInfo(
    string Cpu, int Cores, string Memory, string Os, string Kernel, string DotNet, string Wasmtime, string Weft, string CCompiler, IReadOnlyList<string> Settings)
{
    public static MachineInfo Collect(string weftVersion, string cCompiler)
    {
        string cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        if (ReadField("/proc/cpuinfo", "cpu family") is { } family && ReadField("/proc/cpuinfo", "model") is { } model)
        {
            cpu += $" (family {family}, model {model}{(System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? ", AVX-512" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? ", AVX2" : "")})";
        }
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;
        string memory = ReadField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out long k) ? $"{k / 1024 / 1024.0:F1} GiB" : "?";
        string os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        string wasmtime = typeof(Wasmtime.Engine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(Wasmtime.Engine).Assembly.GetName().Version?.ToString() ?? "?";
        var settings = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}")
            .Where(IsRuntimeSetting)
            .Order(StringComparer.Ordinal)
            .ToList();
        settings.Add($"server GC: {System.Runtime.GCSettings.IsServerGC}");
        settings.Add(WeftStores.Tiered
            ? "Weft stores: TieredCompilation = true (WEFT_BENCH_TIERED=1)"
            : "Weft stores: the default, as `weft run` (collectible code, each function fully optimized on its first call, ahead of time on a background thread)");
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, kernel,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            wasmtime.Split('+')[0], weftVersion, cCompiler, settings);
    }

    /// <summary>Variables that change how the runtime or Weft compiles and runs code (not the SDK's own, such as DOTNET_CLI_*).</summary>
    private static bool IsRuntimeSetting(string assignment) =>
        assignment.StartsWith("WEFT_", StringComparison.Ordinal)
        || assignment.StartsWith("COMPlus_", StringComparison.Ordinal)
        || (assignment.StartsWith("DOTNET_", StringComparison.Ordinal)
            && !assignment.StartsWith("DOTNET_CLI_", StringComparison.Ordinal)
            && !assignment.StartsWith("DOTNET_NOLOGO", StringComparison.Ordinal)
            && !assignment.StartsWith("DOTNET_GENERATE_ASPNET_CERTIFICATE", StringComparison.Ordinal)
            && !assignment.StartsWith("DOTNET_ROOT", StringComparison.Ordinal));

    /// <summary>The 1-, 5- and 15-minute load averages: other work on the machine skews the figures.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? ReadField(string path, string name, char separator = ':')
    {
        if (!File.Exists(path)) return null;
        foreach (string line in File.ReadLines(path))
        {
            int at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == name) return line[(at + 1)..].Trim();
        }
        return null;
    }
}
