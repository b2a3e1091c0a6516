namespace Weft.Wasi;

/// <summary>The program's descriptors by number. A closed number is reused by the next open, lowest first.</summary>
internal sealed class DescriptorTable
{
    private readonly List<Descriptor?> _entries = [];

    /// <summary>The descriptor with a number, or EBADF.</summary>
    public Descriptor Get(int fd) =>
        (uint)fd < (uint)_entries.Count && _entries[fd] is { } d ? d : throw new WasiErrorException(Errno.BadF);

    /// <summary>The descriptor with a number if it is of type <typeparamref name="T"/>; EBADF if none, else <paramref name="wrongType"/>.</summary>
    public T Get<T>(int fd, Errno wrongType) where T : Descriptor => Get(fd) as T ?? throw new WasiErrorException(wrongType);

    /// <summary>Whether a number is open.</summary>
    public bool IsOpen(int fd) => (uint)fd < (uint)_entries.Count && _entries[fd] is not null;

    /// <summary>Gives a descriptor the lowest free number.</summary>
    public int Add(Descriptor descriptor)
    {
        int free = _entries.IndexOf(null);
        if (free < 0)
        {
            _entries.Add(descriptor);
            return _entries.Count - 1;
        }
        _entries[free] = descriptor;
        return free;
    }

    /// <summary>Closes a number.</summary>
    public void Close(int fd)
    {
        var d = Get(fd);
        _entries[fd] = null;
        d.Close();
    }

    /// <summary>fd_renumber: <paramref name="to"/> (which must be open) is closed and becomes <paramref name="from"/>.</summary>
    public void Renumber(int from, int to)
    {
        var d = Get(from);
        var old = Get(to);
        if (from == to) return;
        old.Close();
        _entries[to] = d;
        _entries[from] = null;
    }

    /// <summary>Closes every descriptor.</summary>
    public void CloseAll()
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            _entries[i]?.Close();
            _entries[i] = null;
        }
    }
}
