using System.Runtime.ExceptionServices;

namespace Weft.Tests.Robustness;

/// <summary>Runs test code on a thread of its own (a given stack size, or the default), rethrowing what it threw.</summary>
internal static class TestThreads
{
    public static T Run<T>(Func<T> work, int stackSize = 0)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, stackSize);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
