namespace Weft;

/// <summary>
/// A host memory was to be mapped, remapped or revoked (<see cref="Memory.Map(nint, ulong, object?)"/>,
/// <see cref="Memory.Revoke"/>, <see cref="MemoryMapping.Dispose"/>) while wasm code of its store was running on the
/// calling thread (from a host function called by wasm). Compiled code keeps a memory's base address and length for
/// the whole of a call, so the storage under it may change only between calls: the request was refused and nothing
/// changed. Do it after the outermost call into the store returns. (From another thread while a call runs, the same
/// request is refused with a <see cref="StoreInUseException"/>.) See docs/HOST-MEMORY.md.
/// </summary>
public sealed class MemoryInUseException : WeftException
{
    private const string Text = "memory in use by running wasm code";

    /// <summary>Creates the exception.</summary>
    public MemoryInUseException()
        : base(Text, $"{Text}: a host memory is mapped, remapped or revoked only while no wasm code of its store runs")
    {
    }
}
