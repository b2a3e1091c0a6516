using System.Globalization;

namespace Weft;

/// <summary>
/// One wasm function on the stack of a <see cref="TrapException"/> or <see cref="WasmException"/>, innermost first
/// (see <see cref="TrapException.Frames"/>): which module and function it is, with the names the module's "name"
/// custom section gives, and where in the module the function's code is.
/// </summary>
/// <remarks>
/// Frames are read from the exception's .NET stack trace, in which every compiled wasm function is a method named
/// after it. A function that RyuJIT inlined into its caller has no frame of its own there, so it is missing.
/// </remarks>
public sealed class WasmFrame
{
    internal WasmFrame(string? moduleName, int functionIndex, string? functionName, int? codeOffset)
    {
        ModuleName = moduleName;
        FunctionIndex = functionIndex;
        FunctionName = functionName;
        CodeOffset = codeOffset;
    }

    /// <summary>The module's name from its name section, or null when it has none.</summary>
    public string? ModuleName { get; }

    /// <summary>The function's index in its module's function index space (imports first).</summary>
    public int FunctionIndex { get; }

    /// <summary>The function's name from the module's name section, or null when it has none.</summary>
    public string? FunctionName { get; }

    /// <summary>
    /// The byte offset within the module binary of the function's code (its body after the local declarations), or
    /// null when the module was not decoded from a binary. It is the function's start, not the trapping instruction.
    /// </summary>
    public int? CodeOffset { get; }

    /// <summary>The frame as wasmtime prints it: <c>0x1f - module!function</c>, with <c>&lt;unknown&gt;</c> and <c>&lt;wasm function N&gt;</c> for missing names.</summary>
    public override string ToString()
    {
        string function = FunctionName ?? $"<wasm function {FunctionIndex.ToString(CultureInfo.InvariantCulture)}>";
        string where = ModuleName ?? "<unknown>";
        return CodeOffset is { } offset
            ? $"0x{offset.ToString("x", CultureInfo.InvariantCulture)} - {where}!{function}"
            : $"{where}!{function}";
    }

    /// <summary>
    /// A backtrace as wasmtime prints it: a line per frame, <c>N: 0x1f - module!function</c>, innermost first.
    /// </summary>
    /// <param name="frames">The frames, innermost first.</param>
    /// <param name="maxFrames">At most this many lines of frames; the rest are counted in one last line.</param>
    public static string Format(IReadOnlyList<WasmFrame> frames, int maxFrames = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var text = new System.Text.StringBuilder();
        int shown = Math.Min(frames.Count, Math.Max(0, maxFrames));
        for (int i = 0; i < shown; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i,5}: {frames[i]}").Append('\n');
        }
        if (shown < frames.Count) text.Append(CultureInfo.InvariantCulture, $"       ... {frames.Count - shown} more frames").Append('\n');
        return text.ToString();
    }
}
