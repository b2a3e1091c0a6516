using System.Reflection;
using Weft.Compilation;

namespace Weft.Tests.Builtins;

/// <summary>
/// Builtin calls are compiled inline: the wasm function's IL calls the builtin's static helper itself, and never
/// the import's function object (which exists only for exports, tables and ref.func).
/// </summary>
public sealed class InlineCompilationTests
{
    [Fact]
    public void ADirectCallNeverUsesTheImportsFunctionObject()
    {
        var module = WasmModule.FromText(Engine.Default, JsStringModule.Text(), BuiltinOptionsTests.JsString);
        var instance = module.Instantiate(new Store(), []);
        // Every builtin import's slot gets a function that would fail if called: the inlined calls do not notice.
        var poison = Function.FromDelegate((Func<object?, int>)(s => throw new InvalidOperationException("the function object was called")));
        for (int i = 0; i < JsStringModule.Builtins.Length; i++) instance.Context.Functions[i] = poison;
        Assert.Equal('a' + 'b' + 'c', instance.GetFunction<object?, int>("sum")!("abc"));
        Assert.Equal(3, instance.GetFunction<object?, int>("length")!("abc"));
        Assert.Equal(2, instance.GetFunction<object?, int>("tailLength")!("ab"));
        Assert.Equal("bc", instance.GetFunction<object?, int, int, object>("substring")!("abc", 1, 3));
        // An untyped call through the poisoned object does fail: the slots really were replaced.
        Assert.Throws<TrapException>(() => instance.Context.Functions[8].Invoke(WasmValue.FromReference("abc")));
    }

    [Fact]
    public void TheCompiledLoopCallsTheHelpersDirectly()
    {
        var module = WasmModule.FromText(Engine.Default, JsStringModule.Text(), BuiltinOptionsTests.JsString);
        var compiled = Assert.IsType<CompiledModule>(module.Compiled);
        var called = new HashSet<string>();
        foreach (var type in compiled.CodeTypes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                byte[] il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
                // Every 4-byte token after a call opcode (0x28) that resolves to a method: enough to see what is called.
                for (int i = 0; i + 4 < il.Length; i++)
                {
                    if (il[i] != 0x28) continue;
                    try
                    {
                        if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1)) is { } target) called.Add($"{target.DeclaringType!.Name}.{target.Name}");
                    }
                    catch (ArgumentException)
                    {
                    }
                }
            }
        }
        Assert.Contains("JsStringHelpers.CharCodeAt", called);
        Assert.Contains("JsStringHelpers.Length", called);
        Assert.Contains("JsStringHelpers.FromCharCodeArray", called);
    }
}
