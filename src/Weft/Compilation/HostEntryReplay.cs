using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;

namespace Weft.Compilation;

/// <summary>
/// Inlinable copies of trapping leaves for the compiled host entries (HostEntries.cs). A leaf that may trap (a
/// division, a load) is NoInlining so that its trap keeps its frame in backtraces, which costs the host entry a
/// second call. When the leaf only reads, the entry calls an AggressiveInlining copy of it instead (<c>hostcopy_N</c>,
/// the same code compiled again) and, should the copy throw anything, discards that exception and calls the leaf
/// itself with the same arguments: having written nothing, it takes the same path and traps in its own frame, so the
/// backtrace and the trap are exactly those of a call of the leaf. (Only a racing write to shared memory could make
/// the second run return instead; its result is then the call's, as if the call had run after that write.)
/// docs/RATIONALE.md, "Host entries for every numeric export".
/// </summary>
internal static class HostEntryReplay
{
    /// <summary>Copies are small: at most this many code bytes (as the inlining of safe leaves).</summary>
    private const int MaxCopyBytes = CallRefTargets.MaxCloneBytes;

    /// <summary>Whether defined function <paramref name="defined"/> gets an inlinable copy for its host entry.</summary>
    public static bool Qualifies(ModuleCompiler compiler, int defined)
    {
        if (compiler.Leaves[defined] != LeafKind.Leaf || compiler.MayLeavePending[defined]) return false;
        // The original must keep its frame (not so under EngineOptions.InlineSmallFunctions, which inlines it anyway).
        if ((compiler.Methods[defined].GetMethodImplementationFlags() & MethodImplAttributes.NoInlining) == 0) return false;
        var options = compiler.Options;
        if (!CallRefTargets.ReplaysAllowed(options)) return false;
        var body = compiler.Module.Codes[defined];
        return body.Code.Length <= MaxCopyBytes && OnlyReads(body.Code.Span, options);
    }

    /// <summary>Compiles the copy in <paramref name="type"/> (the entries' class): no '$' and no leading 'f', so no backtrace frame.</summary>
    public static MethodBuilder DefineCopy(ModuleCompiler compiler, TypeBuilder type, int defined)
    {
        int index = compiler.ImportedFunctionCount + defined;
        var signature = compiler.FunctionTypes[index];
        var copy = type.DefineMethod("hostcopy_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
            ClrTypes.ReturnType(signature.Results), ClrTypes.ParameterTypes(signature.Params, compiler.ContextType));
        copy.SetImplementationFlags(MethodImplAttributes.AggressiveInlining);
        new FunctionCompiler(compiler, defined, signature, compiler.Module.Codes[defined], copy, outlined: false).Compile();
        return copy;
    }

    // A whitelist: what cannot trap (except global.set, a write, and loops), and reads that may trap. Anything else (stores,
    // memory.grow, bulk memory, tables, atomics, SIMD, allocation, future opcodes) disqualifies.
    private static bool OnlyReads(ReadOnlySpan<byte> code, CodeOptions options)
    {
        var reader = new InstructionReader(code);
        while (!reader.AtEnd)
        {
            var op = reader.Read().Opcode;
            if (op == Opcode.GlobalSet) return false;
            // A loop makes the call long, so the saved call is nothing, and the copy would be compiled again with
            // its loop plans (versioned loops) for no gain.
            if (op == Opcode.Loop) return false;
            if (LeafFunctions.CannotTrap(op, options)) continue;
            if (op >= Opcode.I32Load && op <= Opcode.I64Load32U) continue;
            if (!LeafFunctions.TrapsByValue(op) && op != Opcode.Unreachable) return false;
        }
        return true;
    }
}
