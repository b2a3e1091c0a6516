using System.Runtime.ExceptionServices;

namespace Weft.Benchmarks.Harness;

/// <summary>Runs code on a thread with a large stack, as <c>weft run</c> does: real programs recurse deeply.</summary>
internal static class BigStack
{
    private const int StackSize = 256 << 20;

    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, StackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return result;
    }
}
