using System.CommandLine;

namespace Weft.Cli;

/// <summary><c>weft wasm2wat IN [-o OUT]</c>: print a module in the text format.</summary>
internal static class Wasm2WatCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "The module: binary (.wasm) or text (.wat)." }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the text (default: standard output)." };
        var command = new Command("wasm2wat", "Decode and validate a module and print it in the text format.") { input, output };
        command.SetAction(parsed =>
        {
            var source = parsed.GetRequiredValue(input);
            var module = ModuleFiles.Load(source, parsed);
            if (module is null) return ExitCode.Failed;
            string text = module.ToText();
            if (parsed.GetValue(output) is { } target) File.WriteAllText(target.FullName, text);
            else parsed.InvocationConfiguration.Output.Write(text.EndsWith('\n') ? text : text + "\n");
            return ExitCode.Ok;
        });
        return command;
    }
}
