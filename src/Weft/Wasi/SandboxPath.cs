namespace Weft.Wasi;

/// <summary>
/// Resolves a guest path inside a directory descriptor, one component at a time, so that it can never leave that
/// directory: absolute paths are refused, <c>..</c> may not climb above the directory, and symbolic links are
/// followed here (not by the OS) under the same rules — a link to an absolute path or above the directory is
/// refused too (ENOTCAPABLE). The result is a host path whose every directory component is a real directory
/// inside the sandbox; only its last component may be missing (to be created) or a symbolic link (when not followed).
/// </summary>
/// <remarks>
/// The checks and the later OS call are separate steps, so another host process that swaps a directory for a link
/// in between could still redirect a call; the program itself cannot, as it runs nothing concurrently with a call.
/// </remarks>
internal static class SandboxPath
{
    /// <summary>How many symbolic links one resolution may follow before failing with ELOOP (as Linux's 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>A resolved path.</summary>
    /// <param name="HostPath">The path on the host.</param>
    /// <param name="MustBeDirectory">The guest path ended with <c>/</c> (or <c>/.</c>): it must name a directory.</param>
    /// <param name="IsRoot">The path names the directory itself.</param>
    public readonly record struct Resolved(string HostPath, bool MustBeDirectory, bool IsRoot);

    /// <summary>Resolves <paramref name="path"/> in <paramref name="directory"/>.</summary>
    /// <param name="directory">The directory the path is relative to; the sandbox's boundary.</param>
    /// <param name="path">The guest path.</param>
    /// <param name="followFinal">Whether a symbolic link as the last component is followed.</param>
    public static Resolved Resolve(DirectoryDescriptor directory, string path, bool followFinal)
    {
        if (path.Length == 0) throw new WasiErrorException(Errno.NoEnt);
        if (path.Contains('\0', StringComparison.Ordinal)) throw new WasiErrorException(Errno.Inval);
        if (path[0] == '/') throw new WasiErrorException(Errno.NotCapable);
        // On Windows a backslash or a drive letter would be another way out; such names cannot be expressed there.
        if (OperatingSystem.IsWindows() && (path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal)))
        {
            throw new WasiErrorException(Errno.NotCapable);
        }

        var pending = new List<string>(path.Split('/'));
        // "a/", "a/." and "a/.." can only name directories.
        bool mustBeDirectory = pending.Count > 1 && pending[^1] is "" or "." or "..";
        pending.Reverse(); // pending[^1] is the next component
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            string component = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (component is "" or ".") continue;
            if (component == "..")
            {
                if (resolved.Count == 0) throw new WasiErrorException(Errno.NotCapable);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            bool last = AllDots(pending);
            string candidate = Join(directory.HostPath, resolved, component);
            string? link = new FileInfo(candidate).LinkTarget;
            if (link is not null && (!last || followFinal || mustBeDirectory))
            {
                if (++links > MaxLinks) throw new WasiErrorException(Errno.Loop);
                if (link.Length == 0) throw new WasiErrorException(Errno.NoEnt);
                if (link[0] == '/' || Path.IsPathRooted(link)) throw new WasiErrorException(Errno.NotCapable);
                // The target is relative to the directory holding the link, which is where resolution stands.
                var parts = link.Split('/');
                for (int i = parts.Length - 1; i >= 0; i--) pending.Add(parts[i]);
                continue;
            }
            if (!last && link is null)
            {
                if (!Directory.Exists(candidate)) throw new WasiErrorException(File.Exists(candidate) ? Errno.NotDir : Errno.NoEnt);
            }
            resolved.Add(component);
        }
        return new Resolved(Join(directory.HostPath, resolved, null), mustBeDirectory, resolved.Count == 0);
    }

    private static bool AllDots(List<string> pending)
    {
        foreach (var c in pending)
        {
            if (c is not ("" or ".")) return false;
        }
        return true;
    }

    private static string Join(string root, List<string> components, string? last)
    {
        var all = new List<string>(components.Count + 2) { root };
        all.AddRange(components);
        if (last is not null) all.Add(last);
        return Path.Join(all.ToArray());
    }
}
