namespace Weft.Wasi;

/// <summary>
/// An open directory. It holds no host path: only its preopen's host directory and its own guest path below it
/// (<see cref="Components"/>: real directory names, no links, no <c>..</c>), and every use finds it again from the
/// preopen by that path under the sandbox's rules (<see cref="SandboxPath"/>). So a directory renamed or replaced
/// after it was opened (even by a symbolic link to <c>..</c>) can never make it name a place outside its preopen:
/// at worst another place inside, or nothing (ENOENT).
/// </summary>
internal sealed class DirectoryDescriptor(string rootHostPath, IReadOnlyList<string> components, string? preopenName) : Descriptor
{
    /// <summary>The host directory of the preopen this directory lies in (the boundary nothing resolves above).</summary>
    public string RootHostPath { get; } = rootHostPath;

    /// <summary>The directory's guest path below its preopen, one name per level (empty for the preopen itself).</summary>
    public IReadOnlyList<string> Components { get; } = components;

    /// <summary>The guest name of a preopened directory; null for one opened with path_open.</summary>
    public string? PreopenName { get; } = preopenName;

    public override FileType Type => FileType.Directory;
}
