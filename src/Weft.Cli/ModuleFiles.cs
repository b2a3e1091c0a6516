using System.CommandLine;

namespace Weft.Cli;

/// <summary>Loading a module named on the command line, with malformed or invalid input reported in one line.</summary>
internal static class ModuleFiles
{
    /// <summary>The module, or null after printing why it could not be loaded.</summary>
    public static WasmModule? Load(FileInfo file, ParseResult parsed)
    {
        try
        {
            return WasmModule.FromFile(file.FullName);
        }
        catch (Exception e) when (e is MalformedModuleException or InvalidModuleException)
        {
            string kind = e is MalformedModuleException ? "malformed" : "invalid";
            parsed.InvocationConfiguration.Error.WriteLine($"{file.Name}: {kind} module: {Program.OneLine(e.Message)}");
            return null;
        }
    }
}
