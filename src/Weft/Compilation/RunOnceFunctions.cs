using Weft.Binary;
using Weft.Syntax;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>
/// The functions that can only run while the start function runs, a bounded number of times per instantiation: the
/// start function and, transitively, the functions whose every direct call site is in such a function, when none of
/// them has a loop or can be referenced (exported, in a table or element segment, in a global's initializer: the
/// module's declared references, spec C.refs). Such code is module initialization (dart2wasm and wasm_of_ocaml
/// initializers, constructors called once): compiling it with RyuJIT's optimizations costs more than it can win, and
/// since it can never run again after the start function returns, it needs no second tier. Eager code compiles these
/// methods with <c>NoOptimization</c> (MinOpts); lazy code compiles them in the first tier and never tiers them up
/// (docs/RATIONALE.md, "Run-once start code compiled without optimization"). <c>WEFT_RUN_ONCE_MINOPTS=0</c> turns it off.
/// </summary>
/// <remarks>
/// The set is the least one closed under the rule, grown from the start function, so a function in a call cycle
/// (recursion, which could repeat without bound) never joins: some caller of it would have to join first. Each member is
/// loop-free and called only from members, so the calls form a finite DAG and each member runs a bounded number of
/// times per run of the start function.
/// </remarks>
internal static class RunOnceFunctions
{
    /// <summary>Whether start-only code is found and compiled unoptimized. Settable for tests; read when a module is compiled.</summary>
    internal static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("WEFT_RUN_ONCE_MINOPTS") != "0";

    /// <summary>
    /// Which defined functions run only during the start function (see the class), or null when there are none (no
    /// start function, or it does not qualify). <paramref name="directCalls"/> is computed only when there is a start function.
    /// </summary>
    public static bool[]? Find(SyntaxModule module, ValidModule valid, int importedFunctions, Func<DirectCalls> directCalls)
    {
        if (!Enabled || module.Start is not { } start || start < (uint)importedFunctions) return null;
        int count = module.Codes.Count;
        int root = (int)start - importedFunctions;
        if (root >= count || valid.IsDeclared(start)) return null;
        var callees = new List<int>();
        if (!Scan(module, root, importedFunctions, callees)) return null;
        var callers = directCalls().Callers;
        // A start function that some function calls can run again after instantiation.
        if (callers[root] is { Count: > 0 }) return null;
        // Call sites of each function not yet inside the set (one entry per call site in DirectCalls.Callers).
        var outside = new int[count];
        for (int f = 0; f < count; f++) outside[f] = callers[f]?.Count ?? 0;
        var runOnce = new bool[count];
        runOnce[root] = true;
        var pending = new Stack<List<int>>();
        pending.Push(callees);
        while (pending.Count > 0)
        {
            foreach (int callee in pending.Pop())
            {
                if (--outside[callee] != 0 || runOnce[callee] || valid.IsDeclared((uint)(callee + importedFunctions))) continue;
                var next = new List<int>();
                if (!Scan(module, callee, importedFunctions, next)) continue;
                runOnce[callee] = true;
                pending.Push(next);
            }
        }
        return runOnce;
    }

    // The defined functions a function calls directly (once per call site); false if it has a loop.
    private static bool Scan(SyntaxModule module, int defined, int importedFunctions, List<int> callees)
    {
        int count = module.Codes.Count;
        var reader = new InstructionReader(module.Codes[defined].Code.Span);
        while (!reader.AtEnd)
        {
            var ins = reader.Read();
            switch (ins.Opcode)
            {
                case Opcode.Loop:
                    return false;
                case Opcode.Call or Opcode.ReturnCall when ins.Index >= importedFunctions && ins.Index - importedFunctions < (uint)count:
                    callees.Add((int)ins.Index - importedFunctions);
                    break;
            }
        }
        return true;
    }
}
