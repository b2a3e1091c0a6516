using Weft.Binary;
using Weft.Syntax;
using Weft.Text;
using Weft.Validation;

namespace Weft.Script;

/// <summary>The real <see cref="IModuleLoader"/>: Weft's binary reader and writer, text parsers and validator.</summary>
internal sealed class ModuleLoader : IModuleLoader
{
    /// <summary>The shared instance (the loader is stateless).</summary>
    public static ModuleLoader Instance { get; } = new(null);

    private readonly Engine? _engine;

    private ModuleLoader(Engine? engine)
    {
        _engine = engine;
    }

    /// <summary>A loader validating into <paramref name="engine"/>'s types (tests run scripts on engines of their own).</summary>
    public static ModuleLoader For(Engine engine) => new(engine);

    /// <inheritdoc/>
    public Module Decode(byte[] bytes) => ModuleReader.Read(bytes);

    /// <inheritdoc/>
    public Module DecodeWasm30(byte[] bytes) => ModuleReader.ReadWithoutCustomPageSizes(bytes);

    /// <inheritdoc/>
    public Module ParseText(byte[] utf8, string path) => WatParser.ParseModule(utf8);

    /// <inheritdoc/>
    public ValidModule Validate(Module module) => _engine is null ? Validator.Validate(module) : Validator.Validate(module, _engine.Types);

    /// <inheritdoc/>
    public void ValidateCustomSections(Module module) => CustomSectionValidator.Validate(module);

    /// <inheritdoc/>
    public WastScript ParseScript(byte[] source, string path) => WastParser.Parse(source, path);

    /// <summary>Encodes a module in the binary format (not part of <see cref="IModuleLoader"/>: the runner never encodes).</summary>
    public byte[] Encode(Module module) => ModuleWriter.Write(module);

}
