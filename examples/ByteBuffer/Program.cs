using System.Runtime.CompilerServices;
using Weft.Examples.ByteBuffer;

// Allocates 100,000 buffers in wasm linear memory, each owned by a wasm GC struct, and drops them. The finalizers the
// host registered give every buffer back to the module's allocator once its owners have been collected.
using var host = new ByteBufferHost(ByteBufferHost.LoadModule());

ShareOneBuffer(host);
int peakPages = AllocateAndDrop(host, 100_000);
Console.WriteLine($"after 100,000 allocations: {host.LiveBuffers} buffers live, heap {host.HeapPages} pages (peak {peakPages})");

for (int round = 0; round < 10 && host.LiveBuffers > 0; round++) host.Collect();
Console.WriteLine($"after dropping everything: {host.LiveBuffers} buffers live, {host.Released} owners released by finalizers");

// Each phase runs in a method of its own: once it returns, nothing on the stack holds its owners.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ShareOneBuffer(ByteBufferHost host)
{
    var first = host.Allocate(5);
    host.Load(first, "hello"u8);
    var second = host.Share(first);
    Console.WriteLine($"checksum of \"hello\" through the second owner: {host.Checksum(second)} (refcount 2, one buffer)");
}

[MethodImpl(MethodImplOptions.NoInlining)]
static int AllocateAndDrop(ByteBufferHost host, int count)
{
    int[] sizes = [16, 200, 1000, 3000];
    int peakPages = 0;
    for (int i = 0; i < count; i++)
    {
        var owner = host.Allocate(sizes[i % sizes.Length]);
        if (i % 3 == 0) host.Share(owner);
        if (i % 1000 == 999)
        {
            host.Collect();
            peakPages = Math.Max(peakPages, host.HeapPages);
        }
    }
    return peakPages;
}
