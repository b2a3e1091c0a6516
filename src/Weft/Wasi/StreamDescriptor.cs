namespace Weft.Wasi;

/// <summary>A standard stream: a .NET <see cref="Stream"/>, not seekable (a character device to the program).</summary>
internal sealed class StreamDescriptor : Descriptor
{
    private readonly Stream? _stream;

    public StreamDescriptor(Stream? stream, bool input)
    {
        _stream = stream;
        RightsBase = (input ? Rights.FdRead : Rights.FdWrite) | Rights.PollFdReadwrite | Rights.FdFilestatGet | Rights.FdFdstatSetFlags;
    }

    public override FileType Type => FileType.CharacterDevice;

    public int Read(Span<byte> buffer) => _stream is null ? 0 : _stream.Read(buffer);

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_stream is null) return;
        _stream.Write(data);
    }

    public void Flush() => _stream?.Flush();
}
