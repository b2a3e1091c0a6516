using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace Weft.Benchmarks;

/// <summary>
/// <c>--decode-side-by-side ROUNDS [OTHER/Weft.dll]</c>: the harness's decode+validate measurement
/// (<c>WasmModule.FromBytes</c> on the generated 1 MB and 10 MB modules, a full collection before each call, best of
/// the rounds), for this build and, when a path is given, for another build of Weft.dll loaded beside it in its own
/// load context, the two interleaved call by call. Reports wall MB/s and process CPU MB/s (user + system: page faults
/// of fresh memory are system time and part of the cost). For before/after figures on a loaded machine.
/// </summary>
internal static class DecodeSideBySide
{
    private delegate object FromBytes(ReadOnlySpan<byte> bytes);

    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        int rounds = args.Length > 1 ? int.Parse(args[1], inv) : 10;
        var builds = new List<(string Name, FromBytes Decode)> { ("this", Bind(typeof(WasmModule).Assembly)) };
        if (args.Length > 2)
        {
            var context = new AssemblyLoadContext("other", isCollectible: false);
            builds.Add(("other", Bind(context.LoadFromAssemblyPath(Path.GetFullPath(args[2])))));
        }
        byte[] oneMB = ValidModuleGenerator.Generate(1_000_000);
        byte[] tenMB = ValidModuleGenerator.Generate(10_000_000);
        foreach (var (label, bytes) in new[] { ("1 MB", oneMB), ("10 MB", tenMB) })
        {
            var wall = new double[builds.Count];
            var cpu = new double[builds.Count];
            Array.Fill(wall, double.MaxValue);
            Array.Fill(cpu, double.MaxValue);
            for (int round = -1; round < rounds; round++)
            {
                // Alternate which build goes first, so neither always follows the other's garbage.
                for (int k = 0; k < builds.Count; k++)
                {
                    int b = (k + Math.Max(round, 0)) % builds.Count;
                    Harness.CompileBenchmarks.Collect();
                    var process = Process.GetCurrentProcess();
                    TimeSpan cpuStart = process.TotalProcessorTime;
                    long start = Stopwatch.GetTimestamp();
                    GC.KeepAlive(builds[b].Decode(bytes));
                    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    process.Refresh();
                    double cpuMs = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
                    if (round < 0) continue;
                    wall[b] = Math.Min(wall[b], ms);
                    cpu[b] = Math.Min(cpu[b], cpuMs);
                }
            }
            for (int b = 0; b < builds.Count; b++)
            {
                Console.WriteLine(string.Create(inv,
                    $"{label} ({bytes.Length} bytes) {builds[b].Name}: best wall {wall[b]:F2} ms = {bytes.Length / wall[b] / 1e3:F0} MB/s, best cpu {cpu[b]:F2} ms = {bytes.Length / Math.Max(cpu[b], 0.001) / 1e3:F0} MB/s"));
            }
        }
        return 0;
    }

    private static FromBytes Bind(Assembly weft)
    {
        var type = weft.GetType("Weft.WasmModule", throwOnError: true)!;
        var method = type.GetMethod("FromBytes", BindingFlags.Public | BindingFlags.Static, [typeof(ReadOnlySpan<byte>)])!;
        return method.CreateDelegate<FromBytes>();
    }
}
