using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Weft.Compilation;

namespace Weft.Runtime;

/// <summary>
/// Recovers the wasm frames of an exception from its .NET stack trace. Compiled wasm functions are methods named
/// after the function with its index appended (<see cref="MethodNames"/>), in one dynamic assembly per compiled
/// module; the module's names are registered here against that assembly. Nothing is recorded while code runs or
/// when a trap is thrown: the frames are read from the stack trace .NET keeps anyway, only when someone asks.
/// </summary>
internal static class Backtrace
{
    /// <summary>The names of one compiled module, for its frames.</summary>
    internal sealed class ModuleSymbols(string? moduleName, Func<int, string?> functionName, Func<int, int?> codeOffset)
    {
        public string? ModuleName { get; } = moduleName;

        public string? FunctionName(int index) => functionName(index);

        public int? CodeOffset(int index) => codeOffset(index);
    }

    // Keyed by the generated assembly, which it does not keep alive: a collected module takes its entry with it.
    private static readonly ConditionalWeakTable<Assembly, ModuleSymbols> s_modules = new();

    /// <summary>Registers the names of a module compiled into an assembly.</summary>
    public static void Register(Assembly assembly, ModuleSymbols symbols) => s_modules.AddOrUpdate(assembly, symbols);

    /// <summary>
    /// The wasm frames of an exception, innermost first. An exception that Weft made from another one where that
    /// one reached the host (a .NET exception out of compiled code, see <see cref="ExceptionMapping"/>) keeps the
    /// deeper frames in its inner exception's stack trace, so those come first.
    /// </summary>
    public static IReadOnlyList<WasmFrame> Of(Exception exception)
    {
        var frames = new List<WasmFrame>();
        if (exception.InnerException is { } inner && inner is not WeftException) Collect(inner, frames);
        Collect(exception, frames);
        return frames.AsReadOnly();
    }

    private static void Collect(Exception exception, List<WasmFrame> frames)
    {
        var trace = new StackTrace(exception, fNeedFileInfo: false);
        int start = frames.Count;
        for (int i = 0; i < trace.FrameCount; i++)
        {
            if (trace.GetFrame(i)?.GetMethod() is not { } method) continue;
            if (method.DeclaringType?.Assembly is not { } assembly || !s_modules.TryGetValue(assembly, out var symbols)) continue;
            if (MethodNames.FunctionIndex(method.Name) is not { } index) continue;
            // The entry of a function compiled to the pending-exception protocol lies right above its body: one
            // frame for both, unless the entry is where the exception was thrown (its body left it pending).
            if (method.Name.StartsWith(PendingExceptions.EntryPrefix, StringComparison.Ordinal)
                && frames.Count > start && frames[^1].FunctionIndex == index) continue;
            frames.Add(new WasmFrame(symbols.ModuleName, index, symbols.FunctionName(index), symbols.CodeOffset(index)));
        }
    }
}
