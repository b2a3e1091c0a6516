using System.Diagnostics;
using System.Text;
using Weft.Tests.Conformance;
using Weft.Wasi;
using Xunit.Abstractions;

namespace Weft.Tests.Threads;

/// <summary>
/// wasi-threads: bench/programs/src/threads_counters.wat (hand-written: this machine's Debian has no
/// wasm32-wasip1-threads sysroot) spawns 4 threads that update shared counters with atomics; its output must be
/// exactly bench/programs/expected/threads_counters.out every time.
/// </summary>
[Collection(ThreadsCollection.Name)]
public sealed class WasiThreadsTests(ITestOutputHelper output)
{
    private static readonly string s_programs = Path.Combine(SpecSuite.RepositoryRoot, "bench", "programs");

    private static string RunOnce(WasmModule module)
    {
        var stdout = new MemoryStream();
        var linker = new Linker().AddWasi(new WasiConfig { Args = ["threads_counters"], Stdout = stdout });
        using var store = new Store();
        var threads = WasiThreads.Add(linker, store, module);
        Exception? threadFailure = null;
        threads.Exited += (_, e) => threadFailure = e;
        int exit = linker.Instantiate(store, module).RunWasiCommand();
        Assert.Null(threadFailure);
        Assert.Equal(0, exit);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    [Fact]
    public void FourThreadsWithAtomicCountersPrintTheExactResultOneHundredTimesInARow()
    {
        var module = WasmModule.FromFile(Path.Combine(s_programs, "src", "threads_counters.wat"));
        string expected = File.ReadAllText(Path.Combine(s_programs, "expected", "threads_counters.out"));
        var watch = Stopwatch.StartNew();
        for (int run = 0; run < 100; run++) Assert.Equal(expected, RunOnce(module));
        output.WriteLine($"100 runs in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void ProcExitOnASpawnedThreadIsReportedWithItsCode()
    {
        var module = WasmModule.FromText("""
            (module
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (import "env" "memory" (memory 1 1 shared))
              (func (export "wasi_thread_start") (param i32 i32) (call $exit (local.get 1)))
              (func (export "_start") (drop (call $spawn (i32.const 7)))))
            """);
        var linker = new Linker().AddWasi(new WasiConfig());
        using var store = new Store();
        var threads = WasiThreads.Add(linker, store, module);
        using var exited = new ManualResetEventSlim();
        int code = -1;
        threads.Exited += (c, _) =>
        {
            code = c;
            exited.Set();
        };
        Assert.Equal(0, linker.Instantiate(store, module).RunWasiCommand());
        Assert.True(exited.Wait(TimeSpan.FromMinutes(1)));
        Assert.Equal(7, code);
        Assert.True(threads.Memory!.IsShared);
    }
}
