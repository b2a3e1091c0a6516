using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;

namespace Weft.Compilation;

/// <summary>
/// Dynamic assemblies with a name of their own, for lazy code: a class that refers to types of several dynamic
/// assemblies of the same name (<see cref="GeneratedCode.AssemblyName"/>) binds every such reference to one of them
/// (the references are merged by name), so lazily compiled batches, which refer to their module's stubs, to earlier
/// batches and to the engine's struct classes, need distinct names. Such a name gets no InternalsVisibleTo grant; the
/// assembly instead carries <c>IgnoresAccessChecksToAttribute("Weft")</c>, which the runtime honours for access to
/// Weft's internals (runtime helpers and fields the code uses).
/// </summary>
[RequiresDynamicCode("Defines dynamic assemblies.")]
internal static class UniqueAssemblies
{
    private static int s_counter;

    /// <summary>Defines an assembly and its one module, named uniquely, that may use Weft's internals.</summary>
    public static ModuleBuilder Define(string prefix, bool collectible)
    {
        int id = Interlocked.Increment(ref s_counter);
        string name = $"{GeneratedCode.AssemblyName}.{prefix}{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), collectible ? AssemblyBuilderAccess.RunAndCollect : AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule(name);
        var attribute = module.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Attribute));
        var constructor = attribute.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(string)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);
        var created = attribute.CreateType();
        assembly.SetCustomAttribute(new CustomAttributeBuilder(created.GetConstructor([typeof(string)])!, [typeof(UniqueAssemblies).Assembly.GetName().Name!]));
        return module;
    }
}
