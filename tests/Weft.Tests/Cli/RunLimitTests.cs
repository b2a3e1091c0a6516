namespace Weft.Tests.Cli;

/// <summary><c>weft run</c>'s store limit options (--max-memory, --max-table-elements, --max-instances, --max-gc-bytes, --max-stack), run in-process.</summary>
public sealed class RunLimitTests : IDisposable
{
    private const string Module = """
        (module
          (type $pair (struct (field i64) (field i64)))
          (memory 1)
          (table 1 funcref)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "grow_table") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
          (func (export "allocate") (param $n i32) (result i32)
            (local $i i32)
            (loop $next
              (drop (struct.new $pair (i64.const 1) (i64.const 2)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $i))
          (func $depth (export "depth") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("weft-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ModulePath()
    {
        string path = Path.Combine(_folder, "limits.wat");
        File.WriteAllText(path, Module);
        return path;
    }

    private static (int Exit, string Out, string Err) Weft(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void MaxMemoryMakesMemoryGrowFailPastIt()
    {
        string module = ModulePath();
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--invoke", "grow", "2")));
        Assert.Equal((0, "-1\n"), Pick(Weft("run", module, "--max-memory", "128K", "--invoke", "grow", "2"))); // 3 pages > 2
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--max-memory", "192K", "--invoke", "grow", "2")));
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--max-memory=196608", "--invoke", "grow", "2")));
    }

    [Fact]
    public void MaxTableElementsMakesTableGrowFailPastIt()
    {
        string module = ModulePath();
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--invoke", "grow_table", "10")));
        Assert.Equal((0, "-1\n"), Pick(Weft("run", module, "--max-table-elements", "10", "--invoke", "grow_table", "10")));
        Assert.Equal((0, "1\n"), Pick(Weft("run", module, "--max-table-elements", "11", "--invoke", "grow_table", "10")));
    }

    [Fact]
    public void MaxInstancesZeroRefusesTheModule()
    {
        var (exit, _, error) = Weft("run", ModulePath(), "--max-instances", "0", "--invoke", "grow", "0");
        Assert.Equal(1, exit);
        Assert.StartsWith("weft: ", error);
        Assert.Equal((0, "1\n"), Pick(Weft("run", ModulePath(), "--max-instances", "1", "--invoke", "grow", "0")));
    }

    [Fact]
    public void MaxGcBytesTrapsAStructNewLoopPastIt()
    {
        string module = ModulePath();
        // A struct of two i64 counts 40 bytes: 1M is 26214 of them.
        Assert.Equal((0, "100000\n"), Pick(Weft("run", module, "--invoke", "allocate", "100000")));
        Assert.Equal((0, "26214\n"), Pick(Weft("run", module, "--max-gc-bytes", "1M", "--invoke", "allocate", "26214")));
        var (exit, _, error) = Weft("run", module, "--max-gc-bytes", "1M", "--invoke", "allocate", "100000");
        Assert.Equal(1, exit);
        Assert.Equal("weft: error: wasm trap: GC allocation limit exceeded", error.Split('\n')[0]);
    }

    [Fact]
    public void MaxStackBoundsRecursion()
    {
        string module = ModulePath();
        Assert.Equal((0, "5000\n"), Pick(Weft("run", module, "--invoke", "depth", "5000")));
        var (exit, _, error) = Weft("run", module, "--max-stack", "64K", "--invoke", "depth", "5000");
        Assert.Equal(1, exit);
        Assert.Equal("weft: error: wasm trap: call stack exhausted", error.Split('\n')[0]);
        // A larger stack than the default lets deeper recursion through (the thread's own stack grows to fit).
        Assert.Equal((0, "200000\n"), Pick(Weft("run", module, "--max-stack", "512M", "--invoke", "depth", "200000")));
    }

    [Fact]
    public void TimeoutEndsAnInfiniteAtomicWait()
    {
        string path = Path.Combine(_folder, "wait.wat");
        File.WriteAllText(path, """
            (module (memory 1 1 shared)
              (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
            """);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, _, error) = Weft("run", path, "--timeout", "200ms", "--invoke", "wait");
        Assert.Equal(1, exit);
        Assert.Equal("weft: error: wasm trap: interrupted", error.Split('\n')[0]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed.TotalSeconds} s");
    }

    [Theory]
    [InlineData("--max-memory", "lots")]
    [InlineData("--max-memory", "12X")]
    [InlineData("--max-memory", "-1")]
    [InlineData("--max-memory", "")]
    [InlineData("--max-gc-bytes", "1.5G")]
    [InlineData("--max-stack", "99999999999999999999")]
    [InlineData("--max-stack", "16777216T")]
    [InlineData("--max-table-elements", "10K")]
    [InlineData("--max-instances", "x")]
    public void ABadSizeIsAUsageError(string option, string value)
    {
        var (exit, _, error) = Weft("run", ModulePath(), option, value, "--invoke", "grow", "0");
        Assert.Equal(2, exit);
        Assert.Contains(option, error);
    }

    [Theory]
    [InlineData("4096", 4096UL)]
    [InlineData("64K", 64UL << 10)]
    [InlineData("64m", 64UL << 20)]
    [InlineData("1G", 1UL << 30)]
    [InlineData("2GiB", 2UL << 30)]
    [InlineData("3MB", 3UL << 20)]
    [InlineData("4096B", 4096UL)]
    public void SizesTakeBinarySuffixes(string text, ulong bytes) =>
        Assert.Equal(bytes, global::Weft.Cli.RunCommand.ParseSize(text, "--max-memory"));

    private static (int, string) Pick((int Exit, string Out, string Err) r) => (r.Exit, r.Out.Replace("\r\n", "\n"));
}
