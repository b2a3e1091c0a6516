using Weft.Runtime;

namespace Weft;

public abstract partial class Function
{
    /// <summary>
    /// Calls the function on a thread with a big stack and completes when it returns: for library hosts, whose
    /// thread-pool threads have 1.5 MiB of stack on Windows (less than the 4 MiB wasm may use by default) and the OS
    /// default elsewhere (often 8 MiB), less than a store may allow (<see cref="StoreLimits.MaxWasmStack"/>).
    /// The store is used from that thread for the duration of the call, so the caller must not use it meanwhile
    /// (a <see cref="StoreInUseException"/> otherwise, as for any two threads).
    /// </summary>
    /// <param name="arguments">The arguments, as for <see cref="Invoke"/>.</param>
    /// <param name="cancellationToken">
    /// Interrupts the call when cancelled; the task is then cancelled. Needs a store created with
    /// <see cref="Store.Interruptible"/> (an <see cref="InvalidOperationException"/> otherwise, when the token can be
    /// cancelled). The store's own deadline, if any, stays in force.
    /// </param>
    /// <returns>The results; a trap faults the task with <see cref="TrapException"/>.</returns>
    public Task<WasmValue[]> InvokeAsync(WasmValue[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var store = Store;
        if (cancellationToken.CanBeCanceled && store is { Interruptible: false })
        {
            throw new InvalidOperationException("cancelling a call needs a store created with Interruptible = true");
        }
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<WasmValue[]>(cancellationToken);
        var done = new TaskCompletionSource<WasmValue[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        BigStackWorkers.Run(() => RunAsyncCall(store, arguments, cancellationToken, done), store?.Limits.MaxWasmStack ?? new StoreLimits().MaxWasmStack);
        return done.Task;
    }

    private void RunAsyncCall(Store? store, WasmValue[] arguments, CancellationToken cancellationToken, TaskCompletionSource<WasmValue[]> done)
    {
        // Interrupt, not SetDeadline: the host's deadline on the store must stay as it was.
        var registration = store is null ? default : cancellationToken.Register(static s => ((Store)s!).Interrupt(), store);
        try
        {
            done.TrySetResult(Invoke(arguments));
        }
        catch (TrapException trap) when (trap.Kind == TrapKind.Interrupted && cancellationToken.IsCancellationRequested)
        {
            done.TrySetCanceled(cancellationToken);
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
        finally
        {
            registration.Dispose();
            // The interrupt this call's token raised must not stop the store's next call.
            if (store is not null && cancellationToken.IsCancellationRequested) store.ClearPendingInterrupt();
        }
    }
}
