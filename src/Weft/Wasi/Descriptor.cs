namespace Weft.Wasi;

/// <summary>
/// An open WASI file descriptor: a standard stream, a regular file or a directory, with the rights it was opened
/// with (spec: <c>fdstat</c>). Rights only ever shrink: what is opened through a directory gets at most the
/// directory's inheriting rights.
/// </summary>
internal abstract class Descriptor
{
    /// <summary>What kind of file it is.</summary>
    public abstract FileType Type { get; }

    /// <summary>The rights that apply to the descriptor itself.</summary>
    public ulong RightsBase { get; set; }

    /// <summary>The rights that descriptors opened through this one may get.</summary>
    public ulong RightsInheriting { get; set; }

    /// <summary>The <c>fdflags</c> (append, nonblock, ...).</summary>
    public int Flags { get; set; }

    /// <summary>Fails with ENOTCAPABLE unless the descriptor has all of <paramref name="rights"/>.</summary>
    public void Require(ulong rights)
    {
        if ((RightsBase & rights) != rights) throw new WasiErrorException(Errno.NotCapable);
    }

    /// <summary>Releases what the descriptor holds (when it is closed or the table is dropped).</summary>
    public virtual void Close()
    {
    }
}
