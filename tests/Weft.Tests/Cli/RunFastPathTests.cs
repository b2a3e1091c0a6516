using Weft.Cli;

namespace Weft.Tests.Cli;

/// <summary>
/// <c>weft run FILE [ARGS...]</c> without options skips System.CommandLine (RunCommand.TryRunWithoutOptions, a
/// start-up fast path): every command line must give the same exit code, output and messages both ways.
/// </summary>
public sealed class RunFastPathTests : IDisposable
{
    private const string Hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (local $argc i32) (local $i i32) (local $p i32) (local $end i32)
            ;; print argv[1..] each followed by a newline: argv pointers at 1000, strings at 2000
            (drop (call $args_sizes (i32.const 200) (i32.const 204)))
            (drop (call $args_get (i32.const 1000) (i32.const 2000)))
            (local.set $argc (i32.load (i32.const 200)))
            (local.set $i (i32.const 1))
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $argc)))
              (local.set $p (i32.load (i32.add (i32.const 1000) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $end (local.get $p))
              (block $z (loop $scan
                (br_if $z (i32.eqz (i32.load8_u (local.get $end))))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $scan)))
              (i32.store8 (local.get $end) (i32.const 10))
              (i32.store (i32.const 0) (local.get $p))
              (i32.store (i32.const 4) (i32.add (i32.sub (local.get $end) (local.get $p)) (i32.const 1)))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (call $exit (local.get $argc))))
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("weft-fast-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Out, string Err) Run(bool fastPath, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = global::Weft.Cli.Program.Run(args, output, error, fastPath);
        return (exit, output.ToString(), error.ToString());
    }

    // Both paths, the same result; returns it for the test's own assertions.
    private static (int Exit, string Out, string Err) Both(params string[] args)
    {
        var fast = Run(fastPath: true, args);
        var parser = Run(fastPath: false, args);
        Assert.Equal(parser, fast);
        return fast;
    }

    private static bool TakesFastPath(params string[] args)
    {
        // Only asks: a command line the fast path refuses returns false before running anything.
        using var output = new StringWriter();
        using var error = new StringWriter();
        return RunCommand.TryRunWithoutOptions(args, output, error, out _);
    }

    [Fact]
    public void ProgramArgumentsArriveTheSameWay()
    {
        string hello = Write("hello.wat", Hello);
        Assert.Equal((1, "", ""), Both("run", hello));
        Assert.Equal((4, "a\n-b\n--c\n", ""), Both("run", hello, "a", "-b", "--c"));
        Assert.Equal((3, "--invoke\nx\n", ""), Both("run", hello, "--", "--invoke", "x"));
        Assert.Equal((2, "--cache\n", ""), Both("run", hello, "--cache"));
        Assert.Equal((1, "", ""), Both("run", hello, "--"));
        Assert.Equal((3, "\n--\n", ""), Both("run", hello, "", "--", "--"));
        Assert.True(TakesFastPath("run", hello, "a", "-b", "--", "--fuel"));
    }

    [Fact]
    public void TheWasmBinaryAndAModuleWithoutStartRunTheSameWay()
    {
        string binary = Path.Combine(_folder, "empty.wasm");
        File.WriteAllBytes(binary, WasmModule.FromText("""(module (memory (export "memory") 1) (func (export "_start")))""").ToBinary());
        Assert.Equal((0, "", ""), Both("run", binary, "x"));
        string library = Write("lib.wat", """(module (global $g (mut i32) (i32.const 0)) (func (export "_initialize") (global.set $g (i32.const 1))))""");
        Assert.Equal((0, "", ""), Both("run", library));
    }

    [Fact]
    public void FailuresGiveTheSameMessagesAndCodes()
    {
        string trap = Write("trap.wat", """(module (func (export "_start") unreachable))""");
        var trapped = Both("run", trap);
        Assert.Equal(ExitCode.Failed, trapped.Exit);
        Assert.StartsWith("weft: error: wasm trap: unreachable", trapped.Err);
        Assert.Contains("wasm backtrace:", trapped.Err);

        string malformed = Write("bad.wasm", "\0asm\u0002\0\0\0");
        var bad = Both("run", malformed);
        Assert.Equal(ExitCode.Failed, bad.Exit);
        Assert.StartsWith("weft: error: ", bad.Err);

        string missingImport = Write("imp.wat", """(module (import "wasi_snapshot_preview1" "no_such_function" (func)) (func (export "_start")))""");
        var unknown = Both("run", missingImport);
        Assert.Equal(ExitCode.Failed, unknown.Exit);
        Assert.Contains("unknown import", unknown.Err);

        string wrongType = Write("type.wat", """(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i64))) (func (export "_start")))""");
        Assert.Contains("incompatible import type", Both("run", wrongType).Err);

        string exitCode = Write("exit.wat", """(module (import "wasi_snapshot_preview1" "proc_exit" (func $e (param i32))) (func (export "_start") (call $e (i32.const 7))))""");
        Assert.Equal((7, "", ""), Both("run", exitCode));
    }

    [Fact]
    public void CommandLinesTheFastPathRefusesGoToTheParser()
    {
        string hello = Write("hello.wat", Hello);
        string missing = Path.Combine(_folder, "missing.wasm");
        // The parser's own messages: a file that does not exist, a directory, no file at all, an option first.
        var notFound = Both("run", missing);
        Assert.Equal(ExitCode.Usage, notFound.Exit);
        Assert.Contains("missing.wasm", notFound.Err);
        var directory = Both("run", _folder);
        Assert.Equal(ExitCode.Failed, directory.Exit);
        Assert.StartsWith("weft: error: ", directory.Err);
        Assert.Equal(ExitCode.Usage, Both("run").Exit);
        Assert.Equal(ExitCode.Usage, Both("run", "--fuel", "x", hello).Exit);
        Assert.Equal((2, "a\n", ""), Both("run", "--fuel", "1000000", hello, "a"));
        Assert.Equal((2, "a\n", ""), Both("run", hello, "--max-stack", "8M", "a"));
        Assert.Equal((2, "a\n", ""), Both("run", hello, "--inline-small-functions", "a"));
        Assert.Equal(0, Both("run", hello, "--help").Exit);
        Assert.False(TakesFastPath("run", missing));
        Assert.False(TakesFastPath("run", _folder));
        Assert.False(TakesFastPath("run"));
        Assert.False(TakesFastPath("run", "--fuel", "1", hello));
        Assert.False(TakesFastPath("run", hello, "--fuel", "1"));
        Assert.False(TakesFastPath("run", hello, "--dir=."));
        Assert.False(TakesFastPath("run", hello, "-h"));
        Assert.False(TakesFastPath("run", hello, "--inline-small-functions"));
        Assert.False(TakesFastPath("run", "--cache", hello));
        Assert.False(TakesFastPath("run", hello, "@args.rsp"));
        Assert.False(TakesFastPath("run", "@" + hello));
        Assert.False(TakesFastPath("validate", hello));
        Assert.False(TakesFastPath("--version"));
    }
}
