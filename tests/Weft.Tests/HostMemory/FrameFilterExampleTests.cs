using Weft.Examples.FrameFilter;

namespace Weft.Tests.HostMemory;

/// <summary>
/// examples/FrameFilter as shipped: no frame is ever copied. The filter's memories are the producer's native frame
/// and the consumer's array themselves (same addresses), and each side sees the others' writes on that storage.
/// </summary>
public sealed unsafe class FrameFilterExampleTests
{
    private const int Width = 65;
    private const int Height = 37; // 2,405 bytes: not a multiple of 16, so the filter's scalar tail runs too

    [Fact]
    public void EverySideWorksOnTheSameStorage()
    {
        using var pipeline = FrameFilterPipeline.Load(brightness: 40);
        using var input = new NativeFrame(Width * Height);
        var output = pipeline.NewOutput(Width * Height);
        FrameFilterPipeline.Produce(input, Width, seed: 3);

        using (var scope = pipeline.Map(input, output))
        {
            // The filter's memory 1 is the native frame, its memory 2 the consumer's array: same addresses.
            Assert.Equal(input.Address, scope.Input.Address);
            fixed (byte* array = output.AsSpan<byte>()) Assert.Equal((nint)array, scope.Output.Address);

            // The host writes the frame after mapping: the filter reads the new byte.
            input.Span[100] = 250;
            Assert.Equal(250, pipeline.InputByte(100));
            // The filter writes the frame: the host's span over its native buffer sees it.
            pipeline.StampInput(101, 7);
            Assert.Equal(7, input.Span[101]);

            int saturated = pipeline.Process();
            // The filter's stores into memory 2 are in the consumer's array, seen by array.get and by the host.
            Assert.Equal(255, pipeline.Pixel(output, 100));
            Assert.Equal(47, pipeline.Pixel(output, 101));
            Assert.Equal(47, output.AsReadOnlySpan<byte>()[101]);
            int expectedSaturated = 0;
            for (int i = 0; i < input.Length; i++)
            {
                int expected = Math.Min(input.Span[i] + 40, 255);
                Assert.Equal(expected, output.AsReadOnlySpan<byte>()[i]);
                if (expected == 255) expectedSaturated++;
            }
            Assert.Equal(expectedSaturated, saturated);
            Assert.Equal(output.AsReadOnlySpan<byte>().ToArray().Count(b => b >= 200), pipeline.CountAtLeast(output, 200));
        }
        Assert.Equal(1, pipeline.FramesProcessed);
    }

    [Fact]
    public void FramesAfterFramesReuseTheSlotsAndNothingStaysMapped()
    {
        using var pipeline = FrameFilterPipeline.Load(brightness: 10);
        var ring = new[] { new NativeFrame(Width * Height), new NativeFrame(Width * Height) };
        var output = pipeline.NewOutput(Width * Height);
        for (int f = 0; f < 6; f++)
        {
            var frame = ring[f % 2];
            FrameFilterPipeline.Produce(frame, Width, seed: f);
            pipeline.Filter(frame, output);
            Assert.Equal(Math.Min(frame.Span[5] + 10, 255), output.AsReadOnlySpan<byte>()[5]);
        }
        Assert.Equal(6, pipeline.FramesProcessed);
        // Unmapped between frames: the filter's frame memories are empty and trap.
        Assert.Equal(TrapKind.OutOfBoundsMemoryAccess, Assert.Throws<TrapException>(() => pipeline.InputByte(0)).Kind);
        foreach (var frame in ring) frame.Dispose();
    }
}
