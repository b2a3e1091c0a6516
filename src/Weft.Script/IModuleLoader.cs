using Weft.Syntax;
using Weft.Validation;

namespace Weft.Script;

/// <summary>
/// The runner's seam to the layers upstream of it: the binary reader, the text parsers and the validator.
/// The runner sees them only through this interface so that its assertion logic can be unit-tested with a fake,
/// and so that wiring in the real pieces is a few lines in <see cref="ModuleLoader"/>.
/// </summary>
internal interface IModuleLoader
{
    /// <summary>Decodes a binary module.</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed module.</exception>
    Module Decode(byte[] bytes);

    /// <summary>Decodes a binary module by the Wasm 3.0 rules alone (limits flag bit 3, custom-page-sizes', is malformed).</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed Wasm 3.0 module.</exception>
    Module DecodeWasm30(byte[] bytes);

    /// <summary>
    /// Parses a module in the text format: a <c>(module ...)</c> form or, as the reference interpreter's
    /// <c>module quote</c> allows, a bare sequence of module fields.
    /// </summary>
    /// <param name="utf8">The text as UTF-8.</param>
    /// <param name="path">Where the text came from, for error positions.</param>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module.</exception>
    Module ParseText(byte[] utf8, string path);

    /// <summary>Validates a module and returns the validated form that instantiation consumes.</summary>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    ValidModule Validate(Module module);

    /// <summary>
    /// Checks the custom sections Weft knows (such as branch hints) against the module, which validation never does.
    /// </summary>
    /// <exception cref="MalformedModuleException">A known custom section does not follow its grammar.</exception>
    /// <exception cref="InvalidModuleException">A known custom section does not fit the module.</exception>
    void ValidateCustomSections(Module module);

    /// <summary>Parses a .wast script.</summary>
    /// <exception cref="MalformedModuleException">The script itself does not parse.</exception>
    WastScript ParseScript(byte[] source, string path);
}
