namespace Weft;

public sealed partial class Store
{
    /// <summary>
    /// Whether the non-shared memories this store creates from now on (by instantiation or <c>new Memory</c>) are
    /// managed: one pinned byte[] of exactly the memory's length, reallocated at every grow (see Memory.Managed.cs).
    /// Set by Weft.JavaScript, whose ArrayBuffers must be the memory's own bytes; off by default, because a managed
    /// memory's grow copies it and its size stops just under 2 GiB. <c>WEFT_MANAGED_MEMORIES=1</c> turns it on for
    /// every store (to run the spec suite over managed memories).
    /// </summary>
    internal bool ManagedMemories { get; set; } = s_managedByDefault;

    private static readonly bool s_managedByDefault = Environment.GetEnvironmentVariable("WEFT_MANAGED_MEMORIES") == "1";
}
