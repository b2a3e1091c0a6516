using Weft.Syntax;
using Weft.Validation;

namespace Weft.Script;

/// <summary>A script module that decoded (or parsed) and validated: what a script executor instantiates.</summary>
/// <param name="Syntax">The module as plain data.</param>
/// <param name="Valid">The validator's result for it.</param>
/// <param name="Line">The script line that defined it.</param>
internal sealed record LoadedModule(Module Syntax, ValidModule Valid, int Line);
