using Weft.Binary;
using Weft.Gc;
using Weft.Runtime;
using Weft.Syntax;
using Weft.Validation;
using SyntaxModule = Weft.Syntax.Module;

namespace Weft.Tests.Api;

/// <summary>
/// The runtime against a code generator that is not the IL compiler: a tiny interpreter of local.get, i32.const,
/// i32.add and call. Instantiation, the host's calls (Function.Invoke) and calls to host functions must all go through
/// the seam (ICodeGenerator/IModuleCode) and the engine-neutral slow path, emitting no code of the module.
/// </summary>
public class FakeCodeGeneratorTests
{
    private sealed class Interpreter : ICodeGenerator
    {
        public int Generated;
        public int Interpreted;

        public IModuleCode Generate(SyntaxModule module, ValidModule valid, CodeOptions options)
        {
            Generated++;
            return new Code(module, valid);
        }

        public StructLayout StructLayout(DefinedType type) => throw new NotSupportedException("no GC structs in the fake");

        public bool NativeEntryPoints => false;

        public nint HostEntry(DefinedType type, Type? typedDelegate) => 0;

        public DynamicInvoker.Stub Invoker(DefinedType type) => (function, arguments) => function switch
        {
            HostFunction host => SlowPath.CallHost(host, arguments),
            _ => Run((Context)function.Context, (int)function.Code, arguments),
        };

        private WasmValue[] Run(Context context, int defined, WasmValue[] arguments)
        {
            Interpreted++;
            var code = context.Code;
            var body = code.Module.Codes[defined];
            var type = code.Valid.Functions[code.Valid.ImportedFunctionCount + defined];
            var stack = new Stack<WasmValue>();
            var reader = new InstructionReader(body.Code.Span);
            while (!reader.AtEnd)
            {
                var instruction = reader.Read();
                switch (instruction.Opcode)
                {
                    case Opcode.LocalGet: stack.Push(arguments[instruction.Index]); break;
                    case Opcode.I32Const: stack.Push(WasmValue.FromInt32(instruction.I32)); break;
                    case Opcode.I32Add:
                    {
                        int b = stack.Pop().AsInt32(), a = stack.Pop().AsInt32();
                        stack.Push(WasmValue.FromInt32(a + b));
                        break;
                    }
                    case Opcode.Call:
                    {
                        var callee = context.Functions[instruction.Index];
                        var args = new WasmValue[callee.Parameters.Count];
                        for (int i = args.Length - 1; i >= 0; i--) args[i] = stack.Pop();
                        foreach (var result in callee.Invoke(args)) stack.Push(result);
                        break;
                    }
                    case Opcode.End: break;
                    default: throw new NotSupportedException($"the fake does not run {instruction}");
                }
            }
            var results = new WasmValue[type.Results.Length];
            for (int i = results.Length - 1; i >= 0; i--) results[i] = stack.Pop();
            return results;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Code(SyntaxModule module, ValidModule valid) : IModuleCode
    {
        public SyntaxModule Module { get; } = module;

        public ValidModule Valid { get; } = valid;

        public InstanceContext CreateContext() => new Context(this);

        // The entry point is a token the fake's invoker reads back: the defined function's index.
        public nint EntryPoint(int definedFunction) => definedFunction;

        public bool KeepsGlobal(int globalIndex) => false;

        public void InitializeGlobal(InstanceContext context, int globalIndex, WasmValue value) => throw new InvalidOperationException();

        public void PrepareAhead(IReadOnlyList<int> firstFunctions)
        {
        }
    }

    private sealed class Context(Code code) : InstanceContext
    {
        public Code Code { get; } = code;
    }

    [Fact]
    public void TheRuntimeRunsAModuleThroughAFakeCodeGenerator()
    {
        var fake = new Interpreter();
        using var engine = new Engine().WithGenerator(fake);
        var module = WasmModule.FromText(engine, """
            (module
              (import "env" "bump" (func $bump (param i32) (result i32)))
              (func (export "add") (param i32 i32) (result i32)
                (call $bump (i32.add (local.get 0) (local.get 1))))
              (func (export "plain") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
            """);
        using var store = new Store(engine);
        var seen = new List<int>();
        var linker = new Linker(engine).DefineFunction("env", "bump", (int x) =>
        {
            seen.Add(x);
            return x + 1000;
        });
        var instance = linker.Instantiate(store, module);
        Assert.Equal(1, fake.Generated);

        Assert.Equal(5, instance.GetFunction("plain")!.Invoke(WasmValue.FromInt32(2), WasmValue.FromInt32(3))[0].AsInt32());
        Assert.Equal(1042, instance.GetFunction("add")!.Invoke(WasmValue.FromInt32(40), WasmValue.FromInt32(2))[0].AsInt32());
        Assert.Equal([42], seen);
        Assert.Equal(2, fake.Interpreted);

        // A second instance reuses the generated code.
        var again = linker.Instantiate(store, module);
        Assert.Equal(7, again.GetFunction("plain")!.Invoke(WasmValue.FromInt32(3), WasmValue.FromInt32(4))[0].AsInt32());
        Assert.Equal(1, fake.Generated);
    }

    [Fact]
    public void AHostExceptionThroughTheSlowPathIsAHostErrorTrap()
    {
        using var engine = new Engine().WithGenerator(new Interpreter());
        var module = WasmModule.FromText(engine, """
            (module (import "env" "fail" (func $fail (param i32) (result i32)))
              (func (export "f") (result i32) (call $fail (i32.const 1))))
            """);
        using var store = new Store(engine);
        var instance = new Linker(engine).DefineFunction("env", "fail", (int x) => x > 0 ? throw new InvalidOperationException("no") : x)
            .Instantiate(store, module);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("f")!.Invoke());
        Assert.Equal(TrapKind.HostError, trap.Kind);
        Assert.Contains("no", trap.Message);
    }

    [Fact]
    public void WhatNeedsTheIlFastPathIsRefusedNotCrashed()
    {
        using var engine = new Engine().WithGenerator(new Interpreter());
        var module = WasmModule.FromText(engine, "(module (type (struct (field i32))) (func (export \"f\") (result i32) (i32.const 1)))");
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        Assert.Throws<NotSupportedException>(() => module.GetGcType(0).NewStruct(WasmValue.FromInt32(1)));
        Assert.Equal(1, instance.GetFunction("f")!.Invoke()[0].AsInt32());
        // A typed caller would call the token as a native entry point.
        Assert.Throws<NotSupportedException>(() => instance.GetFunction("f")!.AsFunc<int>());
    }
}
