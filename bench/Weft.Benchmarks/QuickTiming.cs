using System.Diagnostics;
using Weft.Binary;

namespace Weft.Benchmarks;

/// <summary>
/// A rough stopwatch breakdown of decoding the synthetic module (`-- --quick`): whole decode, body scanning alone,
/// and the input copy. For a quick look while tuning; BenchmarkDotNet's figures are the ones to report.
/// </summary>
internal static class QuickTiming
{
    public static void Run()
    {
        byte[] bytes = DecodeInputs.Get(DecodeInputs.Synthetic10MB)[0];
        var module = ModuleReader.Read(bytes);
        Console.WriteLine($"{bytes.Length / 1e6:F2} MB, {module.Codes.Count} functions");
        Time("decode", bytes.Length, () => ModuleReader.Read(bytes));
        Time("scan bodies", bytes.Length, () =>
        {
            foreach (var body in module.Codes) ExpressionScanner.Scan(body.Code.Span, 0, out _);
        });
        Time("copy input", bytes.Length, () => bytes.AsSpan().ToArray());
        byte[] valid = DecodeInputs.Get(DecodeInputs.Valid10MB)[0];
        var validModule = ModuleReader.Read(valid);
        Console.WriteLine($"valid module: {valid.Length / 1e6:F2} MB, {validModule.Codes.Count} functions");
        Time("decode(v)", valid.Length, () => ModuleReader.Read(valid));
        Time("validate(v)", valid.Length, () => Weft.Validation.Validator.Validate(validModule));
        Time("both(v)", valid.Length, () => Weft.Validation.Validator.Validate(ModuleReader.Read(valid)));
        // A calibration: one dependent load and branch per byte, about the least a byte-wise decoder can do.
        int sink = 0;
        Time("byte loop", bytes.Length, () =>
        {
            int h = 0;
            foreach (byte b in bytes) h = (h * 31) + (b < 0x80 ? b : -b);
            sink += h;
        });
        GC.KeepAlive(sink);
    }

    private static void Time(string what, long size, Action action)
    {
        for (int i = 0; i < 3; i++) action();
        var best = TimeSpan.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        Console.WriteLine($"{what,-12} {best.TotalMilliseconds,8:F2} ms  {size / best.TotalSeconds / 1e6,8:F1} MB/s (best of 10)");
    }
}
