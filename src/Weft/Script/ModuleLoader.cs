using Weft.Syntax;

namespace Weft.Script;

/// <summary>
/// The real <see cref="IModuleLoader"/>: Weft's binary reader, text parsers and validator.
/// </summary>
/// <remarks>
/// Integration point: each method names the upstream entry point it stands for. Until that piece is merged
/// the method throws <see cref="NotImplementedException"/>, which the runner reports as a failure (never a pass).
/// </remarks>
internal sealed class ModuleLoader : IModuleLoader
{
    /// <summary>The shared instance (the loader is stateless).</summary>
    public static ModuleLoader Instance { get; } = new();

    private ModuleLoader()
    {
    }

    /// <inheritdoc/>
    public Module Decode(byte[] bytes) =>
        throw Missing("the binary reader (Weft.Binary.ModuleReader.Read)"); // ModuleReader.Read(bytes)

    /// <inheritdoc/>
    public Module ParseText(byte[] utf8, string path) =>
        throw Missing("the text parser (Weft.Text.WatParser)"); // WatParser.Parse(utf8, path)

    /// <inheritdoc/>
    public object Validate(Module module) =>
        throw Missing("the validator (Weft.Validation.Validator.Validate)"); // Validator.Validate(module)

    /// <inheritdoc/>
    public WastScript ParseScript(byte[] source, string path) =>
        throw Missing("the script parser (Weft.Script.WastParser.Parse)"); // WastParser.Parse(source, path)

    /// <summary>Encodes a module in the binary format (not part of <see cref="IModuleLoader"/>: the runner never encodes).</summary>
    public byte[] Encode(Module module) =>
        throw Missing("the binary writer (Weft.Binary.ModuleWriter.Write)"); // ModuleWriter.Write(module)

    private static NotImplementedException Missing(string what) => new($"{what} is not merged yet");
}
