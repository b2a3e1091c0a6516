using Microsoft.Win32.SafeHandles;

namespace Weft.Wasi;

/// <summary>
/// An open regular file: an OS handle used with explicit offsets (<see cref="RandomAccess"/>), so reads, writes,
/// pread/pwrite and seeks share one position kept here, as POSIX descriptors do. Everything it does goes through
/// the handle, never through the path it was opened by: once open, renaming or replacing that path changes nothing.
/// </summary>
internal sealed class FileDescriptor(SafeFileHandle handle, ulong fallbackInode) : Descriptor
{
    /// <summary>The OS handle.</summary>
    public SafeFileHandle Handle { get; } = handle;

    /// <summary>The inode reported where the OS gives none through a handle (see <see cref="HostFiles.Stat(SafeFileHandle, ulong)"/>).</summary>
    public ulong FallbackInode { get; } = fallbackInode;

    /// <summary>The current offset.</summary>
    public long Position { get; set; }

    public override FileType Type => FileType.RegularFile;

    public bool Append => (Flags & FdFlags.Append) != 0;

    public long Length => RandomAccess.GetLength(Handle);

    public override void Close() => Handle.Dispose();
}
