using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Validation;

using Weft.Runtime;

namespace Weft.Gc;

/// <summary>
/// Turns each canonical struct type into a CLR class with one typed field per wasm field, derived from the class of
/// its declared supertype (or from <see cref="GcStruct"/>), so a subtype's object has its supertype's fields at the
/// same places and <c>struct.get</c> is one <c>ldfld</c> whatever the object's exact type. Final types are sealed.
/// </summary>
/// <remarks>
/// Canonical types may be shared by many modules of an engine, so their classes live in one dynamic assembly per
/// engine (the IL generator's), collectible when the engine is (<see cref="EngineOptions.Collectible"/>): a
/// collectible module assembly may reference it. Each class has a static readonly field with its
/// <see cref="DefinedType"/>, set by its static constructor from the type's id (run right after the class is made,
/// while the id is surely registered): the class's override of <see cref="GcObject.Rtt"/> returns it (objects do not
/// store their type), and compiled casts compare the class itself.
/// </remarks>
internal sealed class StructClasses(bool collectible)
{
    private const string TypeFieldName = "CanonicalType";
    private readonly ConcurrentDictionary<DefinedType, StructLayout> _layouts = new();
    private readonly Lock _lock = new();
    private static readonly ConstructorInfo s_rootConstructor =
        typeof(GcStruct).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)!;
    private static readonly MethodInfo s_rttGetter =
        typeof(GcObject).GetProperty(nameof(GcObject.Rtt), BindingFlags.NonPublic | BindingFlags.Instance)!.GetGetMethod(nonPublic: true)!;
    private static readonly MethodInfo s_registryGet = typeof(TypeRegistry).GetMethod(nameof(TypeRegistry.Get))!;
    private ModuleBuilder? _module;

    /// <summary>The class of a canonical struct type, from its engine's code generator.</summary>
    public static StructLayout For(DefinedType type) => Engine.Of(type).CodeGenerator.StructLayout(type);

    /// <summary>The class of a canonical struct type of this engine, created on first use (thread-safe).</summary>
    [RequiresDynamicCode("GC struct classes are generated with Reflection.Emit.")]
    public StructLayout Get(DefinedType type)
    {
        if (_layouts.TryGetValue(type, out var layout)) return layout;
        if (!type.IsStruct) throw new ArgumentException($"{type} is not a struct type", nameof(type));
        lock (_lock) return Build(type);
    }

    /// <summary>Forgets the classes (the engine is disposed); .NET unloads them once no object of them is left.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _layouts.Clear();
            // The builder references every class made: a disposed engine that is still referenced keeps none.
            _module = null;
        }
    }

    [RequiresDynamicCode("GC struct classes are generated with Reflection.Emit.")]
    private StructLayout Build(DefinedType type)
    {
        if (_layouts.TryGetValue(type, out var done)) return done;
        // The supertype's class first: it is the base class. Declared supertypes always exist already and are struct types.
        var parent = type.Supertype is { } super ? Build(super) : null;
        _module ??= AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(GeneratedCode.AssemblyName), collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run)
            .DefineDynamicModule(GeneratedCode.AssemblyName);

        var attributes = TypeAttributes.Public | TypeAttributes.BeforeFieldInit | (type.Final ? TypeAttributes.Sealed : 0);
        var builder = _module.DefineType($"Struct{type.Id}", attributes, parent?.ClrType ?? typeof(GcStruct));
        var typeField = builder.DefineField(TypeFieldName, typeof(DefinedType), FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.InitOnly);

        var fields = type.Fields;
        int inherited = parent?.Fields.Length ?? 0;
        var own = new FieldBuilder[fields.Length - inherited];
        for (int i = inherited; i < fields.Length; i++)
        {
            own[i - inherited] = builder.DefineField($"f{i}", GcStorage.ClrType(fields[i].Storage), FieldAttributes.Public);
        }

        var cctor = builder.DefineTypeInitializer().GetILGenerator();
        cctor.Emit(OpCodes.Ldc_I4, unchecked((int)type.Id));
        cctor.Emit(OpCodes.Call, s_registryGet);
        cctor.Emit(OpCodes.Stsfld, typeField);
        cctor.Emit(OpCodes.Ret);

        // Rtt: the class's own static (Weft grants the generated assembly access to the internal member it overrides).
        var rtt = builder.DefineMethod("get_Rtt", MethodAttributes.Assembly | MethodAttributes.Virtual | MethodAttributes.HideBySig | MethodAttributes.SpecialName,
            typeof(DefinedType), Type.EmptyTypes);
        var il = rtt.GetILGenerator();
        il.Emit(OpCodes.Ldsfld, typeField);
        il.Emit(OpCodes.Ret);
        builder.DefineMethodOverride(rtt, s_rttGetter);

        // The base class's parameterless constructor: the objects store nothing but their fields.
        var baseConstructor = parent?.DefaultConstructor ?? s_rootConstructor;
        var defaults = builder.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig, CallingConventions.Standard, Type.EmptyTypes);
        il = defaults.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, baseConstructor);
        il.Emit(OpCodes.Ret);

        var allFields = new FieldInfo[fields.Length];
        parent?.Fields.CopyTo(allFields, 0);
        own.CopyTo(allFields, inherited);
        if (allFields.Length is > 0 and <= StructLayout.MaxConstructorFields)
        {
            var full = builder.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig, CallingConventions.Standard,
                allFields.Select(f => StructLayout.FieldParameterType(f.FieldType)).ToArray());
            il = full.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, baseConstructor);
            for (int i = 0; i < allFields.Length; i++)
            {
                // stfld truncates an i32 to a packed byte/short field (ECMA-335 III.4.28).
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldarg, i + 1);
                il.Emit(OpCodes.Stfld, allFields[i]);
            }
            il.Emit(OpCodes.Ret);
        }

        var created = builder.CreateType();
        var createdFields = new FieldInfo[fields.Length];
        parent?.Fields.CopyTo(createdFields, 0);
        // One lookup of all fields (GetField by name per field would be quadratic for structs with thousands).
        var declared = created.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (int i = inherited; i < fields.Length; i++) createdFields[i] = declared[$"f{i}"];
        var layout = new StructLayout(type, created, createdFields, created.GetField(TypeFieldName)!);
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(created.TypeHandle);
        _layouts[type] = layout;
        return layout;
    }
}
