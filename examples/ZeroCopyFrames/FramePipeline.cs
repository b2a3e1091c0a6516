using Weft;

namespace Weft.Examples.ZeroCopyFrames;

/// <summary>
/// A producer instance makes frames, a consumer instance (of another module) transforms them in place, and the host
/// reads and writes the same bytes through a <see cref="Span{T}"/>: a frame is one (array (mut i8)), backed by one
/// .NET byte[], never copied between the three.
/// </summary>
internal sealed class FramePipeline : IDisposable
{
    private readonly Store _store = new();
    private readonly Function _produce;
    private readonly Function _peek;
    private readonly Function _invert;
    private readonly Function _poke;
    private readonly Function _checksum;

    public FramePipeline(WasmModule producer, WasmModule consumer)
    {
        var linker = new Linker();
        var producerInstance = linker.Instantiate(_store, producer);
        var consumerInstance = linker.Instantiate(_store, consumer);
        _produce = Export(producerInstance, "produce");
        _peek = Export(producerInstance, "peek");
        _invert = Export(consumerInstance, "invert");
        _poke = Export(consumerInstance, "poke");
        _checksum = Export(consumerInstance, "checksum");
    }

    /// <summary>Loads producer.wat and consumer.wat from beside the program (or the test assembly).</summary>
    public static FramePipeline Load() => new(
        WasmModule.FromFile(Path.Combine(AppContext.BaseDirectory, "producer.wat")),
        WasmModule.FromFile(Path.Combine(AppContext.BaseDirectory, "consumer.wat")));

    /// <summary>The producer makes a frame of <paramref name="length"/> bytes: seed, seed+1, ...</summary>
    public GcArray Produce(int length, int seed) => (GcArray)_produce.Invoke(length, seed)[0].AsReference()!;

    /// <summary>The producer reads byte <paramref name="index"/>.</summary>
    public int Peek(GcArray frame, int index) => _peek.Invoke(WasmValue.FromReference(frame), index)[0].AsInt32();

    /// <summary>The consumer inverts the frame in place.</summary>
    public void Invert(GcArray frame) => _invert.Invoke(WasmValue.FromReference(frame));

    /// <summary>The consumer writes byte <paramref name="index"/>.</summary>
    public void Poke(GcArray frame, int index, byte value) => _poke.Invoke(WasmValue.FromReference(frame), index, (int)value);

    /// <summary>The consumer's sum of the frame's bytes.</summary>
    public int Checksum(GcArray frame) => _checksum.Invoke(WasmValue.FromReference(frame))[0].AsInt32();

    public void Dispose() => _store.Dispose();

    private static Function Export(Instance instance, string name) =>
        instance.GetFunction(name) ?? throw new InvalidOperationException($"no exported function \"{name}\"");
}
