using Weft.Script;

namespace Weft.Tests.Script;

/// <summary><see cref="WastRunner"/>: finding scripts, running them in parallel, surviving bad scripts.</summary>
public sealed class ScriptRunnerFacadeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("weft-wast-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static WastReport Run(IEnumerable<string> paths, WastOptions? options = null) =>
        WastRunner.Run(paths, options ?? new WastOptions(), FakeLoader.Instance, NoExecution.Instance);

    [Fact]
    public void OneBadScriptNeverStopsTheOthers()
    {
        string good1 = Write("a.wast", "ok"), crash = Write("b.wast", "throw"), parse = Write("c.wast", "parse-error"), good2 = Write("d.wast", "ok");

        var report = Run([good1, crash, parse, good2], new WastOptions { MaxDegreeOfParallelism = 3 });

        Assert.Equal([good1, crash, parse, good2], report.Scripts.Select(s => s.Path));
        Assert.Equal((1, 0, 1), (report.Scripts[0].Passed, report.Scripts[0].Failed, report.Scripts[0].Skipped));
        var unexpected = Assert.Single(report.Scripts[1].Failures);
        Assert.Equal("unexpected InvalidOperationException: boom", unexpected.Reason);
        var malformed = Assert.Single(report.Scripts[2].Failures);
        Assert.Equal(3, malformed.Line);
        Assert.StartsWith($"{parse}:3: script failed: expected a well-formed script, got malformed \"unexpected token\"", malformed.ToString());
        Assert.Equal("2 passed, 2 failed, 2 skipped", report.Summary);
    }

    [Fact]
    public void FoldersAreSearchedRecursivelyInOrdinalOrder()
    {
        Write("z.wast", "ok");
        Write("sub/b.wast", "ok");
        Write("sub/A.wast", "ok");
        Write("sub/notes.txt", "not a script");

        var scripts = WastRunner.FindScripts([_folder]);

        Assert.Equal(["sub/A.wast", "sub/b.wast", "z.wast"],
            scripts.Select(s => Path.GetRelativePath(_folder, s).Replace('\\', '/')));
    }

    [Fact]
    public void MissingPathThrowsBeforeRunningAnything() =>
        Assert.Throws<FileNotFoundException>(() => Run([Path.Combine(_folder, "nope.wast")]));

    [Fact]
    public void ManyScriptsRunInParallelAndEachIsReportedOnce()
    {
        var paths = Enumerable.Range(0, 40).Select(i => Write($"s{i:00}.wast", i % 7 == 0 ? "fail" : "ok")).ToList();
        int completed = 0;

        var report = Run([_folder], new WastOptions { MaxDegreeOfParallelism = 4, ScriptCompleted = _ => Interlocked.Increment(ref completed) });

        Assert.Equal(40, completed);
        Assert.Equal(paths, report.Scripts.Select(s => s.Path));
        Assert.Equal(6, report.Failed); // s00, s07, ..., s35
        Assert.Equal(34, report.Passed);
        Assert.All(report.Scripts.Where(s => s.Failed > 0), s => Assert.Equal(2, Assert.Single(s.Failures).Line));
    }

    [Fact]
    public void AFailingCallbackIsTheCallersErrorNotACrash()
    {
        Write("a.wast", "ok");
        var error = Assert.Throws<AggregateException>(() =>
            Run([_folder], new WastOptions { ScriptCompleted = _ => throw new InvalidOperationException("callback") }));
        Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions));
    }

    [Fact]
    public void RunFilesRunsTheScriptsOnTheGivenEngine()
    {
        string path = Write("calls.wast", """
            (module
              (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "f") (param i32) (result i32) (i32.add (call $sq (local.get 0)) (i32.const 1))))
            (assert_return (invoke "f" (i32.const 3)) (i32.const 10))
            (assert_return (invoke "f" (i32.const -4)) (i32.const 17))
            """);
        Assert.Equal("3 passed, 0 failed, 0 skipped", WastRunner.RunFiles([path]).Summary); // the module and two assertions
        Assert.Equal("3 passed, 0 failed, 0 skipped",
            WastRunner.RunFiles([path], new WastOptions { Engine = new Engine(new EngineOptions { LazyCompilation = true }) }).Summary);
        // An engine whose stores count fuel (and start with none): the same calls trap, so the engine is the one given.
        var starved = WastRunner.RunFiles([path], new WastOptions { Engine = new Engine(new EngineOptions { ConsumeFuel = true }) });
        Assert.Equal(2, starved.Failed);
    }

    [Fact]
    public void RunFileReportsAMissingParserAsAFailureNotAPass()
    {
        // Through the real loader: whatever the state of the parsers, a script is never silently passed.
        string path = Write("one.wast", "(module)\n(assert_malformed (module quote \"(func\") \"no parser says this\")\n");
        var report = WastRunner.RunFile(path);
        Assert.True(report.Failed > 0);
        Assert.Equal(0, report.Skipped);
    }

    [Fact]
    public void UnreadableScriptIsOneFailure()
    {
        string folder = Path.Combine(_folder, "dir.wast");
        Directory.CreateDirectory(folder); // a folder where a file is expected
        var report = WastRunner.Run([], new WastOptions(), FakeLoader.Instance, NoExecution.Instance);
        Assert.Empty(report.Scripts);
        var script = WastRunner.RunScript(folder, FakeLoader.Instance, NoExecution.Instance);
        Assert.StartsWith("cannot read", Assert.Single(script.Failures).Reason);
    }
}
