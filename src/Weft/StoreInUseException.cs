namespace Weft;

/// <summary>
/// A thread called into a <see cref="Store"/> (a function call or an instantiation) while another thread was running
/// a call in it. A store runs wasm on one thread at a time; the call was refused before any wasm ran, and the call
/// already running on the other thread is not disturbed. Wait for it to return (or give each thread its own store).
/// </summary>
public sealed class StoreInUseException : WeftException
{
    private const string Text = "store in use by another thread";

    /// <summary>Creates the exception.</summary>
    public StoreInUseException()
        : base(Text, $"{Text}: a store runs wasm on one thread at a time")
    {
    }
}
