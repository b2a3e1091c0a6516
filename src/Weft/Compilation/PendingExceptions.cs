using System.Reflection;
using System.Reflection.Emit;
using Weft.Binary;
using Weft.Runtime;
using Weft.Syntax;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Compilation;

/// <summary>
/// The pending-exception protocol (docs/RATIONALE.md, "A wasm exception leaves a function by returning"): a .NET
/// throw costs microseconds (two-pass unwinding), so between functions compiled in the same module an exception
/// travels as a return instead. A function that may raise one (<see cref="MayLeavePending"/>) gets two methods:
/// its body, which stores an exception that leaves it in <see cref="InstanceContext.PendingException"/> and returns
/// default results, and an entry with the function's place in <see cref="ModuleCompiler.Methods"/> that calls the
/// body and throws what it left pending. Only bodies call bodies, and each such call tests the field right after
/// it returns (handler or propagate); everything else — exports, host calls, function references, tables, tail
/// calls from code outside the protocol, split parts, lazy stubs — reaches the entry and sees a real
/// <see cref="WasmException"/>. Exceptions thrown as .NET exceptions (host functions, calls through function
/// objects) still pass through bodies and are still caught by their IL regions.
/// </summary>
internal static class PendingExceptions
{
    private static readonly FieldInfo s_pending = typeof(InstanceContext).GetField(nameof(InstanceContext.PendingException))!;

    /// <summary>
    /// WEFT_PENDING_EXCEPTIONS=0 compiles every function the old way (every exception leaving a function is a .NET
    /// throw): for side-by-side measurements and for ruling the protocol out when chasing a bug.
    /// </summary>
    private static readonly bool Disabled = Environment.GetEnvironmentVariable("WEFT_PENDING_EXCEPTIONS") == "0";

    /// <summary>The context's pending-exception field.</summary>
    public static FieldInfo Field => s_pending;

    /// <summary>The prefix of entry methods' names; <see cref="Backtrace"/> shows their frame only where it threw.</summary>
    public const string EntryPrefix = "<entry>$";

    /// <summary>The name of the entry of a function compiled to the protocol (carries the index for backtraces).</summary>
    public static string EntryName(int functionIndex) => EntryPrefix + functionIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Which defined functions may return with an exception pending: those that contain <c>throw</c>,
    /// <c>throw_ref</c> or <c>rethrow</c>, and those that call (or tail-call) one of them directly, transitively.
    /// Calls through function objects, tables and imports need not count: what they raise arrives as a .NET
    /// exception, which passes through a body as before. None when a code type would get more methods than the
    /// CLR allows (each such function is two methods).
    /// </summary>
    public static bool[] MayLeavePending(SyntaxModule module, Func<DirectCalls> directCalls, int methodsPerType)
    {
        int count = module.Codes.Count;
        if (Disabled) return new bool[count];
        var calls = directCalls();
        var callers = calls.Callers;
        var result = (bool[])calls.Throws.Clone();
        var work = new Stack<int>();
        for (int d = 0; d < count; d++) if (result[d]) work.Push(d);
        while (work.TryPop(out int d))
        {
            if (callers[d] is not { } list) continue;
            foreach (int caller in list)
            {
                if (result[caller]) continue;
                result[caller] = true;
                work.Push(caller);
            }
        }
        // The parts of split functions share their function's type (ModuleCompiler.MaxOutlined of them at most).
        for (int start = 0; start < count; start += methodsPerType)
        {
            int end = Math.Min(count, start + methodsPerType);
            int doubled = 0;
            for (int d = start; d < end; d++) if (result[d]) doubled++;
            if (end - start + doubled + ModuleCompiler.MaxOutlined > ushort.MaxValue - 100) return new bool[count];
        }
        return result;
    }

    /// <summary>
    /// Defines the body of a protocol function next to its entry <paramref name="entry"/> (same signature, the
    /// function's method name, so backtraces show it) and emits the entry: call the body, throw what it left pending.
    /// </summary>
    public static MethodBuilder DefineBody(MethodBuilder entry, Type returnType, Type[] parameters, int functionIndex, string? name)
    {
        var declaring = (TypeBuilder)entry.DeclaringType!;
        var body = declaring.DefineMethod(MethodNames.For(functionIndex, name),
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, returnType, parameters);
        if (entry.MethodImplementationFlags != MethodImplAttributes.IL) body.SetImplementationFlags(entry.MethodImplementationFlags);
        var il = entry.GetILGenerator();
        for (int i = 0; i < parameters.Length; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Call, body);
        var raised = il.DefineLabel();
        il.Emit(OpCodes.Ldarg, parameters.Length - 1);
        il.Emit(OpCodes.Ldfld, s_pending);
        il.Emit(OpCodes.Brtrue, raised);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(raised);
        EmitTake(il, parameters.Length - 1);
        il.Emit(OpCodes.Throw);
        return body;
    }

    /// <summary>Pushes the pending exception of the context in argument <paramref name="context"/> and clears the field.</summary>
    public static void EmitTake(ILGenerator il, int context)
    {
        il.Emit(OpCodes.Ldarg, context);
        il.Emit(OpCodes.Ldfld, s_pending);
        il.Emit(OpCodes.Ldarg, context);
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Stfld, s_pending);
    }
}
