using System.Diagnostics;

namespace Weft.Script;

/// <summary>
/// Runs WebAssembly spec test scripts (<c>.wast</c> files): every module is decoded or parsed and validated, and every
/// assertion is checked with the reference interpreter's rules. Commands that need execution are reported as skipped
/// until Weft executes wasm.
/// </summary>
/// <example>
/// <code>
/// var report = WastRunner.RunFiles(["testsuite/core"], new WastOptions());
/// foreach (var failure in report.Scripts.SelectMany(s => s.Failures)) Console.WriteLine(failure);
/// Console.WriteLine(report.Summary); // "N passed, N failed, N skipped"
/// </code>
/// </example>
public static class WastRunner
{
    // Scripts run on threads of their own with a generous stack: parsing and (later) executing deeply nested code is
    // recursive, and a stack overflow would end the process instead of failing one script.
    private const int StackSize = 256 * 1024 * 1024;

    /// <summary>
    /// Runs scripts in parallel (<see cref="WastOptions.MaxDegreeOfParallelism"/> at a time). A failure in one script,
    /// even an unexpected exception, never stops the others: it is reported as a failed command of that script.
    /// </summary>
    /// <param name="paths">.wast files, or folders searched recursively for .wast files.</param>
    /// <param name="options">Settings, or null for the defaults.</param>
    /// <returns>One report per script, in the order given (each folder's scripts in ordinal path order).</returns>
    /// <exception cref="FileNotFoundException">A path names neither a file nor a folder.</exception>
    /// <exception cref="AggregateException">A <see cref="WastOptions.ScriptCompleted"/> callback threw.</exception>
    public static WastReport RunFiles(IEnumerable<string> paths, WastOptions? options = null)
    {
        options ??= new WastOptions();
        return options.Engine is { } engine
            ? Run(paths, options, ModuleLoader.For(engine), new EngineExecutor(engine))
            : Run(paths, options, ModuleLoader.Instance, EngineExecutor.Instance);
    }

    /// <summary>Runs one script (on a thread with a large stack) and returns its report; never throws for a bad script.</summary>
    /// <param name="path">The .wast file.</param>
    public static WastScriptReport RunFile(string path)
    {
        WastScriptReport? report = null;
        var thread = new Thread(() => report = RunScript(path, ModuleLoader.Instance, EngineExecutor.Instance), StackSize);
        thread.Start();
        thread.Join();
        return report!;
    }

    /// <summary>The .wast files that <paramref name="paths"/> name: files as given, folders expanded recursively.</summary>
    /// <exception cref="FileNotFoundException">A path names neither a file nor a folder.</exception>
    public static IReadOnlyList<string> FindScripts(IEnumerable<string> paths)
    {
        var scripts = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                scripts.Add(path);
            }
            else if (Directory.Exists(path))
            {
                scripts.AddRange(Directory.EnumerateFiles(path, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else
            {
                throw new FileNotFoundException($"no such file or folder: {path}", path);
            }
        }
        return scripts;
    }

    internal static WastReport Run(IEnumerable<string> paths, WastOptions options, IModuleLoader loader, IScriptExecutor executor)
    {
        var clock = Stopwatch.StartNew();
        var scripts = FindScripts(paths);
        var reports = new WastScriptReport[scripts.Count];
        var callbackErrors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        int next = -1;

        // A fixed set of big-stack workers pulling the next script: the effect of Parallel.ForEach with
        // MaxDegreeOfParallelism, on threads whose stack size we choose.
        void Work()
        {
            for (int i = Interlocked.Increment(ref next); i < scripts.Count; i = Interlocked.Increment(ref next))
            {
                reports[i] = RunScript(scripts[i], loader, executor);
                try
                {
                    options.ScriptCompleted?.Invoke(reports[i]);
                }
                catch (Exception e)
                {
                    callbackErrors.Enqueue(e); // the caller's bug: rethrown on the caller's thread, not a crash here
                }
            }
        }

        int degree = Math.Clamp(options.MaxDegreeOfParallelism, 1, Math.Max(1, scripts.Count));
        var workers = Enumerable.Range(0, degree).Select(_ => new Thread(Work, StackSize) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        if (!callbackErrors.IsEmpty) throw new AggregateException("a ScriptCompleted callback failed", callbackErrors);
        return new WastReport(reports, clock.Elapsed);
    }

    internal static WastScriptReport RunScript(string path, IModuleLoader loader, IScriptExecutor executor)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<WastCommandResult> results;
        try
        {
            byte[] source = File.ReadAllBytes(path);
            var script = loader.ParseScript(source, path);
            results = ScriptRunner.Run(script, loader, executor);
        }
        catch (MalformedModuleException e)
        {
            results = [new WastCommandResult(path, e.Line, "script", WastCommandStatus.Failed,
                "a well-formed script", $"malformed \"{e.Reason}\" ({e.Message.ReplaceLineEndings(" ")})")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            results = [new WastCommandResult(path, 0, "script", WastCommandStatus.Failed, reason: $"cannot read: {e.Message}")];
        }
        catch (Exception e)
        {
            // A bug in Weft: one failure for this script; the other scripts go on.
            results = [new WastCommandResult(path, 0, "script", WastCommandStatus.Failed,
                reason: $"unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}")];
        }
        return new WastScriptReport(path, results, clock.Elapsed);
    }
}
