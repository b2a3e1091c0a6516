using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;

namespace Weft.Compilation.Aot;

/// <summary>
/// Writes a module ahead of time as an ordinary .NET assembly (PersistedAssemblyBuilder): the module's code, emitted
/// eagerly by the same <see cref="ModuleCompiler"/> as at run time, plus everything the runtime would otherwise
/// emit for it (an invoke stub and a host adapter per function type) and an entry type that hands it all to Weft
/// with plain IL (<see cref="PrecompiledParts"/>). The module's bytes are embedded, so loading needs nothing else.
/// </summary>
[RequiresDynamicCode("Precompiling writes IL with Reflection.Emit.")]
internal static class AotCompiler
{
    /// <summary>Writes the assembly of a module (<paramref name="bytes"/>, embedded, decode to it) to <paramref name="output"/>.</summary>
    /// <remarks>
    /// <c>markOptimized</c> marks the functions' methods AggressiveOptimization, so that the JIT compiles each
    /// optimized on its first call instead of tiering them as it tiers the methods of any loaded assembly; false for an
    /// assembly crossgen2 is to precompile (it leaves methods so marked to the JIT). The mark is not one of the recorded
    /// code options: code with and without it serves the same stores.
    /// </remarks>
    /// <exception cref="CompilationException">The module uses something that cannot be precompiled (GC struct types).</exception>
    public static void Compile(Syntax.Module syntax, ValidModule valid, byte[] bytes, Stream output, string assemblyName, CodeOptions options,
        bool markOptimized = true)
    {
        // GC struct classes are per canonical type and shared by all modules of an engine; a class written into one
        // module's assembly could not be that shared class, so such modules stay on the JIT path for now.
        foreach (var type in valid.Types)
        {
            if (type.IsStruct) throw new CompilationException("modules with GC struct types cannot be precompiled yet (their classes are shared per engine at run time)");
        }
        var builder = new PersistedAssemblyBuilder(new AssemblyName(assemblyName), typeof(object).Assembly);
        var target = builder.DefineDynamicModule(assemblyName);
        IgnoreAccessChecks(builder);

        ModuleCompiler compiler;
        try
        {
            compiler = ModuleCompiler.EmitInto(syntax, valid, markOptimized ? options with { AggressiveOptimization = true } : options, target);
        }
        catch (NotSupportedException e)
        {
            throw new CompilationException(e.Message, e);
        }
        var entry = target.DefineType(AotFormat.EntryTypeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        var data = target.DefineInitializedData("ModuleBytes", bytes, FieldAttributes.Assembly | FieldAttributes.Static);
        var factory = EmitFactory(entry, compiler);
        var setGlobal = EmitSetGlobal(entry, compiler);
        var invokers = new MethodBuilder?[valid.Types.Length];
        var adapters = new MethodBuilder?[valid.Types.Length];
        for (int t = 0; t < valid.Types.Length; t++)
        {
            if (!valid.Types[t].IsFunc) continue;
            invokers[t] = EmitInvoker(entry, t, valid.Types[t]);
            adapters[t] = EmitHostAdapter(entry, t, valid.Types[t]);
        }
        EmitGetParts(entry, compiler, options, bytes.Length, data, factory, setGlobal, invokers, adapters);

        foreach (var type in compiler.CodeTypes) type.CreateType();
        entry.CreateType();
        builder.Save(output);
    }

    // Generated code uses Weft's internals. At run time the dynamic assemblies are named Weft.Generated, which Weft
    // grants access; a saved assembly has a name of its own and asks the runtime to skip access checks to Weft.
    private static void IgnoreAccessChecks(PersistedAssemblyBuilder assembly)
    {
        var constructor = typeof(System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!;
        assembly.SetCustomAttribute(new CustomAttributeBuilder(constructor, [typeof(Engine).Assembly.GetName().Name!]));
    }

    private static MethodBuilder DefineStatic(TypeBuilder type, string name, Type returnType, Type[] parameters, bool minOpts = false)
    {
        var method = type.DefineMethod(name, MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, returnType, parameters);
        // Loader methods are long runs of ldftn and run once: RyuJIT's quick mode compiles them fastest.
        if (minOpts) method.SetImplementationFlags(MethodImplAttributes.NoOptimization);
        return method;
    }

    private static MethodBuilder EmitFactory(TypeBuilder entry, ModuleCompiler compiler)
    {
        var method = DefineStatic(entry, "NewContext", typeof(InstanceContext), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Newobj, compiler.Constructor);
        il.Emit(OpCodes.Ret);
        return method;
    }

    // (context, index, [value]): a switch on the global index, each case one stfld of the value read as its CLR type.
    private static MethodBuilder EmitSetGlobal(TypeBuilder entry, ModuleCompiler compiler)
    {
        var method = DefineStatic(entry, "SetGlobal", typeof(void), [typeof(InstanceContext), typeof(int), typeof(WasmValue[])]);
        var il = method.GetILGenerator();
        for (int g = 0; g < compiler.GlobalFields.Length; g++)
        {
            if (compiler.GlobalFields[g] is not { } field) continue;
            var next = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, g);
            il.Emit(OpCodes.Bne_Un, next);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, compiler.Type);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Call, ValueMarshal.Reader(ClrTypes.KindOf(compiler.GlobalTypes[g].ValueType)));
            il.Emit(OpCodes.Stfld, field);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(next);
        }
        il.Emit(OpCodes.Ret);
        return method;
    }

    private static MethodBuilder EmitInvoker(TypeBuilder entry, int typeIndex, DefinedType type)
    {
        var method = DefineStatic(entry, $"Invoke{typeIndex}", typeof(WasmValue[]), [typeof(Function), typeof(WasmValue[])]);
        DynamicInvoker.EmitStubBody(method.GetILGenerator(), type);
        return method;
    }

    // The calling convention of every wasm function (parameters, then the HostFunction as context), boxing the
    // arguments for SlowPath.CallHost, which calls typed delegates and callbacks alike with no generated code.
    private static readonly MethodInfo s_callHost = typeof(SlowPath).GetMethod(nameof(SlowPath.CallHost))!;

    private static MethodBuilder EmitHostAdapter(TypeBuilder entry, int typeIndex, DefinedType type)
    {
        var parameters = type.Params.ToArray();
        var results = type.Results.ToArray();
        var method = DefineStatic(entry, $"Host{typeIndex}", ClrTypes.ReturnType(results), ClrTypes.ParameterTypes(parameters, typeof(object)));
        var il = method.GetILGenerator();
        HostAdapters.EmitPackArguments(il, parameters);
        il.Emit(OpCodes.Call, s_callHost);
        HostAdapters.EmitUnpackResults(il, results);
        il.Emit(OpCodes.Ret);
        return method;
    }

    private static void EmitGetParts(TypeBuilder entry, ModuleCompiler compiler, CodeOptions options, int byteCount, FieldBuilder data,
        MethodBuilder factory, MethodBuilder setGlobal, MethodBuilder?[] invokers, MethodBuilder?[] adapters)
    {
        var method = entry.DefineMethod(AotFormat.GetPartsMethod, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, typeof(object), Type.EmptyTypes);
        method.SetImplementationFlags(MethodImplAttributes.NoOptimization);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, AotFormat.Version);
        il.Emit(OpCodes.Ldstr, AotFormat.WeftVersion);
        il.Emit(OpCodes.Ldc_I4, AotFormat.Flags(options));

        // The module's bytes: an RVA field, copied out through a span.
        var span = il.DeclareLocal(typeof(ReadOnlySpan<byte>));
        il.Emit(OpCodes.Ldloca, span);
        il.Emit(OpCodes.Ldsflda, data);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldc_I4, byteCount);
        il.Emit(OpCodes.Call, typeof(ReadOnlySpan<byte>).GetConstructor([typeof(void*), typeof(int)])!);
        il.Emit(OpCodes.Ldloca, span);
        il.Emit(OpCodes.Call, typeof(ReadOnlySpan<byte>).GetMethod(nameof(ReadOnlySpan<byte>.ToArray))!);

        il.Emit(OpCodes.Ldtoken, compiler.Type);
        il.Emit(OpCodes.Call, typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!);
        EmitDelegate(il, factory, typeof(Func<InstanceContext>));

        // Entry points, filled by helper methods of at most 4,096 each (a single method of 100,000 ldftn would be slow to JIT).
        const int Chunk = 4096;
        var entries = il.DeclareLocal(typeof(nint[]));
        il.Emit(OpCodes.Ldc_I4, compiler.Methods.Length);
        il.Emit(OpCodes.Newarr, typeof(nint));
        il.Emit(OpCodes.Stloc, entries);
        for (int start = 0; start < compiler.Methods.Length; start += Chunk)
        {
            var fill = DefineStatic(entry, $"Entries{start / Chunk}", typeof(void), [typeof(nint[])], minOpts: true);
            var fillIl = fill.GetILGenerator();
            for (int i = start; i < Math.Min(start + Chunk, compiler.Methods.Length); i++)
            {
                fillIl.Emit(OpCodes.Ldarg_0);
                fillIl.Emit(OpCodes.Ldc_I4, i);
                fillIl.Emit(OpCodes.Ldftn, compiler.Methods[i]);
                fillIl.Emit(OpCodes.Stelem_I);
            }
            fillIl.Emit(OpCodes.Ret);
            il.Emit(OpCodes.Ldloc, entries);
            il.Emit(OpCodes.Call, fill);
        }
        il.Emit(OpCodes.Ldloc, entries);

        il.Emit(OpCodes.Ldc_I4, compiler.GlobalFields.Length);
        il.Emit(OpCodes.Newarr, typeof(bool));
        for (int g = 0; g < compiler.GlobalFields.Length; g++)
        {
            if (compiler.GlobalFields[g] is null) continue;
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, g);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Stelem_I1);
        }
        EmitDelegate(il, setGlobal, typeof(Action<InstanceContext, int, WasmValue[]>));

        il.Emit(OpCodes.Ldc_I4, invokers.Length);
        il.Emit(OpCodes.Newarr, typeof(DynamicInvoker.Stub));
        for (int t = 0; t < invokers.Length; t++)
        {
            if (invokers[t] is not { } invoker) continue;
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, t);
            EmitDelegate(il, invoker, typeof(DynamicInvoker.Stub));
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Ldc_I4, adapters.Length);
        il.Emit(OpCodes.Newarr, typeof(nint));
        for (int t = 0; t < adapters.Length; t++)
        {
            if (adapters[t] is not { } adapter) continue;
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, t);
            il.Emit(OpCodes.Ldftn, adapter);
            il.Emit(OpCodes.Stelem_I);
        }
        il.Emit(OpCodes.Newobj, typeof(PrecompiledParts).GetConstructors()[0]);
        il.Emit(OpCodes.Ret);
    }

    private static void EmitDelegate(ILGenerator il, MethodInfo target, Type delegateType)
    {
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ldftn, target);
        il.Emit(OpCodes.Newobj, delegateType.GetConstructor([typeof(object), typeof(nint)])!);
    }
}
