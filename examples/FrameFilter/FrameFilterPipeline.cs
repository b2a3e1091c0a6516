using System.Runtime.InteropServices;
using Weft;

namespace Weft.Examples.FrameFilter;

/// <summary>
/// A frame in native memory, as a camera driver or codec would hand it over: the host producer writes it, the filter
/// reads it where it lies. A <see cref="SafeHandle"/>, so that a mapping keeps it from being freed (docs/HOST-MEMORY.md).
/// </summary>
internal sealed unsafe class NativeFrame : SafeHandle
{
    public NativeFrame(int length)
        : base(0, ownsHandle: true)
    {
        Length = length;
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)length));
    }

    public int Length { get; }

    public nint Address => handle;

    public override bool IsInvalid => handle == 0;

    public Span<byte> Span => new((void*)handle, Length);

    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }
}

/// <summary>
/// Host producer, filter instance and consumer instance around frames that are never copied: the filter's memory 1
/// is each native frame mapped in place, its memory 2 the consumer's output array mapped for the call, and the
/// consumer reads that same array with the SIMD builtins over GC arrays. See filter.wat and frameconsumer.wat.
/// </summary>
internal sealed class FrameFilterPipeline : IDisposable
{
    private readonly Store _store = new();
    private readonly Memory _input;
    private readonly Memory _output;
    private readonly Func<int> _process;
    private readonly Func<int> _frames;
    private readonly Func<int, int> _inputByte;
    private readonly Action<int, int> _stampInput;
    private readonly Function _newFrame;
    private readonly Function _countAtLeast;
    private readonly Function _pixel;

    public FrameFilterPipeline(WasmModule filter, WasmModule consumer, int brightness)
    {
        // The filter's own state memory, and the two frame slots it imports once: empty until a frame is mapped.
        var state = new Memory(_store, new Syntax.MemoryType(new Syntax.Limits(Syntax.AddressType.I32, 1, 1)));
        _input = Memory.CreateMappable(_store);
        _output = Memory.CreateMappable(_store);
        var filterInstance = new Linker()
            .Define("env", "memory", state)
            .Define("frame", "input", _input)
            .Define("frame", "output", _output)
            .Instantiate(_store, filter);
        var consumerInstance = new Linker().Instantiate(_store, consumer);
        _process = filterInstance.GetFunction<int>("process")!;
        _frames = filterInstance.GetFunction<int>("frames")!;
        _inputByte = filterInstance.GetFunction<int, int>("input_byte")!;
        _stampInput = filterInstance.GetAction<int, int>("stamp_input")!;
        filterInstance.GetAction<int>("set_brightness")!(brightness);
        _newFrame = consumerInstance.GetFunction("new_frame")!;
        _countAtLeast = consumerInstance.GetFunction("count_at_least")!;
        _pixel = consumerInstance.GetFunction("pixel")!;
    }

    /// <summary>Loads filter.wat and frameconsumer.wat from beside the program (or the test assembly).</summary>
    public static FrameFilterPipeline Load(int brightness) => new(
        WasmModule.FromFile(Path.Combine(AppContext.BaseDirectory, "filter.wat")),
        WasmModule.FromFile(Engine.Default, Path.Combine(AppContext.BaseDirectory, "frameconsumer.wat"),
            new WasmModuleOptions { Builtins = new HashSet<string> { WasmModuleOptions.ArraySimd } }),
        brightness);

    /// <summary>The host producer: a test pattern, a diagonal gradient that moves with <paramref name="seed"/>.</summary>
    public static void Produce(NativeFrame frame, int width, int seed)
    {
        var pixels = frame.Span;
        for (int row = 0; row * width < pixels.Length; row++)
        {
            var line = pixels.Slice(row * width, Math.Min(width, pixels.Length - row * width));
            for (int x = 0; x < line.Length; x++) line[x] = (byte)(x + row + seed);
        }
    }

    /// <summary>A new output frame, made by the consumer: an <c>(array (mut i8))</c>.</summary>
    public GcArray NewOutput(int length) => (GcArray)_newFrame.Invoke(length)[0].AsReference()!;

    /// <summary>Maps <paramref name="input"/> and <paramref name="output"/> as the filter's frames until the scope is disposed.</summary>
    public FrameScope Map(NativeFrame input, GcArray output) =>
        new(_input.Map(input.Address, (ulong)input.Length, input), _output.Map(output));

    /// <summary>Runs the filter over the mapped frames; returns the number of saturated (255) output pixels.</summary>
    public int Process() => _process();

    /// <summary>One frame through the filter: map both frames, process, unmap. Returns the saturated pixels.</summary>
    public int Filter(NativeFrame input, GcArray output)
    {
        using (Map(input, output)) return _process();
    }

    /// <summary>How many frames the filter has processed (its own state, memory 0).</summary>
    public int FramesProcessed => _frames();

    /// <summary>The filter reads byte <paramref name="index"/> of the mapped input frame.</summary>
    public int InputByte(int index) => _inputByte(index);

    /// <summary>The filter writes byte <paramref name="index"/> of the mapped input frame.</summary>
    public void StampInput(int index, byte value) => _stampInput(index, value);

    /// <summary>The consumer counts the output pixels at least <paramref name="threshold"/>.</summary>
    public int CountAtLeast(GcArray output, int threshold) =>
        _countAtLeast.Invoke(WasmValue.FromReference(output), threshold)[0].AsInt32();

    /// <summary>The consumer reads one output pixel.</summary>
    public int Pixel(GcArray output, int index) => _pixel.Invoke(WasmValue.FromReference(output), index)[0].AsInt32();

    public void Dispose() => _store.Dispose();
}

/// <summary>The two mappings of one frame's processing; disposing it unmaps both (the memories' length is 0 again).</summary>
internal sealed class FrameScope(MemoryMapping input, MemoryMapping output) : IDisposable
{
    public MemoryMapping Input { get; } = input;

    public MemoryMapping Output { get; } = output;

    public void Dispose()
    {
        Output.Dispose();
        Input.Dispose();
    }
}
