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
        string memory = ReadField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out long k) ? $"{k / 1024 / 1024.0:F1} GiB" : "?";
        string os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        string wasmtime = typeof(Wasmtime.Engine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(Wasmtime.Engine).Assembly.GetName().Version?.ToString() ?? "?";
        var settings = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}")
            .Where(s => s.StartsWith("DOTNET_", StringComparison.Ordinal) || s.StartsWith("WEFT_", StringComparison.Ordinal) || s.StartsWith("COMPlus_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        settings.Add($"server GC: {System.Runtime.GCSettings.IsServerGC}");
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, RuntimeInformation.OSDescription,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            wasmtime.Split('+')[0], weftVersion, cCompiler, settings);
    }

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
