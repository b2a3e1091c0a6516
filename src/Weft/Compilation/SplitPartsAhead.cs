using System.Reflection;

namespace Weft.Compilation;

/// <summary>
/// The parts of split functions (FunctionSplitter's outlined methods) for the background JIT: each split function's
/// parts are queued right after it, in part order, so RyuJIT compiles them ahead of their first calls as it does the
/// module's functions. Without this they were compiled only at their first call, on the program's thread (lua's
/// interpreter loop: 31-61 parts, about 50 ms of FullOpts JIT on the running thread; docs/RATIONALE.md, "Split parts
/// compiled ahead"). <c>WEFT_BACKGROUND_PARTS=0</c> turns it off.
/// </summary>
internal static class SplitPartsAhead
{
    /// <summary>Whether parts are queued for the background JIT (read once).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("WEFT_BACKGROUND_PARTS") != "0";

    /// <summary>
    /// The handles of the parts of each defined function (empty for a function that was not split), in part order:
    /// the parts <paramref name="compiler"/> defined, looked up among the created types' <paramref name="methods"/>
    /// by name, as the functions' own methods are.
    /// </summary>
    public static RuntimeMethodHandle[][] Collect(ModuleCompiler compiler, IReadOnlyDictionary<string, MethodInfo> methods)
    {
        var parts = new RuntimeMethodHandle[compiler.Methods.Length][];
        for (int f = 0; f < parts.Length; f++)
        {
            string[] names = Enabled ? compiler.PartNamesOf(f) : [];
            parts[f] = new RuntimeMethodHandle[names.Length];
            for (int k = 0; k < names.Length; k++) parts[f][k] = methods[names[k]].MethodHandle;
        }
        return parts;
    }
}
