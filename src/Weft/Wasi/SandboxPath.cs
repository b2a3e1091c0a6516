namespace Weft.Wasi;

/// <summary>
/// Resolves guest paths so that they can never leave their sandbox. A directory descriptor is found again from its
/// preopen on every use (<see cref="Locate"/>), one component at a time; a path given with it is then resolved below
/// it (<see cref="Resolve"/>): absolute paths are refused, <c>..</c> may not climb above the descriptor, and symbolic
/// links are followed here (not by the OS) under the same rules — a link to an absolute path or above the boundary is
/// refused (ENOTCAPABLE). The result names a place whose every directory component is, at that moment, a real
/// directory inside the sandbox; only its last component may be missing (to be created) or a link (when not followed).
/// </summary>
/// <remarks>
/// Resolution and the OS call that uses its result are two steps. The program cannot change the tree between them:
/// the WASI functions that resolve paths run one at a time (a lock), and wasm runs nothing concurrently with a call.
/// Another host process that swaps a directory for a link in that window could still redirect one call; that is
/// outside what this sandbox guards (see docs/RATIONALE.md, "WASI sandbox").
/// </remarks>
internal static class SandboxPath
{
    /// <summary>How many symbolic links one resolution may follow before failing with ELOOP (as Linux's 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>A resolved place.</summary>
    /// <param name="RootHostPath">The host directory of the preopen it lies in.</param>
    /// <param name="Components">Its guest path below the preopen (real directories, then the last name).</param>
    /// <param name="MustBeDirectory">The guest path ended with <c>/</c> (or <c>/.</c>): it must name a directory.</param>
    /// <param name="IsRoot">The path names the directory descriptor itself.</param>
    public readonly record struct Resolved(string RootHostPath, string[] Components, bool MustBeDirectory, bool IsRoot)
    {
        /// <summary>The place on the host, for the one OS call that follows.</summary>
        public string HostPath => Join(RootHostPath, Components);

        /// <summary>How deep below the preopen the directory holding the last component is.</summary>
        public int ParentDepth => Math.Max(Components.Length - 1, 0);
    }

    /// <summary>Where a directory descriptor is now: its path found again from its preopen (ENOENT or ENOTDIR if gone).</summary>
    public static Resolved Locate(DirectoryDescriptor directory)
    {
        var pending = new List<string>(directory.Components);
        pending.Reverse();
        var resolved = Walk(directory.RootHostPath, [], 0, pending, followFinal: true, mustBeDirectory: true);
        var found = new Resolved(directory.RootHostPath, [.. resolved], true, resolved.Count == 0);
        if (resolved.Count > 0)
        {
            var type = HostFiles.TypeOf(found.HostPath);
            if (type != FileType.Directory) throw new WasiErrorException(type == FileType.Unknown ? Errno.NoEnt : Errno.NotDir);
        }
        return found;
    }

    /// <summary>Resolves <paramref name="path"/> in <paramref name="directory"/>.</summary>
    /// <param name="directory">The directory the path is relative to; nothing resolves above it.</param>
    /// <param name="path">The guest path.</param>
    /// <param name="followFinal">Whether a symbolic link as the last component is followed.</param>
    public static Resolved Resolve(DirectoryDescriptor directory, string path, bool followFinal)
    {
        if (path.Length == 0) throw new WasiErrorException(Errno.NoEnt);
        if (path.Contains('\0', StringComparison.Ordinal)) throw new WasiErrorException(Errno.Inval);
        if (path[0] == '/' || HasWindowsEscape(path)) throw new WasiErrorException(Errno.NotCapable);

        var start = Locate(directory).Components;
        var pending = new List<string>(path.Split('/'));
        // "a/", "a/." and "a/.." can only name directories.
        bool mustBeDirectory = pending.Count > 1 && pending[^1] is "" or "." or "..";
        pending.Reverse(); // pending[^1] is the next component
        var resolved = Walk(directory.RootHostPath, [.. start], start.Length, pending, followFinal, mustBeDirectory);
        return new Resolved(directory.RootHostPath, [.. resolved], mustBeDirectory, resolved.Count == start.Length);
    }

    /// <summary>
    /// Checks the text of a symbolic link that is to live in a directory <paramref name="depth"/> levels below its
    /// preopen (ENOTCAPABLE unless it stays inside, wherever it is then followed from). Absolute targets are refused;
    /// <c>..</c> may only lead the target (climbing at most <paramref name="depth"/> levels) and never follow a name:
    /// in <c>a/../b</c> the program could later make <c>a</c> a link to the preopen itself, and the OS (or a host tool
    /// walking the directory) would then climb out. Targets of this shape stay inside by induction over the links they
    /// pass through; moving a link changes its depth, so renames and hard links check again.
    /// </summary>
    public static void CheckLinkTarget(string target, int depth)
    {
        if (target.Length == 0) throw new WasiErrorException(Errno.NoEnt);
        if (target.Contains('\0', StringComparison.Ordinal)) throw new WasiErrorException(Errno.Inval);
        if (target[0] == '/' || Path.IsPathRooted(target) || HasWindowsEscape(target)) throw new WasiErrorException(Errno.NotCapable);
        int climb = 0;
        bool named = false;
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part != "..")
            {
                named = true;
                continue;
            }
            if (named || ++climb > depth) throw new WasiErrorException(Errno.NotCapable);
        }
    }

    // On Windows a backslash or a drive letter would be another way out; such names cannot be expressed there.
    private static bool HasWindowsEscape(string path) =>
        OperatingSystem.IsWindows() && (path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal));

    /// <summary>
    /// Resolves <paramref name="pending"/> (reversed: the next component last) from <paramref name="resolved"/>, never
    /// popping below <paramref name="floor"/> components.
    /// </summary>
    private static List<string> Walk(string root, List<string> resolved, int floor, List<string> pending, bool followFinal, bool mustBeDirectory)
    {
        int links = 0;
        while (pending.Count > 0)
        {
            string component = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (component is "" or ".") continue;
            if (component == "..")
            {
                if (resolved.Count <= floor) throw new WasiErrorException(Errno.NotCapable);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            bool last = AllDots(pending);
            string candidate = Join(root, resolved, component);
            // One lstat per component; the link is read only when there is one to follow.
            var type = HostFiles.TypeOf(candidate);
            if (type == FileType.SymbolicLink && (!last || followFinal || mustBeDirectory))
            {
                if (++links > MaxLinks) throw new WasiErrorException(Errno.Loop);
                string link = new FileInfo(candidate).LinkTarget ?? "";
                if (link.Length == 0) throw new WasiErrorException(Errno.NoEnt);
                if (link[0] == '/' || Path.IsPathRooted(link) || HasWindowsEscape(link)) throw new WasiErrorException(Errno.NotCapable);
                // The target is relative to the directory holding the link, which is where resolution stands.
                var parts = link.Split('/');
                for (int i = parts.Length - 1; i >= 0; i--) pending.Add(parts[i]);
                continue;
            }
            if (!last && type != FileType.Directory) throw new WasiErrorException(type == FileType.Unknown ? Errno.NoEnt : Errno.NotDir);
            resolved.Add(component);
        }
        return resolved;
    }

    private static bool AllDots(List<string> pending)
    {
        foreach (var c in pending)
        {
            if (c is not ("" or ".")) return false;
        }
        return true;
    }

    private static string Join(string root, IReadOnlyList<string> components, string? last = null)
    {
        var all = new string[components.Count + (last is null ? 1 : 2)];
        all[0] = root;
        for (int i = 0; i < components.Count; i++) all[i + 1] = components[i];
        if (last is not null) all[^1] = last;
        return Path.Join(all);
    }
}
