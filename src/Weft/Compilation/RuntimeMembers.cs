using System.Reflection;
using Weft.Runtime;
using Weft.Validation;

namespace Weft.Compilation;

/// <summary>The runtime fields and helpers that generated code refers to, looked up once.</summary>
internal static class RuntimeMembers
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    public static readonly FieldInfo ContextStore = typeof(InstanceContext).GetField(nameof(InstanceContext.Store))!;
    public static readonly FieldInfo ContextMemory0 = typeof(InstanceContext).GetField(nameof(InstanceContext.Memory0))!;
    public static readonly FieldInfo ContextMemories = typeof(InstanceContext).GetField(nameof(InstanceContext.Memories))!;
    public static readonly FieldInfo ContextTables = typeof(InstanceContext).GetField(nameof(InstanceContext.Tables))!;
    public static readonly FieldInfo ContextGlobals = typeof(InstanceContext).GetField(nameof(InstanceContext.Globals))!;
    public static readonly FieldInfo ContextConstants = typeof(InstanceContext).GetField(nameof(InstanceContext.Constants))!;
    public static readonly FieldInfo ContextFunctions = typeof(InstanceContext).GetField(nameof(InstanceContext.Functions))!;
    public static readonly FieldInfo ContextTags = typeof(InstanceContext).GetField(nameof(InstanceContext.Tags))!;
    public static readonly FieldInfo ContextTypes = typeof(InstanceContext).GetField(nameof(InstanceContext.Types))!;
    public static readonly FieldInfo ContextElements = typeof(InstanceContext).GetField(nameof(InstanceContext.ElementSegments))!;
    public static readonly FieldInfo ContextData = typeof(InstanceContext).GetField(nameof(InstanceContext.DataSegments))!;
    public static readonly FieldInfo ContextStackLimit = typeof(InstanceContext).GetField(nameof(InstanceContext.StackLimit))!;

    public static readonly FieldInfo MemoryBase = typeof(Memory).GetField(nameof(Memory.Base), Any)!;
    public static readonly FieldInfo MemoryLength = typeof(Memory).GetField(nameof(Memory.Length), Any)!;
    public static readonly FieldInfo TableElements = typeof(Table).GetField(nameof(Table.Elements), Any)!;
    public static readonly FieldInfo TableLength = typeof(Table).GetField(nameof(Table.Length), Any)!;
    public static readonly FieldInfo FunctionCode = typeof(Function).GetField(nameof(Function.Code), Any)!;
    public static readonly FieldInfo FunctionContext = typeof(Function).GetField(nameof(Function.Context), Any)!;
    public static readonly FieldInfo FunctionType = typeof(Function).GetField(nameof(Function.CanonicalType), Any)!;
    public static readonly FieldInfo FunctionTypeId = typeof(Function).GetField(nameof(Function.TypeId), Any)!;
    // GetArrayDataReference<T>(T[]) by its generic signature: GetMethods() built MemoryMarshal's whole method list
    // at every compilation's first use of this class (start-up, RATIONALE.md "fourth look").
    public static readonly MethodInfo ArrayDataReference = typeof(System.Runtime.InteropServices.MemoryMarshal)
        .GetMethod(nameof(System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference), 1, [Type.MakeGenericMethodParameter(0).MakeArrayType()])!
        .MakeGenericMethod(typeof(object));

    public static FieldInfo GlobalField(StackKind kind) => typeof(Global).GetField(kind switch
    {
        StackKind.I32 => nameof(Global.I32),
        StackKind.I64 => nameof(Global.I64),
        StackKind.F32 => nameof(Global.F32),
        StackKind.F64 => nameof(Global.F64),
        StackKind.V128 => nameof(Global.V128),
        _ => nameof(Global.Ref),
    }, Any)!;

    public static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, Any) ?? throw new MissingMethodException(type.Name, name);

    public static MethodInfo Numeric(string name) => Method(typeof(Numerics), name);

    public static readonly MethodInfo CreateTrap = Method(typeof(TrapFactory), nameof(TrapFactory.Create));
    public static readonly MethodInfo CreateUninitializedElement = Method(typeof(TrapFactory), nameof(TrapFactory.UninitializedElement));
    public static readonly MethodInfo ConsumeFuel = Method(typeof(ExecutionChecks), nameof(ExecutionChecks.ConsumeFuel));
    public static readonly MethodInfo CheckInterrupt = Method(typeof(ExecutionChecks), nameof(ExecutionChecks.CheckInterrupt));
    public static readonly MethodInfo CheckIndirectCall = Method(typeof(CallHelpers), nameof(CallHelpers.CheckIndirectCall));
}
