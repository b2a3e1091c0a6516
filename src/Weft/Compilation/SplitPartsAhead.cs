using System.Globalization;
using System.Reflection;

namespace Weft.Compilation;

/// <summary>
/// The parts of split functions (FunctionSplitter's <c>outlined_F_K</c> methods) for the background JIT: each split
/// function's parts are queued right after it, in part order, so RyuJIT compiles them ahead of their first calls as it
/// does the module's functions. Without this they were compiled only at their first call, on the program's thread
/// (lua's interpreter loop: 31-61 parts, about 50 ms of FullOpts JIT on the running thread; docs/RATIONALE.md, "Split
/// parts compiled ahead"). <c>WEFT_BACKGROUND_PARTS=0</c> turns it off.
/// </summary>
internal static class SplitPartsAhead
{
    /// <summary>Whether parts are queued for the background JIT (read once).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("WEFT_BACKGROUND_PARTS") != "0";

    private const string Prefix = "outlined_";

    /// <summary>
    /// The handles of the parts of each defined function (empty for a function that was not split), found by the
    /// names ModuleCompiler gives parts (<c>outlined_{function index}_{part}</c>), in part order.
    /// </summary>
    public static RuntimeMethodHandle[][] Collect(IEnumerable<MethodInfo> methods, int importedFunctions, int definedFunctions)
    {
        var found = new List<(int Part, RuntimeMethodHandle Handle)>?[definedFunctions];
        if (Enabled)
        {
            foreach (var method in methods)
            {
                if (!TryParse(method.Name, out int function, out int part)) continue;
                int defined = function - importedFunctions;
                if ((uint)defined >= (uint)definedFunctions) continue;
                (found[defined] ??= []).Add((part, method.MethodHandle));
            }
        }
        var parts = new RuntimeMethodHandle[definedFunctions][];
        for (int f = 0; f < definedFunctions; f++)
        {
            parts[f] = found[f] is { } list ? [.. list.OrderBy(p => p.Part).Select(p => p.Handle)] : [];
        }
        return parts;
    }

    /// <summary>Reads a part's method name <c>outlined_F_K</c> into F (the function index) and K (the part).</summary>
    internal static bool TryParse(string name, out int function, out int part)
    {
        function = part = 0;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(Prefix.Length);
        int underscore = rest.IndexOf('_');
        return underscore > 0
            && int.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out function)
            && int.TryParse(rest[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out part);
    }
}
