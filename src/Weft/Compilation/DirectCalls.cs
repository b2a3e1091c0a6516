using Weft.Binary;
using Weft.Syntax;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>
/// The direct calls (<c>call</c>, <c>return_call</c>) between a module's defined functions and which of them throw,
/// found in one pass over all code and shared by the analyses that need them (<see cref="PendingExceptions"/>,
/// <see cref="LeafFunctions"/>), so that a module's code is scanned once for both.
/// </summary>
internal sealed class DirectCalls
{
    private DirectCalls(List<int>?[] callers, bool[] throws)
    {
        Callers = callers;
        Throws = throws;
    }

    /// <summary>For each defined function, the defined functions that call it directly, once per call site; null for none.</summary>
    public List<int>?[] Callers { get; }

    /// <summary>For each defined function, whether it contains <c>throw</c>, <c>throw_ref</c> or <c>rethrow</c>.</summary>
    public bool[] Throws { get; }

    /// <summary>Reads every defined function's code once.</summary>
    public static DirectCalls Of(SyntaxModule module, int importedFunctions)
    {
        int count = module.Codes.Count;
        var callers = new List<int>?[count];
        var throws = new bool[count];
        for (int d = 0; d < count; d++)
        {
            var reader = new InstructionReader(module.Codes[d].Code.Span);
            while (!reader.AtEnd)
            {
                var ins = reader.Read();
                switch (ins.Opcode)
                {
                    case Opcode.Throw or Opcode.ThrowRef or Opcode.Rethrow:
                        throws[d] = true;
                        break;
                    case Opcode.Call or Opcode.ReturnCall when ins.Index >= importedFunctions && ins.Index - importedFunctions < (uint)count:
                        (callers[(int)ins.Index - importedFunctions] ??= []).Add(d);
                        break;
                }
            }
        }
        return new DirectCalls(callers, throws);
    }
}
