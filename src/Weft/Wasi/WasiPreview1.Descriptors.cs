using System.Text;

namespace Weft.Wasi;

// fd_*: reading, writing, seeking, metadata and directory listing of open descriptors.
internal sealed partial class WasiPreview1
{
    private const int DirentHeaderSize = 24;

    private Errno FdRead(Caller c, int fd, int iovs, int count, int result)
    {
        var d = _descriptors.Get(fd);
        if (d is DirectoryDescriptor) return Errno.IsDir;
        d.Require(Rights.FdRead);
        long total = 0;
        foreach (var (pointer, length) in ReadIovecs(c, iovs, count))
        {
            var span = Bytes(c, pointer, length);
            int n = d switch
            {
                StreamDescriptor s => s.Read(span),
                FileDescriptor f => ReadAt(f, span, f.Position),
                _ => throw new WasiErrorException(Errno.IsDir),
            };
            if (d is FileDescriptor file) file.Position += n;
            total += n;
            if (n < length) break;
        }
        WriteU32(c, result, (uint)total);
        return Errno.Success;
    }

    private Errno FdPread(Caller c, int fd, int iovs, int count, long offset, int result)
    {
        var f = Seekable(fd);
        f.Require(Rights.FdRead | Rights.FdSeek);
        if (offset < 0) return Errno.Inval;
        long total = 0;
        foreach (var (pointer, length) in ReadIovecs(c, iovs, count))
        {
            int n = ReadAt(f, Bytes(c, pointer, length), offset + total);
            total += n;
            if (n < length) break;
        }
        WriteU32(c, result, (uint)total);
        return Errno.Success;
    }

    private static int ReadAt(FileDescriptor f, Span<byte> span, long offset) => RandomAccess.Read(f.Handle, span, offset);

    private Errno FdWrite(Caller c, int fd, int iovs, int count, int result)
    {
        var d = _descriptors.Get(fd);
        d.Require(Rights.FdWrite);
        long total = 0;
        foreach (var (pointer, length) in ReadIovecs(c, iovs, count))
        {
            var span = Bytes(c, pointer, length);
            switch (d)
            {
                case StreamDescriptor s:
                    s.Write(span);
                    break;
                case FileDescriptor f:
                    if (f.Append) f.Position = f.Length;
                    RandomAccess.Write(f.Handle, span, f.Position);
                    f.Position += length;
                    break;
                default:
                    return Errno.IsDir;
            }
            total += length;
        }
        if (d is StreamDescriptor stream) stream.Flush();
        WriteU32(c, result, (uint)total);
        return Errno.Success;
    }

    // POSIX pwrite ignores the offset of a descriptor in append mode on Linux; WASI hosts write at the offset.
    private Errno FdPwrite(Caller c, int fd, int iovs, int count, long offset, int result)
    {
        var f = Seekable(fd);
        f.Require(Rights.FdWrite | Rights.FdSeek);
        if (offset < 0) return Errno.Inval;
        long total = 0;
        foreach (var (pointer, length) in ReadIovecs(c, iovs, count))
        {
            RandomAccess.Write(f.Handle, Bytes(c, pointer, length), offset + total);
            total += length;
        }
        WriteU32(c, result, (uint)total);
        return Errno.Success;
    }

    private Errno FdSeek(Caller c, int fd, long offset, int whence, int result)
    {
        var f = Seekable(fd);
        f.Require(offset == 0 && whence == 1 ? Rights.FdTell : Rights.FdSeek);
        long basePosition = whence switch
        {
            0 => 0,
            1 => f.Position,
            2 => f.Length,
            _ => throw new WasiErrorException(Errno.Inval),
        };
        long position = basePosition + offset;
        if (position < 0 || (offset > 0 && position < basePosition)) return Errno.Inval;
        f.Position = position;
        WriteU64(c, result, (ulong)position);
        return Errno.Success;
    }

    private Errno FdTell(Caller c, int fd, int result)
    {
        var f = Seekable(fd);
        f.Require(Rights.FdTell);
        WriteU64(c, result, (ulong)f.Position);
        return Errno.Success;
    }

    private Errno FdClose(Caller c, int fd)
    {
        _descriptors.Close(fd);
        return Errno.Success;
    }

    private Errno FdRenumber(Caller c, int from, int to)
    {
        _descriptors.Renumber(from, to);
        return Errno.Success;
    }

    private Errno FdSync(Caller c, int fd) => Sync(fd, Rights.FdSync);

    private Errno FdDatasync(Caller c, int fd) => Sync(fd, Rights.FdDatasync);

    private Errno Sync(int fd, ulong right)
    {
        var d = _descriptors.Get(fd);
        d.Require(right);
        switch (d)
        {
            case FileDescriptor f:
                RandomAccess.FlushToDisk(f.Handle);
                break;
            case StreamDescriptor s:
                s.Flush();
                break;
        }
        return Errno.Success;
    }

    // Advice is only a hint; it is checked and otherwise ignored.
    private Errno FdAdvise(Caller c, int fd, long offset, long length, int advice)
    {
        var f = FileOf(fd, Errno.BadF);
        f.Require(Rights.FdAdvise);
        if (advice is < 0 or > 5 || offset < 0 || length < 0) return Errno.Inval;
        return Errno.Success;
    }

    private Errno FdAllocate(Caller c, int fd, long offset, long length)
    {
        var f = FileOf(fd, Errno.BadF);
        f.Require(Rights.FdAllocate);
        if (offset < 0 || length <= 0 || offset > long.MaxValue - length) return Errno.Inval;
        if (offset + length > f.Length) RandomAccess.SetLength(f.Handle, offset + length);
        return Errno.Success;
    }

    // fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
    private Errno FdFdstatGet(Caller c, int fd, int result)
    {
        var d = _descriptors.Get(fd);
        var span = Bytes(c, result, 24);
        span.Clear();
        span[0] = (byte)d.Type;
        BitConverter.TryWriteBytes(span[2..], (ushort)d.Flags);
        BitConverter.TryWriteBytes(span[8..], d.RightsBase);
        BitConverter.TryWriteBytes(span[16..], d.RightsInheriting);
        return Errno.Success;
    }

    private Errno FdFdstatSetFlags(Caller c, int fd, int flags)
    {
        var d = _descriptors.Get(fd);
        d.Require(Rights.FdFdstatSetFlags);
        if ((flags & ~0x1F) != 0) return Errno.Inval;
        d.Flags = flags;
        return Errno.Success;
    }

    // Rights may only be dropped, never gained.
    private Errno FdFdstatSetRights(Caller c, int fd, long rightsBase, long rightsInheriting)
    {
        var d = _descriptors.Get(fd);
        if (((ulong)rightsBase & ~d.RightsBase) != 0 || ((ulong)rightsInheriting & ~d.RightsInheriting) != 0) return Errno.NotCapable;
        d.RightsBase = (ulong)rightsBase;
        d.RightsInheriting = (ulong)rightsInheriting;
        return Errno.Success;
    }

    private Errno FdFilestatGet(Caller c, int fd, int result)
    {
        var d = _descriptors.Get(fd);
        d.Require(Rights.FdFilestatGet);
        var span = Bytes(c, result, FileStat.Size_);
        switch (d)
        {
            case FileDescriptor f:
                HostFiles.Stat(f.Handle, f.FallbackInode).Write(span);
                break;
            case DirectoryDescriptor dir:
                lock (_gate)
                {
                    HostFiles.Stat(SandboxPath.Locate(dir).HostPath).Write(span);
                }
                break;
            default:
                new FileStat(0, (ulong)fd + 1, d.Type, 1, 0, 0, 0, 0).Write(span);
                break;
        }
        return Errno.Success;
    }

    private Errno FdFilestatSetSize(Caller c, int fd, long size)
    {
        var f = FileOf(fd, Errno.BadF);
        f.Require(Rights.FdFilestatSetSize);
        if (size < 0) return Errno.Inval;
        RandomAccess.SetLength(f.Handle, size);
        return Errno.Success;
    }

    private Errno FdFilestatSetTimes(Caller c, int fd, long atime, long mtime, int flags)
    {
        var d = _descriptors.Get(fd);
        d.Require(Rights.FdFilestatSetTimes);
        var (a, m) = TimesOf(atime, mtime, flags);
        switch (d)
        {
            case FileDescriptor f:
                HostFiles.SetTimes(f.Handle, a, m);
                break;
            case DirectoryDescriptor dir:
                lock (_gate)
                {
                    HostFiles.SetTimes(SandboxPath.Locate(dir).HostPath, follow: false, a, m);
                }
                break;
            default:
                return Errno.BadF;
        }
        return Errno.Success;
    }

    /// <summary>The times <c>fstflags</c> ask for: null keeps a time (EINVAL for a time both given and "now").</summary>
    private static (ulong? Atime, ulong? Mtime) TimesOf(long atime, long mtime, int flags)
    {
        if ((flags & ~0xF) != 0
            || ((flags & FstFlags.Atim) != 0 && (flags & FstFlags.AtimNow) != 0)
            || ((flags & FstFlags.Mtim) != 0 && (flags & FstFlags.MtimNow) != 0))
        {
            throw new WasiErrorException(Errno.Inval);
        }
        ulong? a = (flags & FstFlags.AtimNow) != 0 ? LinuxFiles.Now : (flags & FstFlags.Atim) != 0 ? (ulong)atime : null;
        ulong? m = (flags & FstFlags.MtimNow) != 0 ? LinuxFiles.Now : (flags & FstFlags.Mtim) != 0 ? (ulong)mtime : null;
        return (a, m);
    }

    // prestat: tag u8 @0 (0: directory), name length u32 @4.
    private Errno FdPrestatGet(Caller c, int fd, int result)
    {
        var dir = _descriptors.Get(fd) as DirectoryDescriptor;
        if (dir?.PreopenName is not { } name) return Errno.BadF;
        var span = Bytes(c, result, 8);
        span.Clear();
        BitConverter.TryWriteBytes(span[4..], (uint)Encoding.UTF8.GetByteCount(name));
        return Errno.Success;
    }

    private Errno FdPrestatDirName(Caller c, int fd, int pointer, int length)
    {
        var dir = _descriptors.Get(fd) as DirectoryDescriptor;
        if (dir?.PreopenName is not { } name) return Errno.BadF;
        var bytes = Encoding.UTF8.GetBytes(name);
        if (length < bytes.Length) return Errno.NameTooLong;
        bytes.CopyTo(Bytes(c, pointer, bytes.Length));
        return Errno.Success;
    }

    // Entries ".", ".." and then the directory's names in ordinal order; a cookie is an entry's position. Each entry
    // is a 24-byte dirent (d_next u64, d_ino u64, d_namlen u32, d_type u8) and its name; the last one may be cut
    // short when the buffer is full, which tells the program to call again from that cookie. ".." carries the
    // directory's own inode (as wasmtime does): its real parent may be outside the sandbox, and nothing of that leaks.
    private Errno FdReaddir(Caller c, int fd, int buffer, int length, long cookie, int result)
    {
        var dir = _descriptors.Get<DirectoryDescriptor>(fd, Errno.NotDir);
        dir.Require(Rights.FdReaddir);
        var target = Bytes(c, buffer, length);
        var entries = new List<(string Name, ulong Inode, FileType Type)>();
        lock (_gate)
        {
            string hostPath = SandboxPath.Locate(dir).HostPath;
            ulong self = HostFiles.Stat(hostPath).Inode;
            entries.Add((".", self, FileType.Directory));
            entries.Add(("..", self, FileType.Directory));
            var names = Directory.EnumerateFileSystemEntries(hostPath).Select(Path.GetFileName).OfType<string>().ToList();
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                try
                {
                    var stat = HostFiles.Stat(Path.Join(hostPath, name));
                    entries.Add((name, stat.Inode, stat.Type));
                }
                catch (WasiErrorException e) when (e.Errno == Errno.NoEnt)
                {
                    // removed since the listing: skipped, as readdir(3) may
                }
            }
        }

        int used = 0;
        Span<byte> header = stackalloc byte[DirentHeaderSize];
        for (long i = Math.Max(cookie, 0); i < entries.Count && used < target.Length; i++)
        {
            var (name, inode, type) = entries[(int)i];
            var nameBytes = Encoding.UTF8.GetBytes(name);
            header.Clear();
            BitConverter.TryWriteBytes(header, (ulong)(i + 1));
            BitConverter.TryWriteBytes(header[8..], inode);
            BitConverter.TryWriteBytes(header[16..], (uint)nameBytes.Length);
            header[20] = (byte)type;
            used += CopyPart(header, target[used..]);
            used += CopyPart(nameBytes, target[used..]);
        }
        WriteU32(c, result, (uint)used);
        return Errno.Success;
    }

    private static int CopyPart(ReadOnlySpan<byte> source, Span<byte> target)
    {
        int n = Math.Min(source.Length, target.Length);
        source[..n].CopyTo(target);
        return n;
    }

    private FileDescriptor FileOf(int fd, Errno notAFile) => _descriptors.Get<FileDescriptor>(fd, notAFile);

    // As wasmtime: a standard stream cannot seek (ESPIPE); a directory is no file to read or seek at all (EBADF).
    private FileDescriptor Seekable(int fd) => _descriptors.Get(fd) switch
    {
        FileDescriptor f => f,
        StreamDescriptor => throw new WasiErrorException(Errno.SPipe),
        _ => throw new WasiErrorException(Errno.BadF),
    };
}
