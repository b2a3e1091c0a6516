namespace Weft.Wasi;

/// <summary>
/// The program's descriptors by number. A closed number is reused by the next open, lowest first. Thread-safe:
/// with wasi-threads every thread of the program calls into the same table, and an unsynchronised list gave two
/// opens one number (or lost an entry) when they raced.
/// </summary>
internal sealed class DescriptorTable
{
    private readonly Lock _lock = new();
    private readonly List<Descriptor?> _entries = [];

    /// <summary>The descriptor with a number, or EBADF.</summary>
    public Descriptor Get(int fd)
    {
        lock (_lock)
        {
            return (uint)fd < (uint)_entries.Count && _entries[fd] is { } d ? d : throw new WasiErrorException(Errno.BadF);
        }
    }

    /// <summary>The descriptor with a number if it is of type <typeparamref name="T"/>; EBADF if none, else <paramref name="wrongType"/>.</summary>
    public T Get<T>(int fd, Errno wrongType) where T : Descriptor => Get(fd) as T ?? throw new WasiErrorException(wrongType);

    /// <summary>Whether a number is open.</summary>
    public bool IsOpen(int fd)
    {
        lock (_lock) return (uint)fd < (uint)_entries.Count && _entries[fd] is not null;
    }

    /// <summary>Gives a descriptor the lowest free number.</summary>
    public int Add(Descriptor descriptor)
    {
        lock (_lock)
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
    }

    /// <summary>
    /// Closes a number. The descriptor is released outside the lock; another thread still using it gets EBADF
    /// (its stream is disposed: see <see cref="HostFiles.ToErrno"/>).
    /// </summary>
    public void Close(int fd)
    {
        Descriptor d;
        lock (_lock)
        {
            d = Get(fd);
            _entries[fd] = null;
        }
        d.Close();
    }

    /// <summary>fd_renumber: <paramref name="to"/> (which must be open) is closed and becomes <paramref name="from"/>.</summary>
    public void Renumber(int from, int to)
    {
        Descriptor old;
        lock (_lock)
        {
            var d = Get(from);
            old = Get(to);
            if (from == to) return;
            _entries[to] = d;
            _entries[from] = null;
        }
        old.Close();
    }

    /// <summary>Closes every descriptor.</summary>
    public void CloseAll()
    {
        List<Descriptor> open;
        lock (_lock)
        {
            open = [.. _entries.OfType<Descriptor>()];
            _entries.Clear();
        }
        foreach (var d in open) d.Close();
    }
}
