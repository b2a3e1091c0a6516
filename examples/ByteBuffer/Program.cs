using Weft.Examples.ByteBuffer;

// Allocates 100,000 buffers in wasm linear memory, each owned by a wasm GC struct, and drops them. The finalizers the
// host registered give every buffer back to the module's allocator once its owners have been collected.
using var host = new ByteBufferHost(ByteBufferHost.LoadModule());

var first = host.Allocate(5);
host.Load(first, "hello"u8);
var second = host.Share(first);
Console.WriteLine($"checksum of \"hello\" through the second owner: {host.Checksum(second)}");

int[] sizes = [16, 200, 1000, 3000];
int peakPages = 0;
for (int i = 0; i < 100_000; i++)
{
    var owner = host.Allocate(sizes[i % sizes.Length]);
    if (i % 3 == 0) host.Share(owner);
    if (i % 1000 == 999)
    {
        host.Collect();
        peakPages = Math.Max(peakPages, host.HeapPages);
    }
}
Console.WriteLine($"after 100,000 allocations: {host.LiveBuffers} buffers live, heap {host.HeapPages} pages (peak {peakPages})");

GC.KeepAlive(first);
GC.KeepAlive(second);
first = second = null;
for (int round = 0; round < 10 && host.LiveBuffers > 0; round++) host.Collect();
Console.WriteLine($"after dropping everything: {host.LiveBuffers} buffers live, {host.Released} owners released by finalizers");
