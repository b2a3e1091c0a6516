using System.Diagnostics;
using System.Security.Cryptography;

namespace Weft.Wasi;

// args_*, environ_*, clock_*, random_get, proc_*, sched_yield.
internal sealed partial class WasiPreview1
{
    private Errno ArgsGet(Caller c, int argv, int buffer) => WriteStrings(c, _args, argv, buffer);

    private Errno ArgsSizesGet(Caller c, int count, int size) => WriteSizes(c, _args, count, size);

    private Errno EnvironGet(Caller c, int environ, int buffer) => WriteStrings(c, _environment, environ, buffer);

    private Errno EnvironSizesGet(Caller c, int count, int size) => WriteSizes(c, _environment, count, size);

    // The pointer array gets one pointer per string into the buffer, which gets the NUL-terminated strings.
    private static Errno WriteStrings(Caller c, byte[][] strings, int pointers, int buffer)
    {
        uint at = (uint)buffer;
        for (int i = 0; i < strings.Length; i++)
        {
            WriteU32(c, pointers + i * 4, at);
            strings[i].CopyTo(Bytes(c, (int)at, strings[i].Length));
            at += (uint)strings[i].Length;
        }
        return Errno.Success;
    }

    private static Errno WriteSizes(Caller c, byte[][] strings, int count, int size)
    {
        WriteU32(c, count, (uint)strings.Length);
        WriteU32(c, size, (uint)strings.Sum(s => s.Length));
        return Errno.Success;
    }

    private Errno ClockResGet(Caller c, int id, int result)
    {
        ulong resolution = id switch
        {
            ClockId.Realtime => 100, // DateTime ticks
            ClockId.Monotonic => Math.Max(1UL, (ulong)(1_000_000_000 / Stopwatch.Frequency)),
            ClockId.ProcessCputime or ClockId.ThreadCputime => 100,
            _ => throw new WasiErrorException(Errno.Inval),
        };
        WriteU64(c, result, resolution);
        return Errno.Success;
    }

    private Errno ClockTimeGet(Caller c, int id, long precision, int result)
    {
        WriteU64(c, result, Now(id));
        return Errno.Success;
    }

    /// <summary>A clock's time in nanoseconds. The CPU-time clocks both give the process's CPU time.</summary>
    private static ulong Now(int id) => id switch
    {
        ClockId.Realtime => HostFiles.ToNanoseconds(DateTime.UtcNow),
        // The OS's monotonic clock as it is (CLOCK_MONOTONIC on Unix), not relative to a start: a start captured by a
        // static initializer ran after the first call's own reading and made that first result negative.
        ClockId.Monotonic => (ulong)((UInt128)(ulong)Stopwatch.GetTimestamp() * 1_000_000_000 / (ulong)Stopwatch.Frequency),
        ClockId.ProcessCputime or ClockId.ThreadCputime => (ulong)Environment.CpuUsage.TotalTime.Ticks * 100,
        _ => throw new WasiErrorException(Errno.Inval),
    };

    private Errno RandomGet(Caller c, int buffer, int length)
    {
        RandomNumberGenerator.Fill(Bytes(c, buffer, length));
        return Errno.Success;
    }

    // proc_exit ends the program (not the host): the exception unwinds through the wasm frames to the runner.
    private void ProcExit(int code)
    {
        Flush();
        throw new WasiExitException(code);
    }

    // Signals are not part of what a sandboxed program may do to its host.
    private Errno ProcRaise(Caller c, int signal) => Errno.NotSup;

    private Errno SchedYield(Caller c)
    {
        Thread.Yield();
        return Errno.Success;
    }
}
