using System.CommandLine;

namespace Weft.Cli;

/// <summary>
/// <c>weft compile FILE [-o OUT.dll]</c>: compile a module ahead of time into a .NET assembly, which
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
        var command = new Command("compile", "Compile a module ahead of time into a .NET assembly (loadable without Reflection.Emit, e.g. under NativeAOT).")
        {
            file, output, fuel, interruptible,
        };
        command.SetAction(parsed =>
        {
            var input = parsed.GetRequiredValue(file);
            string target = parsed.GetValue(output)?.FullName ?? Path.ChangeExtension(input.FullName, ".dll");
            var module = WasmModule.FromFile(input.FullName);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            module.Precompile(target, new PrecompileOptions { ConsumeFuel = parsed.GetValue(fuel), Interruptible = parsed.GetValue(interruptible) });
            parsed.InvocationConfiguration.Output.WriteLine($"{target}: {new FileInfo(target).Length} bytes in {stopwatch.ElapsedMilliseconds} ms");
            return ExitCode.Ok;
        });
        return command;
    }
}
