using System.CommandLine;

namespace Weft.Cli;

/// <summary>
/// <c>weft compile FILE [-o OUT.dll] [--ready-to-run]</c>: compile a module ahead of time into a .NET assembly, which
/// <c>weft run OUT.dll</c> and <see cref="WasmModule.FromPrecompiled(Engine, Type, ReadOnlySpan{byte})"/> load without
/// generating code (also under NativeAOT).
/// </summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The module: binary (.wasm) or text (.wat)." }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--output", "-o") { Description = "The assembly to write (default: FILE with the extension .dll); its file name is the assembly's name." };
        var fuel = new Option<bool>("--consume-fuel") { Description = "Compile fuel checks in (for stores that count fuel, as weft run --fuel does)." };
        var interruptible = new Option<bool>("--interruptible") { Description = "Compile interrupt checks in (for stores with deadlines, as weft run --timeout does)." };
        var readyToRun = new Option<bool>("--ready-to-run")
        {
            Description = "Also precompile the assembly to machine code for this OS and architecture with crossgen2 (ReadyToRun): faster start, " +
                "and functions too large for the JIT's optimizer are optimized.",
        };
        var crossgen2 = new Option<FileInfo>("--crossgen2")
        {
            Description = $"The crossgen2 to run for --ready-to-run (default: ${ReadyToRun.Crossgen2Variable}, else the crossgen2 package in the NuGet cache).",
        };
        var command = new Command("compile", "Compile a module ahead of time into a .NET assembly (loadable without Reflection.Emit, e.g. under NativeAOT).")
        {
            file, output, fuel, interruptible, readyToRun, crossgen2,
        };
        command.SetAction(parsed =>
        {
            var input = parsed.GetRequiredValue(file);
            string target = parsed.GetValue(output)?.FullName ?? Path.ChangeExtension(input.FullName, ".dll");
            // Checked before any work: crossgen2 would otherwise fail late, with its own stack trace, on a path that
            // cannot be written.
            string? directory = Path.GetDirectoryName(target);
            if (directory is not null && !Directory.Exists(directory))
                throw new UsageException($"the output directory {directory} does not exist");
            bool native = parsed.GetValue(readyToRun);
            if (!native && parsed.GetValue(crossgen2) is not null) throw new UsageException("--crossgen2 needs --ready-to-run");
            // Found before any work, so that a missing crossgen2 costs nothing.
            string? tool = native ? ReadyToRun.FindCrossgen2(parsed.GetValue(crossgen2)?.FullName) : null;
            var module = WasmModule.FromFile(input.FullName);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var options = new PrecompileOptions { ConsumeFuel = parsed.GetValue(fuel), Interruptible = parsed.GetValue(interruptible), ForReadyToRun = native };
            if (tool is null)
            {
                module.Precompile(target, options);
            }
            else
            {
                // crossgen2 reads the IL assembly from a file: a temporary one with the target's file name, which
                // names the assembly (Precompile(path) names it after its file).
                string work = Directory.CreateTempSubdirectory("weft-r2r-").FullName;
                try
                {
                    string il = Path.Combine(work, Path.GetFileName(target));
                    module.Precompile(il, options);
                    ReadyToRun.Compile(tool, il, target);
                }
                finally
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            parsed.InvocationConfiguration.Output.WriteLine(
                $"{target}: {new FileInfo(target).Length} bytes{(tool is null ? "" : " (ReadyToRun)")} in {stopwatch.ElapsedMilliseconds} ms");
            return ExitCode.Ok;
        });
        return command;
    }
}
