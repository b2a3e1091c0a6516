using System.CommandLine;

namespace Weft.Cli;

/// <summary><c>weft wat2wasm IN [-o OUT]</c>: translate a text module to the binary format.</summary>
internal static class Wat2WasmCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "The text module (.wat)." }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the binary module (default: the input with extension .wasm)." };
        var command = new Command("wat2wasm", "Parse and validate a text module and write it in the binary format.") { input, output };
        command.SetAction(parsed =>
        {
            var source = parsed.GetRequiredValue(input);
            var target = parsed.GetValue(output) ?? new FileInfo(Path.ChangeExtension(source.FullName, ".wasm"));
            byte[] bytes = File.ReadAllBytes(source.FullName);
            if (WasmModule.IsBinary(bytes))
            {
                parsed.InvocationConfiguration.Error.WriteLine($"{source.Name}: already a binary module");
                return ExitCode.Failed;
            }
            WasmModule module;
            try
            {
                module = WasmModule.FromText(bytes, source.FullName);
            }
            catch (Exception e) when (e is MalformedModuleException or InvalidModuleException)
            {
                string kind = e is MalformedModuleException ? "malformed" : "invalid";
                parsed.InvocationConfiguration.Error.WriteLine($"{source.Name}: {kind} module: {Program.OneLine(e.Message)}");
                return ExitCode.Failed;
            }
            File.WriteAllBytes(target.FullName, module.ToBinary());
            return ExitCode.Ok;
        });
        return command;
    }
}
