using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;

namespace Weft.Compilation;

// Metering of bulk instructions and GC allocations (see ExecutionChecks). Code compiled for a store without fuel,
// interrupts or a GC budget passes null to the bulk helpers and charges nothing, so it pays one null test per bulk
// instruction; code for a metered store passes the store.
internal sealed partial class FunctionCompiler
{
    private static readonly MethodInfo s_chargeGc = RuntimeMembers.Method(typeof(ExecutionChecks), nameof(ExecutionChecks.ChargeGc));

    /// <summary>Pushes the last argument of a bulk helper: the store if the code meters bulk work, else null.</summary>
    private void EmitLoadMeter()
    {
        if (_module.Options.MetersBulkWork)
        {
            EmitLoadContext();
            _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStore);
        }
        else
        {
            _il.Emit(OpCodes.Ldnull);
        }
    }

    /// <summary>
    /// Charges an allocation of a size known now to the store's GC budget (struct.new*, array.new_fixed), before it
    /// happens; nothing is emitted for stores without a budget. The IL stack is left as it was.
    /// </summary>
    private void EmitChargeGc(long bytes)
    {
        if (!_module.Options.LimitGcAllocations) return;
        _il.Emit(OpCodes.Ldc_I8, bytes);
        EmitLoadContext();
        _il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextStore);
        Call(s_chargeGc);
    }
}
