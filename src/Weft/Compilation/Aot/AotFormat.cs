using System.Reflection;
using Weft.Runtime;

namespace Weft.Compilation.Aot;

/// <summary>The facts that make a precompiled assembly loadable by this Weft: format, Weft's version, code options.</summary>
internal static class AotFormat
{
    /// <summary>The layout of <see cref="PrecompiledParts"/> and of the generated entry type; bumped when either changes.</summary>
    /// <remarks>2: compiled code reloads a non-shared memory's base after calls and memory.grow (memories lent as arrays move).
    /// 3: large functions are split into outlined methods (FunctionSplitter), extra static methods of the code types.
    /// 4: functions that may throw are a body and an entry (PendingExceptions), and bodies use InstanceContext.PendingException.</remarks>
    public const int Version = 4;

    /// <summary>The fixed name of the generated type whose <see cref="GetPartsMethod"/> returns the parts.</summary>
    public const string EntryTypeName = "WeftPrecompiledEntry";

    /// <summary>The entry type's static method returning the <see cref="PrecompiledParts"/>.</summary>
    public const string GetPartsMethod = "GetParts";

    /// <summary>
    /// Weft's informational version (with the source revision the SDK appends): generated IL calls Weft's internal
    /// members by name and signature, so code written by another Weft is refused rather than risked.
    /// </summary>
    public static string WeftVersion { get; } =
        typeof(AotFormat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AotFormat).Assembly.GetName().Version?.ToString() ?? "unknown";

    private const int Fuel = 1, Interrupts = 2, GcLimit = 4, Aggressive = 8, Inline = 16;

    /// <summary>The code options as flags (what a precompiled assembly records).</summary>
    public static int Flags(CodeOptions options) =>
        (options.ConsumeFuel ? Fuel : 0) | (options.Interruptible ? Interrupts : 0) | (options.LimitGcAllocations ? GcLimit : 0)
        | (options.AggressiveOptimization ? Aggressive : 0) | (options.InlineSmallFunctions ? Inline : 0);

    /// <summary>The code options of recorded flags.</summary>
    public static CodeOptions Options(int flags)
    {
        var options = CodeOptions.For((flags & Fuel) != 0, (flags & Interrupts) != 0, tiered: false, (flags & GcLimit) != 0);
        if ((flags & Aggressive) != 0) options = options with { AggressiveOptimization = true };
        // Inline (16) is new in version 4 without a bump: assemblies written before it lack the bit and were compiled
        // without the option, which is what reading them without it means.
        return (flags & Inline) != 0 ? options with { InlineSmallFunctions = true } : options;
    }

    /// <summary>The code options precompiled code is written with, from the public settings.</summary>
    public static CodeOptions Options(bool consumeFuel, bool interruptible) => CodeOptions.For(consumeFuel, interruptible, tiered: false, limitGcAllocations: false);
}
