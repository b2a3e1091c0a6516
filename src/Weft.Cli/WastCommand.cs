using System.CommandLine;
using System.Text.RegularExpressions;
using Weft.Script;

namespace Weft.Cli;

/// <summary><c>weft wast PATH...</c>: run .wast spec scripts, in parallel.</summary>
internal static partial class WastCommand
{
    public static Command Create()
    {
        var paths = new Argument<FileSystemInfo[]>("path")
        {
            Description = ".wast scripts, or folders searched recursively for them.",
            Arity = ArgumentArity.OneOrMore,
        }.AcceptExistingOnly();
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "How many scripts run at once.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        jobs.Validators.Add(result =>
        {
            // A token that is no number at all is already an error of its own; only judge numbers here.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, out int n) && n < 1) result.AddError("--jobs must be at least 1.");
        });
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print each script's counts and why commands were skipped." };
        var lazy = new Option<bool>("--lazy") { Description = "Compile each function on its first call (EngineOptions.LazyCompilation) instead of every function up front." };
        var inline = new Option<bool>("--inline-small-functions") { Description = "Inline small wasm functions into their callers (EngineOptions.InlineSmallFunctions); inlined functions are missing from backtraces." };
        var command = new Command("wast", "Run WebAssembly spec test scripts; prints each failure and ends with 'N passed, N failed, N skipped'.")
        {
            paths, jobs, verbose, lazy, inline,
        };
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var report = WastRunner.RunFiles(
                parsed.GetRequiredValue(paths).Select(p => p.ToString()),
                new WastOptions
                {
                    MaxDegreeOfParallelism = parsed.GetValue(jobs),
                    Engine = parsed.GetValue(lazy) || parsed.GetValue(inline)
                        ? new Engine(new EngineOptions { LazyCompilation = parsed.GetValue(lazy), InlineSmallFunctions = parsed.GetValue(inline) })
                        : null,
                });

            foreach (var script in report.Scripts)
            {
                foreach (var failure in script.Failures) output.WriteLine(failure);
                if (parsed.GetValue(verbose)) output.WriteLine($"{script.Path}: {script.Summary} ({script.Elapsed.TotalMilliseconds:0} ms)");
            }
            if (parsed.GetValue(verbose)) PrintSkipReasons(output, report);
            output.WriteLine(report.Summary);
            return report.Failed > 0 ? ExitCode.Failed : ExitCode.Ok;
        });
        return command;
    }

    private static void PrintSkipReasons(TextWriter output, WastReport report)
    {
        var reasons = report.Scripts.SelectMany(s => s.Results)
            .Where(r => r.Status == WastCommandStatus.Skipped)
            .GroupBy(r => $"{r.Command}: {Digits().Replace(r.Reason ?? "", "N")}") // "module at line 12 failed" and the like, as one
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var reason in reasons) output.WriteLine($"skipped {reason.Count()} x {reason.Key}");
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
