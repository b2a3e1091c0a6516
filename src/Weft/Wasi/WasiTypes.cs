namespace Weft.Wasi;

// Constants of wasi_snapshot_preview1 (witx names), with the spec's values.

/// <summary>Rights: what a descriptor may be used for (<c>rights</c>).</summary>
internal static class Rights
{
    public const ulong FdDatasync = 1UL << 0, FdRead = 1UL << 1, FdSeek = 1UL << 2, FdFdstatSetFlags = 1UL << 3,
        FdSync = 1UL << 4, FdTell = 1UL << 5, FdWrite = 1UL << 6, FdAdvise = 1UL << 7, FdAllocate = 1UL << 8,
        PathCreateDirectory = 1UL << 9, PathCreateFile = 1UL << 10, PathLinkSource = 1UL << 11,
        PathLinkTarget = 1UL << 12, PathOpen = 1UL << 13, FdReaddir = 1UL << 14, PathReadlink = 1UL << 15,
        PathRenameSource = 1UL << 16, PathRenameTarget = 1UL << 17, PathFilestatGet = 1UL << 18,
        PathFilestatSetSize = 1UL << 19, PathFilestatSetTimes = 1UL << 20, FdFilestatGet = 1UL << 21,
        FdFilestatSetSize = 1UL << 22, FdFilestatSetTimes = 1UL << 23, PathSymlink = 1UL << 24,
        PathRemoveDirectory = 1UL << 25, PathUnlinkFile = 1UL << 26, PollFdReadwrite = 1UL << 27,
        SockShutdown = 1UL << 28, SockAccept = 1UL << 29;

    /// <summary>Everything a regular file descriptor can do.</summary>
    public const ulong File = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise
        | FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;

    /// <summary>Everything a directory descriptor can do.</summary>
    public const ulong Directory = FdFdstatSetFlags | FdSync | FdAdvise | PathCreateDirectory | PathCreateFile
        | PathLinkSource | PathLinkTarget | PathOpen | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget
        | PathFilestatGet | PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes
        | PathSymlink | PathRemoveDirectory | PathUnlinkFile;

    /// <summary>What a directory passes on to what is opened through it.</summary>
    public const ulong Inheriting = File | Directory;
}

/// <summary><c>filetype</c>.</summary>
internal enum FileType : byte
{
    Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4, SocketDgram = 5,
    SocketStream = 6, SymbolicLink = 7,
}

/// <summary><c>fdflags</c>.</summary>
internal static class FdFlags
{
    public const int Append = 1, Dsync = 2, NonBlock = 4, Rsync = 8, Sync = 16;
}

/// <summary><c>oflags</c> of path_open.</summary>
internal static class OFlags
{
    public const int Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
}

/// <summary><c>lookupflags</c>.</summary>
internal static class LookupFlags
{
    public const int SymlinkFollow = 1;
}

/// <summary><c>fstflags</c> of the set_times calls.</summary>
internal static class FstFlags
{
    public const int Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
}

/// <summary><c>clockid</c>.</summary>
internal static class ClockId
{
    public const int Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3;
}

/// <summary><c>eventtype</c> of poll_oneoff.</summary>
internal static class EventType
{
    public const byte Clock = 0, FdRead = 1, FdWrite = 2;
}
