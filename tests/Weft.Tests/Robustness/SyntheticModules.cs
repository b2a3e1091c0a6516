using Weft.Binary;
using Weft.Syntax;

namespace Weft.Tests.Robustness;

/// <summary>
/// Builds well-formed modules of any size from a seed: every section kind, and function bodies with a realistic mix
/// of locals, arithmetic, memory access, calls and nested control flow. Shared with the decode benchmark (which links
/// this file), so it depends on nothing but the engine.
/// </summary>
internal static class SyntheticModules
{
    /// <summary>Generates a module with <paramref name="functions"/> defined functions of about <paramref name="instructionsPerFunction"/> instructions.</summary>
    public static Module Generate(int seed, int functions, int instructionsPerFunction)
    {
        var random = new Random(seed);
        // type 0: [] -> [], 1: [i32 i32] -> [i32], 2: [i32] -> [i64], 3: a struct, 4: an array of i8
        RecGroup[] types =
        [
            new([SubType.Plain(new FuncType([], []))], explicitRec: false),
            new([SubType.Plain(new FuncType([ValType.I32, ValType.I32], [ValType.I32]))], explicitRec: false),
            new([SubType.Plain(new FuncType([ValType.I32], [ValType.I64]))], explicitRec: false),
            new(
                [
                    new SubType(false, [], new StructType([new FieldType(StorageType.Of(ValType.I32), true), new FieldType(StorageType.I16, false)])),
                    new SubType(true, [3], new StructType([new FieldType(StorageType.Of(ValType.I32), true), new FieldType(StorageType.I16, false), new FieldType(StorageType.Of(ValType.Ref(HeapType.Concrete(4), true)), true)])),
                ],
                explicitRec: true),
        ];
        var functionTypes = new uint[functions];
        for (int i = 0; i < functions; i++) functionTypes[i] = (uint)random.Next(3);
        uint imported = 1;
        uint functionCount = imported + (uint)functions;

        var codes = new FunctionBody[functions];
        var writer = new WasmWriter(instructionsPerFunction * 3);
        for (int i = 0; i < functions; i++)
        {
            writer.Clear();
            WriteBody(writer, random, functionTypes[i], instructionsPerFunction, functionCount);
            LocalDecl[] locals = [new LocalDecl(1, ValType.F64), new LocalDecl(2, ValType.I32), new LocalDecl(1, ValType.I64)];
            codes[i] = new FunctionBody(locals, writer.ToArray());
        }

        var data = new DataSegment[Math.Max(1, functions / 64)];
        for (int i = 0; i < data.Length; i++)
        {
            var bytes = new byte[random.Next(1, 256)];
            random.NextBytes(bytes);
            data[i] = i % 2 == 0
                ? new DataSegment(SegmentMode.Active, 0, Const(w => I32Const(w, random.Next(0, 60000))), bytes)
                : new DataSegment(SegmentMode.Passive, 0, null, bytes);
        }

        var names = new Dictionary<uint, string>();
        for (uint f = 0; f < Math.Min(functionCount, 1000u); f++) names[f] = $"f{f}";
        return new Module
        {
            RecGroups = types,
            Imports = [new Import("env", "log", new FuncImportType(2)), new Import("env", "g", new GlobalType(ValType.I32, false))],
            Functions = functionTypes,
            Tables = [new TableDefinition(new TableType(ValType.FuncRef, new Limits(AddressType.I32, functionCount, null)), null)],
            Memories = [new MemoryType(new Limits(AddressType.I32, 1, 16))],
            Tags = [new TagType(1)],
            Globals =
            [
                new GlobalDefinition(new GlobalType(ValType.I32, true), Const(w => I32Const(w, 42))),
                new GlobalDefinition(new GlobalType(ValType.I64, false), Const(w => InstructionWriter.Write(w, new Instruction { Opcode = Opcode.I64Const, Value = unchecked((ulong)-7L) }))),
            ],
            Exports = [new Export("main", ExternKind.Func, imported), new Export("memory", ExternKind.Memory, 0)],
            Start = null,
            Elements =
            [
                new ElementSegment(SegmentMode.Active, 0, Const(w => I32Const(w, 0)), ValType.Ref(HeapType.Func, false), FunctionRefs(functionCount)),
                new ElementSegment(SegmentMode.Declarative, 0, null, ValType.FuncRef, [Const(w => InstructionWriter.Write(w, new Instruction { Opcode = Opcode.RefNull, HeapType = HeapType.Func }))]),
            ],
            DataCount = (uint)data.Length,
            Codes = codes,
            Data = data,
            CustomSections = [new CustomSection("producers", "synthetic"u8.ToArray(), After: 0), new CustomSection("trailer", new byte[] { 1, 2, 3 }, After: 11)],
            Names = new NameSection { ModuleName = "synthetic", FunctionNames = names },
        };
    }

    private static ConstExpr[] FunctionRefs(uint count)
    {
        var items = new ConstExpr[Math.Min(count, 4096u)];
        for (uint f = 0; f < items.Length; f++)
        {
            uint function = f;
            items[f] = Const(w => InstructionWriter.Write(w, new Instruction { Opcode = Opcode.RefFunc, Index = function }));
        }
        return items;
    }

    private static ConstExpr Const(Action<WasmWriter> body)
    {
        var w = new WasmWriter(16);
        body(w);
        InstructionWriter.WriteOpcode(w, Opcode.End);
        return new ConstExpr(w.ToArray());
    }

    private static void I32Const(WasmWriter w, int value) =>
        InstructionWriter.Write(w, new Instruction { Opcode = Opcode.I32Const, Value = (ulong)(long)value });

    private static void Op(WasmWriter w, Opcode opcode, uint index = 0, uint index2 = 0) =>
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, Index = index, Index2 = index2 });

    private static void Load(WasmWriter w, Opcode opcode, int align, ulong offset) =>
        InstructionWriter.Write(w, new Instruction { Opcode = opcode, Byte = (byte)align, Value = offset });

    // Statements that each leave the operand stack as they found it, so nesting them is always well-typed.
    private static void WriteBody(WasmWriter w, Random random, uint type, int instructions, uint functionCount)
    {
        int written = 0;
        int depth = 0;
        // locals after the parameters: one f64, two i32, one i64
        uint parameters = type switch { 1 => 2u, 2 => 1u, _ => 0u };
        uint f64Local = parameters;
        uint firstLocal = parameters + 1;
        uint i32Locals = parameters + 2;
        while (written < instructions)
        {
            switch (random.Next(12))
            {
                case 0 or 1 or 2: // local = local op const
                    Op(w, Opcode.LocalGet, firstLocal);
                    I32Const(w, random.Next(-1000, 100000));
                    Op(w, (Opcode)((int)Opcode.I32Add + random.Next(0, 3))); // add, sub or mul
                    Op(w, Opcode.LocalSet, firstLocal);
                    written += 4;
                    break;
                case 3: // store local to memory
                    I32Const(w, random.Next(0, 1024) * 4);
                    Op(w, Opcode.LocalGet, firstLocal);
                    Load(w, Opcode.I32Store, 2, (ulong)random.Next(0, 64));
                    written += 3;
                    break;
                case 4: // load into a local
                    I32Const(w, random.Next(0, 1024) * 4);
                    Load(w, Opcode.I32Load, 2, (ulong)random.Next(0, 64));
                    Op(w, Opcode.LocalTee, i32Locals);
                    Op(w, Opcode.Drop);
                    written += 4;
                    break;
                case 5: // call an i32 -> i64 function or the import
                    Op(w, Opcode.LocalGet, firstLocal);
                    Op(w, Opcode.Call, (uint)random.Next(0, 1));
                    Op(w, Opcode.I64Const);
                    Op(w, Opcode.I64Add);
                    Op(w, Opcode.Drop);
                    written += 5;
                    break;
                case 6 when depth < 6: // open a block or loop
                    InstructionWriter.Write(w, new Instruction { Opcode = random.Next(2) == 0 ? Opcode.Block : Opcode.Loop, BlockType = BlockType.Empty });
                    depth++;
                    written++;
                    break;
                case 7 when depth > 0: // conditional branch out, then close
                    Op(w, Opcode.LocalGet, firstLocal);
                    Op(w, Opcode.BrIf, 0);
                    Op(w, Opcode.End);
                    depth--;
                    written += 3;
                    break;
                case 8: // if/else on a comparison
                    Op(w, Opcode.LocalGet, firstLocal);
                    I32Const(w, random.Next(100));
                    Op(w, Opcode.I32LtS);
                    InstructionWriter.Write(w, new Instruction { Opcode = Opcode.If, BlockType = BlockType.Of(ValType.I32) });
                    I32Const(w, 1);
                    Op(w, Opcode.Else);
                    Op(w, Opcode.GlobalGet, 1);
                    Op(w, Opcode.End);
                    Op(w, Opcode.LocalSet, i32Locals);
                    written += 9;
                    break;
                case 9: // float arithmetic
                    Op(w, Opcode.LocalGet, f64Local);
                    InstructionWriter.Write(w, new Instruction { Opcode = Opcode.F64Const, Value = BitConverter.DoubleToUInt64Bits(random.NextDouble()) });
                    Op(w, Opcode.F64Mul);
                    Op(w, Opcode.LocalSet, f64Local);
                    written += 4;
                    break;
                case 10: // a br_table inside a block
                    InstructionWriter.Write(w, new Instruction { Opcode = Opcode.Block, BlockType = BlockType.Empty });
                    Op(w, Opcode.LocalGet, firstLocal);
                    InstructionWriter.WriteBrTable(w, [0, 0, 0], 0);
                    Op(w, Opcode.End);
                    written += 4;
                    break;
                default: // call_indirect through the table
                    Op(w, Opcode.LocalGet, firstLocal);
                    I32Const(w, random.Next(0, (int)Math.Min(functionCount, 4096u)));
                    Op(w, Opcode.CallIndirect, 2, 0);
                    Op(w, Opcode.Drop);
                    written += 4;
                    break;
            }
        }
        while (depth-- > 0) Op(w, Opcode.End);
        // the result the type needs
        switch (type)
        {
            case 1: Op(w, Opcode.LocalGet, firstLocal); break;
            case 2: Op(w, Opcode.LocalGet, 0); Op(w, Opcode.I64ExtendI32U); break;
        }
        Op(w, Opcode.End);
    }
}
