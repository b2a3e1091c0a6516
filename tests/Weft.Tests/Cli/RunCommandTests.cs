using Weft.Cli;

namespace Weft.Tests.Cli;

/// <summary><c>weft run</c>, <c>weft inspect</c> and <c>weft wasm2wat</c>, run in-process.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Program_ = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 8) "hello\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 8))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100)))
            (drop (call $args_sizes (i32.const 200) (i32.const 204)))
            ;; the exit code is argc, so the tests can see the arguments arrive
            (call $exit (i32.load (i32.const 200)))))
        """;

    private const string Functions = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "pair") (param i64 f64) (result i64 f64) (local.get 0) (local.get 1))
          (func (export "spin") (loop $l (br $l)))
          (func (export "trap") unreachable))
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("weft-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Out, string Err) Weft(params string[] args) => InProcessCli.Run(args);

    private static void AssertOneErrorLine(string error)
    {
        // One error line; a trap's wasm backtrace may follow it (see TrapsPrintTheirWasmBacktrace).
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("weft: ", lines[0]);
        Assert.Single(lines.TakeWhile(l => l != "wasm backtrace:"));
        Assert.All(lines.SkipWhile(l => l != "wasm backtrace:").Skip(1), l => Assert.Matches(@"^ +\d+: ", l));
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void RunsAWasiCommandAndExitsWithItsCode()
    {
        string program = Write("hello.wat", Program_);
        var (exit, output, error) = Weft("run", program, "a", "-b", "--c");
        Assert.Equal("hello\n", output);
        Assert.Equal("", error);
        Assert.Equal(4, exit); // argc: the program name and three arguments
        Assert.Equal(2, Weft("run", program, "--", "--invoke").Exit);
    }

    [Fact]
    public void InvokePrintsTheResults()
    {
        string module = Write("f.wat", Functions);
        Assert.Equal((0, "5\n"), Pick(Weft("run", module, "--invoke", "add", "2", "3")));
        Assert.Equal((0, "-3\n"), Pick(Weft("run", "--invoke", "add", module, "-1", "-2")));
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--invoke", "add", "4294967295", "2")));
        Assert.Equal((0, "-7\n2.5\n"), Pick(Weft("run", module, "--invoke", "pair", "-7", "2.5")));
    }

    private static (int, string) Pick((int Exit, string Out, string Err) r) => (r.Exit, r.Out);

    [Fact]
    public void FuelAndTimeoutStopRunawayCodeWithOneLine()
    {
        string module = Write("f.wat", Functions);
        var (exit, _, error) = Weft("run", module, "--invoke", "spin", "--fuel", "10000");
        Assert.Equal(1, exit);
        AssertOneErrorLine(error);
        Assert.Contains("out of fuel", error);

        (exit, _, error) = Weft("run", module, "--invoke", "spin", "--timeout", "100ms");
        Assert.Equal(1, exit);
        AssertOneErrorLine(error);
        Assert.Contains("interrupted", error);

        (exit, _, error) = Weft("run", module, "--invoke", "trap");
        Assert.Equal(1, exit);
        Assert.Equal("weft: error: wasm trap: unreachable", error.Split('\n')[0]);
    }

    [Fact]
    public void TrapsPrintTheirWasmBacktrace()
    {
        // A binary with names, so the frames have code offsets and names: wasmtime's "N: 0x.. - module!function".
        byte[] binary = WasmModule.FromText("""
            (module (@name "prog")
              (func $main (@name "main") (export "main") (param i32) (result i32)
                (i32.add (call $step (i32.add (local.get 0) (i32.const 1))) (i32.const 2)))
              (func $step (@name "step") (param i32) (result i32)
                (i32.mul (call $leaf (local.get 0)) (local.get 0)))
              (func $leaf (param i32) (result i32)
                (if (i32.gt_s (local.get 0) (i32.const 0)) (then unreachable))
                (local.get 0)))
            """).ToBinary();
        string path = Path.Combine(_folder, "prog.wasm");
        File.WriteAllBytes(path, binary);
        var (exit, _, error) = Weft("run", path, "--invoke", "main", "5");
        Assert.Equal(1, exit);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Equal("weft: error: wasm trap: unreachable", lines[0]);
        Assert.Equal("wasm backtrace:", lines[1]);
        Assert.Matches(@"^    0: 0x[0-9a-f]+ - prog!<wasm function 2>$", lines[2]);
        Assert.Matches(@"^    1: 0x[0-9a-f]+ - prog!step$", lines[3]);
        Assert.Matches(@"^    2: 0x[0-9a-f]+ - prog!main$", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void InlineSmallFunctionsKeepsResultsAndTrapMessages()
    {
        // The same tiny callee chain as TrapsPrintTheirWasmBacktrace, compiled with inlining: the frames of inlined
        // functions may be missing, the results and the trap message are not.
        string path = Write("inline.wat", """
            (module
              (func $leaf (param i32) (result i32) (if (i32.gt_s (local.get 0) (i32.const 9)) (then unreachable)) (local.get 0))
              (func $step (param i32) (result i32) (i32.mul (call $leaf (local.get 0)) (local.get 0)))
              (func (export "main") (param i32) (result i32) (i32.add (call $step (i32.add (local.get 0) (i32.const 1))) (i32.const 2))))
            """);
        Assert.Equal((0, "38\n"), Pick(Weft("run", "--inline-small-functions", path, "--invoke", "main", "5")));
        var (exit, _, error) = Weft("run", path, "--inline-small-functions", "--invoke", "main", "9");
        Assert.Equal(1, exit);
        Assert.Equal("weft: error: wasm trap: unreachable", error.Split('\n')[0]);
    }

    [Theory]
    [InlineData("--invoke", "nope")]
    [InlineData("--invoke", "add", "1")]
    [InlineData("--invoke", "add", "1", "x")]
    [InlineData("--timeout", "soon", "--invoke", "add", "1", "2")]
    [InlineData("--dir", "/no/such/dir")]
    [InlineData("--fuel", "-5")]
    public void BadRequestsAreOneLineAndExitCode2(params string[] options)
    {
        string module = Write("f.wat", Functions);
        var (exit, _, error) = Weft(["run", module, .. options]);
        Assert.Equal(2, exit);
        AssertOneErrorLine(error);
    }

    [Fact]
    public void ModulesThatCannotRunAreOneLineErrors()
    {
        var (exit, _, error) = Weft("run", Write("bad.wat", "(module (func (result i32)))"));
        Assert.Equal(1, exit);
        AssertOneErrorLine(error);
        (exit, _, error) = Weft("run", Write("imports.wat", """(module (import "env" "f" (func)))"""));
        Assert.Equal(1, exit);
        AssertOneErrorLine(error);
        Assert.Contains("unknown import", error);
    }

    [Fact]
    public void DirAndEnvReachTheProgram()
    {
        string data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "in.txt"), "file contents");
        // Opens "in.txt" in the first preopen (fd 3), reads it and writes it to stdout, then prints $GREETING.
        string program = Write("cat.wat", """
            (module
              (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "environ_get" (func $environ (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "in.txt")
              (func (export "_start")
                (drop (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 6) (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 16)))
                (i32.store (i32.const 32) (i32.const 1024))
                (i32.store (i32.const 36) (i32.const 1000))
                (drop (call $read (i32.load (i32.const 16)) (i32.const 32) (i32.const 1) (i32.const 40)))
                (i32.store (i32.const 36) (i32.load (i32.const 40)))
                (drop (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 44)))
                (drop (call $environ (i32.const 48) (i32.const 3000)))
                (i32.store (i32.const 32) (i32.const 3000))
                (i32.store (i32.const 36) (i32.const 14))
                (drop (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 44)))))
            """);
        var (exit, output, error) = Weft("run", "--dir", data + "::/data", program, "--env", "GREETING=hi there");
        Assert.True(exit == 0, error);
        Assert.Equal("file contentsGREETING=hi th", output);
    }

    [Fact]
    public void InspectListsSectionsTypesImportsAndExports()
    {
        string wat = Write("hello.wat", Program_);
        string wasm = Path.Combine(_folder, "hello.wasm");
        Assert.Equal(0, Weft("wat2wasm", wat, "-o", wasm).Exit);
        var (exit, output, _) = Weft("inspect", wasm);
        Assert.Equal(0, exit);
        Assert.Contains("sections:", output);
        Assert.Contains("code", output);
        Assert.Contains("func   \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i32) (result i32))", output);
        Assert.Contains("memory \"memory\" (memory 1)", output);
        Assert.Contains("func   \"_start\" (func)", output);
    }

    [Fact]
    public void InspectListsEveryTypeAndImportOfALargeModuleWithTheirUtf8Names()
    {
        // Types and imports are described once each: listing them used to describe all of them per line printed.
        var text = new System.Text.StringBuilder("(module (rec");
        for (int i = 0; i < 800; i++) text.Append($" (type (sub (struct (field i32) (field (mut (ref null {Math.Max(i - 1, 0)}))))))");
        text.Append(')');
        for (int i = 0; i < 2000; i++) text.Append($" (import \"env\" \"f{i}_\u00e9\" (func (param (ref null {i % 800}))))");
        text.Append(')');
        var (exit, output, _) = Weft("inspect", Write("large.wat", text.ToString()));
        Assert.Equal(0, exit);
        Assert.Contains("types (1600):", output); // 800 structs, then the 800 function types the imports name inline
        Assert.Contains("  799: (sub (struct (field i32) (field (mut (ref null 798)))))", output);
        Assert.Contains("  1599: (func (param (ref null 799)))", output);
        Assert.Contains("imports (2000):", output);
        Assert.Contains("func   \"env\" \"f1999_\u00e9\" (func (param (ref null 399)))", output);
    }

    [Fact]
    public void Wasm2WatPrintsTextThatParsesBack()
    {
        string wat = Write("f.wat", Functions);
        string wasm = Path.Combine(_folder, "f.wasm");
        Assert.Equal(0, Weft("wat2wasm", wat, "-o", wasm).Exit);
        var (exit, output, _) = Weft("wasm2wat", wasm);
        Assert.Equal(0, exit);
        Assert.StartsWith("(module", output);
        Assert.Equal("5\n", Weft("run", Write("again.wat", output), "--invoke", "add", "2", "3").Out);
        string target = Path.Combine(_folder, "out.wat");
        Assert.Equal(0, Weft("wasm2wat", wasm, "-o", target).Exit);
        Assert.Equal(output.TrimEnd(), File.ReadAllText(target).TrimEnd());
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("inspect", "-h")]
    [InlineData("wasm2wat", "--help")]
    public void HelpWorksForTheNewCommands(params string[] args)
    {
        var (exit, output, error) = Weft(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        Assert.Empty(error);
    }

    [Fact]
    public void ProgramArgumentsAreSeparatedFromWeftOptions()
    {
        Assert.Equal(["run", "m.wasm", "--invoke", "f", "--", "1", "-x"], RunCommand.SeparateProgramArguments(["run", "m.wasm", "--invoke", "f", "1", "-x"]));
        Assert.Equal(["run", "--dir", "d", "m.wasm", "--", "--dir"], RunCommand.SeparateProgramArguments(["run", "--dir", "d", "m.wasm", "--", "--dir"]));
        Assert.Equal(["validate", "x"], RunCommand.SeparateProgramArguments(["validate", "x"]));
    }
}
