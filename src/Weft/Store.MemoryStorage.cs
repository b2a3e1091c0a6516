namespace Weft;

public sealed partial class Store
{
    /// <summary>
    /// Whether the non-shared memories this store creates from now on (by instantiation or <c>new Memory</c>) may be
    /// lent as arrays: Memory.ShareAsArray moves their bytes into one pinned byte[] of exactly their length, and a grow
    /// moves them back (see Memory.Managed.cs). Set by Weft.JavaScript, whose ArrayBuffers must be the memory's own
    /// bytes; off by default. <c>WEFT_MANAGED_MEMORIES=1</c> turns it on for every store and lends every such memory
    /// at creation (to run the spec suite over lent memories).
    /// </summary>
    internal bool ManagedMemories { get; set; } = ManagedMemoriesEverywhere;

    /// <summary>WEFT_MANAGED_MEMORIES=1: every store manages its memories, and each memory is lent at its creation.</summary>
    internal static bool ManagedMemoriesEverywhere { get; } = Environment.GetEnvironmentVariable("WEFT_MANAGED_MEMORIES") == "1";
}
