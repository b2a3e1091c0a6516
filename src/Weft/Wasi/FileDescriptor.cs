using Microsoft.Win32.SafeHandles;

namespace Weft.Wasi;

/// <summary>
/// An open regular file: an OS handle used with explicit offsets (<see cref="RandomAccess"/>), so reads, writes,
/// pread/pwrite and seeks share one position kept here, as POSIX descriptors do.
/// </summary>
internal sealed class FileDescriptor(SafeFileHandle handle, string hostPath) : Descriptor
{
    /// <summary>The OS handle.</summary>
    public SafeFileHandle Handle { get; } = handle;

    /// <summary>The file's path on the host (for metadata the handle does not give).</summary>
    public string HostPath { get; } = hostPath;

    /// <summary>The current offset.</summary>
    public long Position { get; set; }

    public override FileType Type => FileType.RegularFile;

    public bool Append => (Flags & FdFlags.Append) != 0;

    public long Length => RandomAccess.GetLength(Handle);

    public override void Close() => Handle.Dispose();
}
