using System.Diagnostics;
using Weft.Examples.FrameFilter;

// A host producer fills native frames, the filter brightens each one where it lies (SIMD over its memory 1), and the
// consumer counts bright pixels in the output array the filter wrote through its memory 2. No frame is copied.
const int width = 640, height = 480, frames = 300, brightness = 40;
using var pipeline = FrameFilterPipeline.Load(brightness);
var ring = Enumerable.Range(0, 3).Select(_ => new NativeFrame(width * height)).ToArray();
var output = pipeline.NewOutput(width * height);
long saturated = 0, bright = 0;
var clock = Stopwatch.StartNew();
var filtering = new Stopwatch();
for (int f = 0; f < frames; f++)
{
    var frame = ring[f % ring.Length];
    FrameFilterPipeline.Produce(frame, width, seed: f);
    filtering.Start();
    saturated += pipeline.Filter(frame, output); // map both frames, run the filter, unmap
    filtering.Stop();
    bright += pipeline.CountAtLeast(output, 200);
}
clock.Stop();

// Check the last frame against the same filter in C#.
var last = ring[(frames - 1) % ring.Length].Span;
for (int i = 0; i < last.Length; i++)
{
    if (output.AsReadOnlySpan<byte>()[i] != Math.Min(last[i] + brightness, 255)) throw new InvalidOperationException($"pixel {i} differs");
}
Console.WriteLine($"{pipeline.FramesProcessed} frames of {width}x{height} filtered in place: {saturated} saturated pixels, {bright} at least 200");
Console.WriteLine($"{clock.Elapsed.TotalMilliseconds / frames:F3} ms per frame in all (host producer + filter + consumer), of which the filter " +
    $"{filtering.Elapsed.TotalMilliseconds / frames:F3} ms including its mappings (first frames compiling)");
foreach (var frame in ring) frame.Dispose();
