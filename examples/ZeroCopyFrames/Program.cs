using System.Diagnostics;
using Weft.Examples.ZeroCopyFrames;

// A producer instance makes frames, a consumer instance transforms them in place, the host looks at the same bytes.
using var pipeline = FramePipeline.Load();

var frame = pipeline.Produce(8, 10);
Span<byte> bytes = frame.AsSpan<byte>();                 // the frame's own bytes, no copy
Console.WriteLine($"produced:          [{string.Join(", ", bytes.ToArray())}]");
bytes[0] = 100;                                           // the host writes...
Console.WriteLine($"consumer checksum: {pipeline.Checksum(frame)} (sees the host's write to byte 0)");
pipeline.Invert(frame);                                   // ...the consumer transforms in place...
Console.WriteLine($"inverted:          [{string.Join(", ", bytes.ToArray())}] (the host's span shows it)");
pipeline.Poke(frame, 1, 42);
Console.WriteLine($"producer peek(1):  {pipeline.Peek(frame, 1)} (the consumer's write, seen by the producer)");

// At scale: 200 frames of 1 MiB, each inverted by wasm and summed by the host, with nothing copied between them.
const int Size = 1 << 20;
var watch = Stopwatch.StartNew();
long total = 0;
for (int i = 0; i < 200; i++)
{
    var big = pipeline.Produce(Size, i);
    pipeline.Invert(big);
    foreach (byte b in big.AsReadOnlySpan<byte>()) total += b;
}
Console.WriteLine($"200 x 1 MiB frames produced, inverted and summed in {watch.ElapsedMilliseconds} ms (sum {total})");
