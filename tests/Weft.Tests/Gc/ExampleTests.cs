using System.Runtime.CompilerServices;
using Weft.Examples.ByteBuffer;
using Weft.Examples.ZeroCopyFrames;

namespace Weft.Tests.Gc;

/// <summary>The examples, run as shipped (their host code and modules are linked into this project).</summary>
public sealed class ExampleTests
{
    private static readonly int[] s_sizes = [16, 200, 1000, 3000];

    // Allocates in a frame of its own so that no dropped owner stays on the test's stack.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndDrop(ByteBufferHost host, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            var owner = host.Allocate(s_sizes[i % s_sizes.Length]);
            if (i % 3 == 0)
            {
                var shared = host.Share(owner);
                Assert.Equal(owner.GetInt32(0), shared.GetInt32(0));
            }
        }
    }

    [Fact]
    public void ByteBufferReleasesEveryBufferThroughFinalizers()
    {
        using var host = new ByteBufferHost(ByteBufferHost.LoadModule());
        const int Cycles = 100_000;
        const int Batch = 1_000;
        int peakPages = 0;
        for (int done = 0; done < Cycles; done += Batch)
        {
            AllocateAndDrop(host, done, Batch);
            host.Collect();
            peakPages = Math.Max(peakPages, host.HeapPages);
        }
        for (int round = 0; round < 20 && host.LiveBuffers > 0; round++) host.Collect();

        Assert.Equal(0, host.LiveBuffers);                                    // the allocator is empty again
        Assert.Equal(Cycles + (Cycles + 2) / 3, host.Released);               // every owner, shared ones too
        Assert.Equal(0, host.ReleasedOnOtherThreads);                         // all on this thread
        // Live buffers never exceed about one batch (~1.4 MB here); without the finalizers the heap would need
        // about 135 MB (over 2,000 pages).
        Assert.InRange(peakPages, 1, 32);
        Assert.Equal(peakPages, host.HeapPages);
    }

    [Fact]
    public void ByteBufferSharedOwnersKeepTheBufferAlive()
    {
        using var host = new ByteBufferHost(ByteBufferHost.LoadModule());
        var second = AllocateAndShare(host);
        for (int round = 0; round < 20 && host.Released == 0; round++) host.Collect();
        Assert.Equal(1, host.Released);          // the first owner died and released its reference...
        Assert.Equal(1, host.LiveBuffers);       // ...but the buffer lives on for the second owner
        Assert.Equal(532, ChecksumOf(host, second));
        second.Value = null;
        for (int round = 0; round < 20 && host.LiveBuffers > 0; round++) host.Collect();
        Assert.Equal(0, host.LiveBuffers);
        Assert.Equal(2, host.Released);
    }

    // Helpers in frames of their own, so that no owner stays on the test's stack (debug code keeps locals alive).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrongBox<GcStruct?> AllocateAndShare(ByteBufferHost host)
    {
        var first = host.Allocate(5);
        host.Load(first, "hello"u8);
        return new(host.Share(first));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ChecksumOf(ByteBufferHost host, StrongBox<GcStruct?> owner) => host.Checksum(owner.Value!);

    [Fact]
    public void ZeroCopyFramesShareOneObjectBetweenHostAndInstances()
    {
        using var pipeline = FramePipeline.Load();
        var frame = pipeline.Produce(64, 10);
        Span<byte> bytes = frame.AsSpan<byte>();
        Assert.Equal(10, bytes[0]);
        Assert.Equal(73, bytes[63]);

        bytes[0] = 200;                                            // host -> both instances
        Assert.Equal(200, pipeline.Peek(frame, 0));
        int expected = 0;
        foreach (byte b in bytes) expected += b;
        Assert.Equal(expected, pipeline.Checksum(frame));

        pipeline.Invert(frame);                                    // consumer -> host, in place
        Assert.Equal(55, bytes[0]);
        Assert.Equal(255 - 73, bytes[63]);

        pipeline.Poke(frame, 5, 42);                               // consumer -> producer and host
        Assert.Equal(42, pipeline.Peek(frame, 5));
        Assert.Equal(42, bytes[5]);

        // Still the very same memory: the span taken at the start aliases a fresh one.
        Assert.True(Unsafe.AreSame(ref bytes[0], ref frame.AsSpan<byte>()[0]));
    }
}
