using Weft.Syntax;

namespace Weft.Compilation;

internal sealed partial class FunctionCompiler
{
    private bool TryEmitAtomic(in Instruction ins) => false;
}
