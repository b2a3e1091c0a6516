using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Weft.Wasi;

// path_*: every path is resolved inside the directory descriptor it is given with (SandboxPath), never outside.
// Each runs under _gate, so that no other call of the program changes the tree between resolving and acting.
internal sealed partial class WasiPreview1
{
    /// <summary>Serializes the calls that resolve paths (see <see cref="SandboxPath"/>'s remarks).</summary>
    private readonly Lock _gate = new();

    /// <summary>The directory descriptor a path call names, with the right it needs (ENOTDIR if it is a file).</summary>
    private DirectoryDescriptor DirectoryOf(int fd, ulong right)
    {
        var dir = _descriptors.Get<DirectoryDescriptor>(fd, Errno.NotDir);
        dir.Require(right);
        return dir;
    }

    private SandboxPath.Resolved Resolve(Caller c, int fd, ulong right, int path, int length, bool follow) =>
        SandboxPath.Resolve(DirectoryOf(fd, right), ReadString(c, path, length), follow);

    private Errno PathOpen(Caller c, int fd, int lookupFlags, int path, int length, int openFlags, long rightsBase, long rightsInheriting, int fdFlags, int result)
    {
        lock (_gate)
        {
            var dir = DirectoryOf(fd, Rights.PathOpen);
            bool create = (openFlags & OFlags.Creat) != 0;
            if (create) dir.Require(Rights.PathCreateFile);
            if ((openFlags & OFlags.Trunc) != 0) dir.Require(Rights.PathFilestatSetSize);
            bool follow = (lookupFlags & LookupFlags.SymlinkFollow) != 0;
            var target = SandboxPath.Resolve(dir, ReadString(c, path, length), follow);
            // What the new descriptor may do: what was asked, within what the directory passes on.
            ulong requested = (ulong)rightsBase & dir.RightsInheriting;
            ulong inheriting = (ulong)rightsInheriting & dir.RightsInheriting;
            var type = HostFiles.TypeOf(target.HostPath);

            if (type == FileType.SymbolicLink) return Errno.Loop; // a final link that was not to be followed
            if (type != FileType.Unknown && create && (openFlags & OFlags.Excl) != 0) return Errno.Exist;
            if (type == FileType.Directory)
            {
                // A directory cannot be opened for writing, as open(2) says (EISDIR), even with O_DIRECTORY.
                if ((openFlags & OFlags.Trunc) != 0 || (requested & Rights.FdWrite) != 0) return Errno.IsDir;
                var opened = new DirectoryDescriptor(target.RootHostPath, target.Components, null)
                {
                    RightsBase = requested & Rights.Directory,
                    RightsInheriting = inheriting,
                    Flags = fdFlags,
                };
                WriteU32(c, result, (uint)_descriptors.Add(opened));
                return Errno.Success;
            }
            if ((openFlags & OFlags.Directory) != 0 || target.MustBeDirectory) return type == FileType.Unknown ? Errno.NoEnt : Errno.NotDir;
            if (type == FileType.Unknown && !create) return Errno.NoEnt;

            bool write = (requested & (Rights.FdWrite | Rights.FdAllocate | Rights.FdFilestatSetSize)) != 0
                || (fdFlags & FdFlags.Append) != 0 || (openFlags & OFlags.Trunc) != 0;
            bool read = (requested & (Rights.FdRead | Rights.FdReaddir)) != 0 || !write;
            var access = (read ? FileAccess.Read : 0) | (write ? FileAccess.Write : 0);
            var mode = type == FileType.Unknown ? (create ? FileMode.CreateNew : FileMode.Open)
                : (openFlags & OFlags.Trunc) != 0 ? FileMode.Truncate : FileMode.Open;
            if (!write && mode != FileMode.Open)
            {
                // Creating or truncating needs write access from the OS even when the program only asked to read.
                using (File.OpenHandle(target.HostPath, mode, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                }
                mode = FileMode.Open;
            }
            SafeFileHandle handle = File.OpenHandle(target.HostPath, mode, access, FileShare.ReadWrite | FileShare.Delete);
            var file = new FileDescriptor(handle, LinuxFiles.Available ? 0 : HostFiles.FallbackInode(target.HostPath))
            {
                RightsBase = requested & Rights.File,
                RightsInheriting = inheriting,
                Flags = fdFlags,
            };
            WriteU32(c, result, (uint)_descriptors.Add(file));
            return Errno.Success;
        }
    }

    private Errno PathCreateDirectory(Caller c, int fd, int path, int length)
    {
        lock (_gate)
        {
            var target = Resolve(c, fd, Rights.PathCreateDirectory, path, length, follow: false);
            if (HostFiles.TypeOf(target.HostPath) != FileType.Unknown) return Errno.Exist;
            Directory.CreateDirectory(target.HostPath);
            return Errno.Success;
        }
    }

    private Errno PathRemoveDirectory(Caller c, int fd, int path, int length)
    {
        lock (_gate)
        {
            var target = Resolve(c, fd, Rights.PathRemoveDirectory, path, length, follow: false);
            if (target.IsRoot) return Errno.Busy;
            switch (HostFiles.TypeOf(target.HostPath))
            {
                case FileType.Unknown: return Errno.NoEnt;
                case FileType.Directory: break;
                default: return Errno.NotDir;
            }
            if (Directory.EnumerateFileSystemEntries(target.HostPath).Any()) return Errno.NotEmpty;
            Directory.Delete(target.HostPath);
            return Errno.Success;
        }
    }

    private Errno PathUnlinkFile(Caller c, int fd, int path, int length)
    {
        lock (_gate)
        {
            var target = Resolve(c, fd, Rights.PathUnlinkFile, path, length, follow: false);
            var type = HostFiles.TypeOf(target.HostPath);
            if (type == FileType.Unknown) return Errno.NoEnt;
            if (type == FileType.Directory) return Errno.IsDir;
            if (target.MustBeDirectory) return Errno.NotDir;
            File.Delete(target.HostPath);
            return Errno.Success;
        }
    }

    private Errno PathRename(Caller c, int fd, int oldPath, int oldLength, int newFd, int newPath, int newLength)
    {
        lock (_gate)
        {
            var source = Resolve(c, fd, Rights.PathRenameSource, oldPath, oldLength, follow: false);
            var target = Resolve(c, newFd, Rights.PathRenameTarget, newPath, newLength, follow: false);
            var sourceType = HostFiles.TypeOf(source.HostPath);
            var targetType = HostFiles.TypeOf(target.HostPath);
            if (sourceType == FileType.Unknown) return Errno.NoEnt;
            if (source.IsRoot || target.IsRoot) return Errno.Busy;
            if (sourceType == FileType.Directory)
            {
                if (targetType is FileType.RegularFile or FileType.SymbolicLink) return Errno.NotDir;
                CheckLinksMovedWith(source, target);
                if (targetType == FileType.Directory)
                {
                    if (Directory.EnumerateFileSystemEntries(target.HostPath).Any()) return Errno.NotEmpty;
                    Directory.Delete(target.HostPath);
                }
                Directory.Move(source.HostPath, target.HostPath);
                return Errno.Success;
            }
            if (targetType == FileType.Directory) return Errno.IsDir;
            if (source.MustBeDirectory || target.MustBeDirectory) return Errno.NotDir;
            if (sourceType == FileType.SymbolicLink) SandboxPath.CheckLinkTarget(LinkText(source.HostPath), target.ParentDepth);
            File.Move(source.HostPath, target.HostPath, overwrite: true);
            return Errno.Success;
        }
    }

    /// <summary>
    /// A directory moving nearer its preopen's root (or into another preopen) takes its links along, and a link that
    /// climbs out of the moved directory would then point elsewhere: each must still stay inside (ENOTCAPABLE).
    /// </summary>
    private static void CheckLinksMovedWith(SandboxPath.Resolved source, SandboxPath.Resolved target)
    {
        int depth = target.Components.Length;
        if (depth >= source.Components.Length && source.RootHostPath == target.RootHostPath) return;
        var folders = new Stack<(string HostPath, int Depth)>();
        folders.Push((source.HostPath, depth));
        while (folders.Count > 0)
        {
            var (folder, level) = folders.Pop();
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is { } text) SandboxPath.CheckLinkTarget(text, level);
                else if (entry is DirectoryInfo) folders.Push((entry.FullName, level + 1));
            }
        }
    }

    private static string LinkText(string hostPath) => new FileInfo(hostPath).LinkTarget ?? throw new WasiErrorException(Errno.Inval);

    // The link's text is stored as given, once it is sure to stay inside the preopen (SandboxPath.CheckLinkTarget).
    private Errno PathSymlink(Caller c, int oldPath, int oldLength, int fd, int newPath, int newLength)
    {
        lock (_gate)
        {
            string contents = ReadString(c, oldPath, oldLength);
            var target = Resolve(c, fd, Rights.PathSymlink, newPath, newLength, follow: false);
            if (contents.Length == 0) return Errno.NoEnt;
            if (HostFiles.TypeOf(target.HostPath) != FileType.Unknown || target.IsRoot) return Errno.Exist;
            if (target.MustBeDirectory) return Errno.NoEnt;
            SandboxPath.CheckLinkTarget(contents, target.ParentDepth);
            File.CreateSymbolicLink(target.HostPath, contents);
            return Errno.Success;
        }
    }

    private Errno PathReadlink(Caller c, int fd, int path, int length, int buffer, int bufferLength, int result)
    {
        lock (_gate)
        {
            var target = Resolve(c, fd, Rights.PathReadlink, path, length, follow: false);
            string? contents = new FileInfo(target.HostPath).LinkTarget;
            if (contents is null) return HostFiles.TypeOf(target.HostPath) == FileType.Unknown ? Errno.NoEnt : Errno.Inval;
            var bytes = Encoding.UTF8.GetBytes(contents);
            int n = Math.Min(bytes.Length, Math.Max(bufferLength, 0));
            bytes.AsSpan(0, n).CopyTo(Bytes(c, buffer, n));
            WriteU32(c, result, (uint)n);
            return Errno.Success;
        }
    }

    private Errno PathLink(Caller c, int oldFd, int oldFlags, int oldPath, int oldLength, int newFd, int newPath, int newLength)
    {
        lock (_gate)
        {
            var source = Resolve(c, oldFd, Rights.PathLinkSource, oldPath, oldLength, (oldFlags & LookupFlags.SymlinkFollow) != 0);
            var target = Resolve(c, newFd, Rights.PathLinkTarget, newPath, newLength, follow: false);
            var sourceType = HostFiles.TypeOf(source.HostPath);
            if (sourceType == FileType.Unknown) return Errno.NoEnt;
            if (sourceType == FileType.Directory) return Errno.Perm;
            if (source.MustBeDirectory) return Errno.NotDir;
            if (HostFiles.TypeOf(target.HostPath) != FileType.Unknown) return Errno.Exist;
            // As link(2): a new name ending in "/" must be an existing directory, which it is not.
            if (target.MustBeDirectory) return Errno.NoEnt;
            // A hard link to a link is a second copy of its text, in another directory.
            if (sourceType == FileType.SymbolicLink) SandboxPath.CheckLinkTarget(LinkText(source.HostPath), target.ParentDepth);
            HostFiles.CreateHardLink(source.HostPath, target.HostPath);
            return Errno.Success;
        }
    }

    private Errno PathFilestatGet(Caller c, int fd, int flags, int path, int length, int result)
    {
        lock (_gate)
        {
            var target = Resolve(c, fd, Rights.PathFilestatGet, path, length, (flags & LookupFlags.SymlinkFollow) != 0);
            var span = Bytes(c, result, FileStat.Size_);
            var stat = HostFiles.Stat(target.HostPath);
            if (target.MustBeDirectory && stat.Type is FileType.RegularFile) return Errno.NotDir;
            stat.Write(span);
            return Errno.Success;
        }
    }

    private Errno PathFilestatSetTimes(Caller c, int fd, int flags, int path, int length, long atime, long mtime, int timeFlags)
    {
        lock (_gate)
        {
            var (a, m) = TimesOf(atime, mtime, timeFlags);
            bool follow = (flags & LookupFlags.SymlinkFollow) != 0;
            var target = Resolve(c, fd, Rights.PathFilestatSetTimes, path, length, follow);
            if (HostFiles.TypeOf(target.HostPath) == FileType.Unknown) return Errno.NoEnt;
            // The resolved place holds no link to follow any more (or it is the link itself, not to be followed).
            HostFiles.SetTimes(target.HostPath, follow: false, a, m);
            return Errno.Success;
        }
    }
}
