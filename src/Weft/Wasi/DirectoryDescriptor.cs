namespace Weft.Wasi;

/// <summary>
/// An open directory: the root that paths given with it are resolved in (see <see cref="SandboxPath"/>); a
/// preopened one also has the name the program sees (<c>fd_prestat_dir_name</c>).
/// </summary>
internal sealed class DirectoryDescriptor(string hostPath, string? preopenName) : Descriptor
{
    /// <summary>The directory's full path on the host.</summary>
    public string HostPath { get; } = hostPath;

    /// <summary>The guest name of a preopened directory; null for one opened with path_open.</summary>
    public string? PreopenName { get; } = preopenName;

    public override FileType Type => FileType.Directory;
}
