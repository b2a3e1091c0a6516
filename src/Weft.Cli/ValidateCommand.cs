using System.CommandLine;

namespace Weft.Cli;

/// <summary><c>weft validate FILE</c>: decode or parse a module and validate it.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A module: binary (.wasm) or text (.wat)." }.AcceptExistingOnly();
        var command = new Command("validate", "Check that a module is well-formed and valid; prints \"valid\" or the first error.") { file };
        command.SetAction(parsed =>
        {
            string path = parsed.GetRequiredValue(file).FullName;
            string shown = parsed.GetResult(file)?.Tokens.FirstOrDefault()?.Value ?? path;
            try
            {
                _ = WasmModule.FromFile(path);
            }
            catch (MalformedModuleException e)
            {
                parsed.InvocationConfiguration.Error.WriteLine($"{shown}: malformed module: {Program.OneLine(e.Message)}");
                return ExitCode.Failed;
            }
            catch (InvalidModuleException e)
            {
                parsed.InvocationConfiguration.Error.WriteLine($"{shown}: invalid module: {Program.OneLine(e.Message)}");
                return ExitCode.Failed;
            }
            parsed.InvocationConfiguration.Output.WriteLine("valid");
            return ExitCode.Ok;
        });
        return command;
    }
}
